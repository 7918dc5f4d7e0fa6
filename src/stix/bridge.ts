import { Query, cypher } from '../db';
import type { NodeRow } from '../graph/entities';
import { NATIVE_STIX_TYPES, ObservableType, attributedToStixId, observableStixId } from '../model';
import { EVENT_TYPE, EVIDENCE_TYPE, STIX_ID_RE, stixId } from './model';

/**
 * The STIX bridge of the API: which STIX ids a node is exported as (the same deterministic ids
 * as `attribution export`, `stixBundle` and the TAXII feed) or was imported from, and back.
 */

const OBSERVABLE_TYPES = new Set<string>(ObservableType.options);

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
  /** Artifacts: their STIX type (malware, attack-pattern, ipv4-addr...). */
  artifactType: string | null;
  dated: boolean;
}

/** The facts of {@link StixFacts} for a batch of node ids (`$ids`). */
export const STIX_FACTS = cypher<StixFacts>(
  'stixFacts',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   RETURN id, n.stixId AS stored,
     CASE WHEN n:Artifact THEN 'Artifact' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS label,
     CASE WHEN n:Artifact THEN coalesce(n.stixType, n.observableType) END AS artifactType,
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
 * opinion, a technical-link claim's relationship; a source's report, or note when undated; an
 * item of evidence's x-attribution-evidence; an event's x-attribution-event; an artifact's SDO or
 * SCO). Ratings travel inside their item's object: only an imported
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
      for (const s of f.suspects) {
        const sid = attributedToStixId(f.id, s);
        if (!out.includes(sid)) out.push(sid);
      }
      break;
    case 'Claim':
      if (f.stance === 'supports' || f.stance === 'disputes') add('opinion');
      if (f.stance === 'asserts-link') add('relationship');
      break;
    case 'Artifact':
      if (f.artifactType) {
        const sid = OBSERVABLE_TYPES.has(f.artifactType)
          ? observableStixId(f.artifactType, f.id)
          : stixId(f.artifactType, f.id);
        if (!out.includes(sid)) out.push(sid);
      }
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

/**
 * The node carrying a native STIX id, by the index of its type's property (one statement per
 * exported type, property names from {@link NATIVE_STIX_TYPES}; migration 007).
 */
export const BY_NATIVE_STIX_ID: Readonly<Record<string, Query<{ node: NodeRow }>>> =
  Object.fromEntries(
    Object.entries(NATIVE_STIX_TYPES).flatMap(([label, types]) =>
      types.map(({ type, prop }) => [
        type,
        cypher<{ node: NodeRow }>(
          `nodeByNativeStixId_${prop}`,
          `MATCH (n:${label} {${prop}: $stixId})
           RETURN {labels: labels(n), props: properties(n)} AS node
           LIMIT 1`,
        ),
      ]),
    ),
  );

/** The hypothesis whose SUSPECTS link is exported as the `attributed-to` relationship `$stixId`. */
export const BY_ATTRIBUTED_TO_STIX_ID = cypher<{ node: NodeRow }>(
  'nodeByAttributedToStixId',
  `MATCH (n:Hypothesis)-[:SUSPECTS {stixId: $stixId}]->(:Actor)
   RETURN {labels: labels(n), props: properties(n)} AS node
   LIMIT 1`,
);

/** The statement finding the native node of a STIX id of this type, if the export has such ids. */
export function nativeLookup(type: string): Query<{ node: NodeRow }> | null {
  if (type === 'relationship') return BY_ATTRIBUTED_TO_STIX_ID;
  return BY_NATIVE_STIX_ID[type] ?? null;
}

/** The STIX type of a well-formed STIX id, or null when it is not one. */
export function stixTypeOf(sid: string): string | null {
  return STIX_ID_RE.test(sid) ? sid.slice(0, sid.indexOf('--')) : null;
}
