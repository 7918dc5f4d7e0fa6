// The technical layer (docs/data-model.md, "Artifacts"): every artifact carries :Entity (ids unique
// across all kinds), :Artifact (unique and searchable as one) and its own label.
CREATE CONSTRAINT artifact_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT malware_id IF NOT EXISTS FOR (n:Malware) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT tool_id IF NOT EXISTS FOR (n:Tool) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT infrastructure_id IF NOT EXISTS FOR (n:Infrastructure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT attack_pattern_id IF NOT EXISTS FOR (n:AttackPattern) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (n:Indicator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT vulnerability_id IF NOT EXISTS FOR (n:Vulnerability) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT observable_id IF NOT EXISTS FOR (n:Observable) REQUIRE n.id IS UNIQUE;
// Search by name, alias, ATT&CK or other external id (T1485, S0366), IP address, domain or hash:
// `searchText` joins them on write (a full-text index reads string properties only).
CREATE FULLTEXT INDEX artifact_search IF NOT EXISTS
FOR (n:Artifact)
ON EACH [n.name, n.searchText, n.description];
// Exact lookups of an observable's value (an IP address, a domain) and of an artifact by external id.
CREATE INDEX observable_value IF NOT EXISTS FOR (n:Observable) ON (n.value);
// The specificity weight of each artifact (how many actors use it), kept current by writes.
CREATE INDEX artifact_actor_count IF NOT EXISTS FOR (n:Artifact) ON (n.actorCount);
// Counts kept current by writes (not :Entity): the number of actors that use any artifact.
CREATE CONSTRAINT model_stat_id IF NOT EXISTS FOR (n:ModelStat) REQUIRE n.id IS UNIQUE;
