import { cypher } from '../db';
import type { NodeRow } from '../graph/entities';
import { EVENT_TYPE, EVIDENCE_TYPE, STIX_ID_RE, stixId } from './model';

/**
 * The STIX bridge of the API: which STIX ids a node is exported as (the same deterministic ids
 * as `attribution export`, `stixBundle` and the TAXII feed) or was imported from, and back.
 */

/** What decides a node's exported STIX ids, loaded in one batched statement per request. */
export interface StixFacts {
  id: string;
  /** The id the node was imported with (STIX importer), if any. */
  stored: string | null;
  label: string;
  /** Actors: named as a suspect / as a speaker (claimant, publisher) / a group with aliases. */
  suspect: boolean;
  speaker: boolean;
  groupWithAliases: boolean;
  /** Hypotheses: their suspects (one attributed-to relationship each). */
  suspects: string[];
  /** Claims: the stance; sources: whether the publication date is known. */
  stance: string | null;
  dated: boolean;
}

/** The facts of {@link StixFacts} for a batch of node ids (`$ids`). */
export const STIX_FACTS = cypher<StixFacts>(
  'stixFacts',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   RETURN id, n.stixId AS stored,
     [l IN labels(n) WHERE l <> 'Entity'][0] AS label,
     EXISTS { (n)<-[:SUSPECTS]-(:Hypothesis) } AS suspect,
     EXISTS { (n)<-[:BY]-(:Claim) } OR EXISTS { (n)<-[:PUBLISHED_BY]-(:Source) } AS speaker,
     (n.kind = 'group' AND EXISTS { (n)-[:KNOWN_AS]->() }) AS groupWithAliases,
     COLLECT { MATCH (n)-[:SUSPECTS]->(s:Actor) RETURN s.id ORDER BY s.id } AS suspects,
     n.stance AS stance,
     n.publishedAt IS NOT NULL AS dated`,
);

/**
 * Every STIX id of a node: the one it was imported with, then the ids the export gives it
 * (an incident; an actor's identity when it speaks and its threat-actor or intrusion-set when
 * it is a suspect; one attributed-to relationship per suspect of a hypothesis; a claim's
 * opinion; a source's report, or note when undated; an item of evidence's x-attribution-evidence;
 * an event's x-attribution-event). Ratings travel inside their item's object: only an imported
 * id, if any.
 */
export function stixIdsOf(f: StixFacts): string[] {
  const out: string[] = [];
  if (f.stored) out.push(f.stored);
  const add = (type: string, key = f.id) => {
    const sid = stixId(type, key);
    if (!out.includes(sid)) out.push(sid);
  };
  switch (f.label) {
    case 'Incident':
      add('incident');
      break;
    case 'Actor':
      if (f.speaker || !f.suspect) add('identity');
      if (f.suspect) add(f.groupWithAliases ? 'intrusion-set' : 'threat-actor');
      break;
    case 'Hypothesis':
      for (const s of f.suspects) add('relationship', `attributed-to:${f.id}:${s}`);
      break;
    case 'Claim':
      if (f.stance === 'supports' || f.stance === 'disputes') add('opinion');
      break;
    case 'Source':
      add(f.dated ? 'report' : 'note');
      break;
    case 'Evidence':
      add(EVIDENCE_TYPE);
      break;
    case 'Event':
      add(EVENT_TYPE);
      break;
  }
  return out;
}

/** Node ids with a STIX id stored by the importer (`$stixId`). */
export const BY_STORED_STIX_ID = cypher<{ node: NodeRow }>(
  'nodeByStoredStixId',
  `MATCH (n:Entity {stixId: $stixId})
   WHERE NOT n:StixObject
   RETURN {labels: labels(n), props: properties(n)} AS node
   LIMIT 1`,
);

/** The native candidates for an exported STIX type: node ids (and suspects for relationships). */
export const STIX_CANDIDATES = cypher<{ id: string; suspects: string[] }>(
  'stixCandidates',
  `MATCH (n:Entity) WHERE $label IN labels(n)
   RETURN n.id AS id,
     CASE WHEN n:Hypothesis THEN COLLECT { MATCH (n)-[:SUSPECTS]->(s:Actor) RETURN s.id } ELSE [] END AS suspects`,
);

/** The label whose nodes an exported STIX type can come from. */
export const LABEL_OF_STIX_TYPE: Record<string, string> = {
  incident: 'Incident',
  identity: 'Actor',
  'threat-actor': 'Actor',
  'intrusion-set': 'Actor',
  relationship: 'Hypothesis',
  opinion: 'Claim',
  report: 'Source',
  note: 'Source',
  [EVIDENCE_TYPE]: 'Evidence',
  [EVENT_TYPE]: 'Event',
};

/** The STIX type of a well-formed STIX id, or null when it is not one. */
export function stixTypeOf(sid: string): string | null {
  return STIX_ID_RE.test(sid) ? sid.slice(0, sid.indexOf('--')) : null;
}

/** Which candidate (a native node id) carries this exported STIX id, if any. */
export function matchCandidate(
  sid: string,
  type: string,
  candidates: { id: string; suspects: string[] }[],
): string | null {
  for (const c of candidates) {
    if (type === 'relationship') {
      if (c.suspects.some((s) => stixId(type, `attributed-to:${c.id}:${s}`) === sid)) return c.id;
    } else if (stixId(type, c.id) === sid) return c.id;
  }
  return null;
}
