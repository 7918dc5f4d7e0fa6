// Places (STIX location), issue 14: ids unique like every other label's.
CREATE CONSTRAINT location_id IF NOT EXISTS FOR (n:Location) REQUIRE n.id IS UNIQUE;
