/**
 * The technical half of the benchmark (issue 13): `overlap` and `Incident.candidates`.
 *
 * Ours reads the specificity counts that writes keep current (`actorCount` on each artifact,
 * `ModelStat.actors`): one statement, no scan of all actors. The floor is the same statement
 * with those two precomputed counts replaced by counts taken at request time (for every artifact
 * of the profile, the actors that use it; and the actors that use anything, a scan of all of
 * them): what a request would cost without the precomputation. Both rank with the same pure
 * function (src/analysis/overlap.ts), so the answers are asserted equal before timing.
 */
import neo4j, { Driver } from 'neo4j-driver';
import { rankCandidates, overlap, type ProfileItem } from '../src/analysis';
import { CANDIDATES, OVERLAP, claimOnRecord, type ProfileRow } from '../src/artifacts/queries';
import { toDate } from '../src/db';

export const CANDIDATES_QUERY = `query Candidates($id: ID!) {
  incident(id: $id) { candidates(first: 10) { rank score actor { id } } }
}`;
export const OVERLAP_QUERY = `query Overlap($a: ID!, $b: ID!) {
  overlap(a: $a, b: $b) { score shared { artifact { id } } }
}`;

/** Ours with the precomputed counts swapped for request-time counts (asserted to apply). */
function requestTimeCounts(text: string): string {
  const df = 'coalesce(m.actorCount, 0)';
  const all = 'coalesce(s.actors, 0)';
  if (!text.includes(df) || !text.includes(all))
    throw new Error('the floor no longer matches the statement it rewrites');
  return text
    .replaceAll(
      df,
      `COUNT { MATCH (:Actor)-[u:USES]->(m) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('u')} } }`,
    )
    .replaceAll(
      all,
      `COUNT { MATCH (x:Actor) WHERE EXISTS { MATCH (x)-[u:USES]->(:Artifact) WHERE EXISTS { MATCH (c:Claim) WHERE ${claimOnRecord('u')} } } }`,
    );
}

export const FLOOR_CANDIDATES = requestTimeCounts(CANDIDATES.text);
export const FLOOR_OVERLAP = requestTimeCounts(OVERLAP.text);

/** A ranking as compared across sides: actor ids with their scores, best first. */
export type Ranked = { actor: string; score: number }[];

const params = () => ({ asOf: null, effective: toDate(new Date().toISOString().slice(0, 10)) });
const items = (rows: ProfileRow[]): ProfileItem[] =>
  rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
const spec = (actors: unknown, rows: ProfileRow[]) => {
  const df = new Map(rows.map((r) => [r.id, Number(r.df)]));
  return { actors: Number(actors), df: (id: string) => df.get(id) ?? 0 };
};

async function read(driver: Driver, text: string, p: Record<string, unknown>) {
  const res = await driver.executeQuery(
    text,
    { ...params(), ...p },
    { routing: neo4j.routing.READ, database: 'neo4j' },
  );
  return res.records[0].toObject() as Record<string, unknown>;
}

/** `candidates(first: 10)` of an incident, in-process, with request-time counts. */
export async function floorCandidates(driver: Driver, incident: string): Promise<Ranked> {
  const row = (await read(driver, FLOOR_CANDIDATES, { incident })) as {
    profile: ProfileRow[];
    actors: unknown;
    candidates: { actor: string; shared: string[] }[];
  };
  const sets = new Map(row.candidates.map((c) => [c.actor, new Set(c.shared)]));
  return rankCandidates(items(row.profile), sets, spec(row.actors, row.profile), 10).map((c) => ({
    actor: c.actor,
    score: c.score,
  }));
}

/** `overlap(a, b)`, in-process, with request-time counts: the score. */
export async function floorOverlap(driver: Driver, a: string, b: string): Promise<number> {
  const row = (await read(driver, FLOOR_OVERLAP, { a, b })) as {
    a: ProfileRow[];
    b: ProfileRow[];
    actors: unknown;
  };
  return overlap(items(row.a), items(row.b), spec(row.actors, [...row.a, ...row.b])).score;
}

/** Ours' answers read the same way. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const oursCandidates = (body: any): Ranked =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (body.data.incident.candidates as any[]).map((c) => ({ actor: c.actor.id, score: c.score }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const oursOverlap = (body: any): number => body.data.overlap.score as number;

export const sameRanking = (a: Ranked, b: Ranked) =>
  a.length === b.length &&
  a.every((x, i) => x.actor === b[i].actor && Math.abs(x.score - b[i].score) < 1e-9);
