// API keys (stored hashed; not :Entity, never reachable through Query.node), the audit log and
// analysts' opinions (not :Entity either: they are judgments about the record, not part of it).
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE;
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT opinion_id IF NOT EXISTS FOR (o:Opinion) REQUIRE o.id IS UNIQUE;
// The audit log is read oldest first, per operation or per principal.
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (a:AuditEntry) ON (a.at);
CREATE INDEX audit_entry_operation IF NOT EXISTS FOR (a:AuditEntry) ON (a.operation);
CREATE INDEX audit_entry_principal IF NOT EXISTS FOR (a:AuditEntry) ON (a.principal);
