// One revision counter per incident (src/revisions), bumped inside every write transaction that
// changes what the incident's answers read; caches key on it. Not an :Entity.
CREATE CONSTRAINT revision_incident IF NOT EXISTS FOR (r:Revision) REQUIRE r.incident IS UNIQUE;
