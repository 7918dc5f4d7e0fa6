import { cypher } from '../db';

/** The incidents, one TAXII collection each. */
export const TAXII_INCIDENTS = cypher<{ id: string; name: string; summary: string | null }>(
  'taxiiIncidents',
  `MATCH (i:Incident)
   RETURN i.id AS id, i.name AS name, i.summary AS summary
   ORDER BY i.id`,
);

/**
 * When the API last recorded a change to each of the given entities (the latest audit entry
 * naming it, epoch milliseconds). Entities from the seed or a STIX import have no audit entry.
 */
export const TAXII_LAST_AUDIT = cypher<{ id: string; ms: number }>(
  'taxiiLastAudit',
  `MATCH (a:AuditEntry) WHERE any(id IN a.ids WHERE id IN $ids)
   UNWIND a.ids AS id
   WITH id, max(a.at) AS at WHERE id IN $ids
   RETURN id, at.epochMillis AS ms`,
);
