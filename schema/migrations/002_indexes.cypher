// Range indexes for the date filters of as-of queries and timelines.
CREATE INDEX claim_stated_by IF NOT EXISTS FOR (n:Claim) ON (n.knownFrom);
CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.date);
CREATE INDEX source_published IF NOT EXISTS FOR (n:Source) ON (n.publishedAt);
CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name);
CREATE INDEX incident_started IF NOT EXISTS FOR (n:Incident) ON (n.startedAt);
// One full-text index over everything a person searches by: names, aliases, claim text,
// source titles, hypothesis statements, evidence and event titles.
CREATE FULLTEXT INDEX search IF NOT EXISTS
FOR (n:Actor|Alias|Claim|Source|Incident|Hypothesis|Evidence|Event)
ON EACH [n.name, n.text, n.title, n.statement, n.description];
