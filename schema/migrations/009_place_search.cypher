// Places are found by search (name, country, region, city, description), issue 14.
CREATE FULLTEXT INDEX place_search IF NOT EXISTS
FOR (n:Location)
ON EACH [n.name, n.country, n.region, n.city, n.description];
