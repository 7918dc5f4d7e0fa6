// Native STIX ids: every node the export carries stores the deterministic STIX id of each type
// it may be exported as (src/model/stixIds.ts, NATIVE_STIX_TYPES), and every SUSPECTS link the
// id of the `attributed-to` relationship it is exported as. `stixObject(stixId:)` finds a node
// by one of these indexes (the STIX type in the id names the property).
CREATE INDEX incident_stix_incident_id IF NOT EXISTS FOR (n:Incident) ON (n.stixIncidentId);
CREATE INDEX actor_stix_identity_id IF NOT EXISTS FOR (n:Actor) ON (n.stixIdentityId);
CREATE INDEX actor_stix_threat_actor_id IF NOT EXISTS FOR (n:Actor) ON (n.stixThreatActorId);
CREATE INDEX actor_stix_intrusion_set_id IF NOT EXISTS FOR (n:Actor) ON (n.stixIntrusionSetId);
CREATE INDEX claim_stix_opinion_id IF NOT EXISTS FOR (n:Claim) ON (n.stixOpinionId);
CREATE INDEX source_stix_report_id IF NOT EXISTS FOR (n:Source) ON (n.stixReportId);
CREATE INDEX source_stix_note_id IF NOT EXISTS FOR (n:Source) ON (n.stixNoteId);
CREATE INDEX evidence_stix_evidence_id IF NOT EXISTS FOR (n:Evidence) ON (n.stixEvidenceId);
CREATE INDEX event_stix_event_id IF NOT EXISTS FOR (n:Event) ON (n.stixEventId);
CREATE INDEX suspects_stix_id IF NOT EXISTS FOR ()-[r:SUSPECTS]-() ON (r.stixId);
