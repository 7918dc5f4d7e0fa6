import { cypher, type WriteTx } from '../db';

/**
 * Artifacts: what the technical half of the record is about (malware, tools, infrastructure,
 * techniques, indicators, vulnerabilities, observables). Their labels are in `kinds.ts`; this
 * file holds what every writer of an artifact needs besides: the text the search index reads,
 * and the specificity counts the overlap scores weigh by, kept current by every write of a
 * USES link.
 */

/** The fields of an artifact that search finds it by (besides its name and description). */
export interface ArtifactSearchFields {
  aliases?: readonly string[] | null;
  externalIds?: readonly string[] | null;
  value?: string | null;
  hashes?: Readonly<Record<string, string>> | null;
}

/** The `searchText` property: aliases, external ids (T1485), the value (an IP address) and hashes. */
export function artifactSearchText(a: ArtifactSearchFields): string | undefined {
  const parts = [
    ...(a.aliases ?? []),
    ...(a.externalIds ?? []),
    ...(a.value ? [a.value] : []),
    ...Object.values(a.hashes ?? {}),
  ];
  return parts.length ? parts.join(' | ') : undefined;
}

/**
 * Recounts, for the given artifacts, how many actors use them (`actorCount`, through a USES
 * link with at least one claim not retracted), and the number of actors that use any artifact
 * (`(:ModelStat {id: 'artifact-users'}).actors`). These are the document frequencies of the
 * specificity weights (src/analysis/overlap.ts): precomputed on write, so a request reads them
 * in constant time instead of scanning all actors.
 */
export const REFRESH_SPECIFICITY = cypher<{ n: number }>(
  'refreshSpecificity',
  `UNWIND $ids AS id
   MATCH (a:Artifact {id: id})
   WITH a, COUNT {
     MATCH (:Actor)-[r:USES]->(a)
     WHERE EXISTS { MATCH (c:Claim) WHERE c.id IN r.claims AND c.retractedAt IS NULL }
   } AS n
   WHERE a.actorCount IS NULL OR a.actorCount <> n
   SET a.actorCount = n
   RETURN count(a) AS n`,
);

export const REFRESH_ARTIFACT_USERS = cypher<{ n: number }>(
  'refreshArtifactUsers',
  `MERGE (s:ModelStat {id: 'artifact-users'})
   WITH s, COUNT {
     MATCH (x:Actor) WHERE EXISTS {
       MATCH (x)-[r:USES]->(:Artifact)
       WHERE EXISTS { MATCH (c:Claim) WHERE c.id IN r.claims AND c.retractedAt IS NULL }
     }
   } AS n
   WHERE s.actors IS NULL OR s.actors <> n
   SET s.actors = n
   RETURN n`,
);

/** Brings the specificity counts up to date after USES links to `artifactIds` were written or retracted. */
export async function refreshSpecificity(tx: WriteTx, artifactIds: string[]): Promise<void> {
  await tx.run(REFRESH_SPECIFICITY, { ids: [...new Set(artifactIds)] });
  await tx.run(REFRESH_ARTIFACT_USERS, {});
}
