// STIX ids: an imported node keeps the id of the STIX object it came from (`stixId`); the
// importer resolves references to objects of earlier imports through it, and the API finds a
// node by STIX id. Generic STIX objects (types the model has no place for) carry :StixObject.
CREATE INDEX entity_stix_id IF NOT EXISTS FOR (n:Entity) ON (n.stixId);
CREATE INDEX stix_object_type IF NOT EXISTS FOR (n:StixObject) ON (n.stixType);
CREATE CONSTRAINT stix_object_id IF NOT EXISTS FOR (n:StixObject) REQUIRE n.id IS UNIQUE;
