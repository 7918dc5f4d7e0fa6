/**
 * Technical overlap, explained (docs/scoring.md, "Technical overlap"). Pure functions: the
 * resolvers read the profiles and counts in one statement and pass them here.
 *
 * - A **profile** is the set of artifacts an actor uses or an incident was observed with (as of
 *   a date), each with its kind.
 * - The **specificity** of an artifact is an inverse document frequency over the graph's actors:
 *   `w = ln(1 + N / max(df, 1))`, where `N` is the number of actors that use any artifact and `df`
 *   the number that use this one. A technique used by a hundred groups weighs less than a malware
 *   family used by one. Both counts are kept current by writes (`actorCount`, `ModelStat`).
 * - **overlap(a, b)** is the weighted Jaccard similarity `sum(w, shared) / sum(w, a or b)`; each
 *   shared artifact contributes `w / sum(w, a or b)`, so the terms of the explanation sum to the
 *   score (0 to 1).
 * - **candidates** rank actors by the weighted coverage of an incident's profile,
 *   `sum(w, shared) / sum(w, incident)`: how much of what was found in the incident (weighted by
 *   specificity) the actor is known to use. Again each shared artifact is one term. Nothing here
 *   looks at claims of attribution.
 */

/** One artifact of a profile. */
export interface ProfileItem {
  id: string;
  /** The artifact's label (Malware, Tool, AttackPattern, ...). */
  kind: string;
  name?: string;
}

/** What the specificity weights need: the number of actors, and per artifact how many use it. */
export interface Specificity {
  actors: number;
  df: (artifactId: string) => number;
}

/** The specificity weight of an artifact used by `df` of `actors` actors. */
export function specificityWeight(df: number, actors: number): number {
  return Math.log(1 + Math.max(actors, 1) / Math.max(df, 1));
}

/** One term of an explanation: a shared artifact and the points it adds. */
export interface OverlapTerm {
  artifact: string;
  kind: string;
  /** The artifact's specificity weight. */
  weight: number;
  /** How many actors use it (the document frequency behind the weight). */
  actorCount: number;
  /** Its share of the score; the terms sum to the score. */
  points: number;
  reason: string;
}

export interface OverlapResult {
  score: number;
  /** Shared artifacts by kind (label -> count). */
  byKind: Record<string, number>;
  /** One term per shared artifact, largest first; they sum to `score`. */
  explanation: OverlapTerm[];
  /** Total weight of the denominator (the union, or the incident's profile). */
  total: number;
}

const unique = (items: ProfileItem[]) => [...new Map(items.map((i) => [i.id, i])).values()];

function explain(
  shared: ProfileItem[],
  total: number,
  s: Specificity,
  what: string,
): OverlapResult {
  const explanation = shared
    .map((i) => {
      const df = s.df(i.id);
      const weight = specificityWeight(df, s.actors);
      const points = total > 0 ? weight / total : 0;
      return {
        artifact: i.id,
        kind: i.kind,
        weight,
        actorCount: df,
        points,
        reason: `${i.name ?? i.id} (${i.kind}) is shared; used by ${df} of ${Math.max(s.actors, 1)} actors, weight ${weight.toFixed(2)} of ${total.toFixed(2)} (${what})`,
      };
    })
    .sort((a, b) => b.points - a.points || a.artifact.localeCompare(b.artifact));
  const byKind: Record<string, number> = {};
  for (const t of explanation) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
  return { score: explanation.reduce((n, t) => n + t.points, 0), byKind, explanation, total };
}

/** The weighted Jaccard overlap of two profiles, explained term by term. */
export function overlap(a: ProfileItem[], b: ProfileItem[], s: Specificity): OverlapResult {
  const ua = unique(a);
  const ub = unique(b);
  const inB = new Set(ub.map((i) => i.id));
  const union = unique([...ua, ...ub]);
  const total = union.reduce((n, i) => n + specificityWeight(s.df(i.id), s.actors), 0);
  return explain(
    ua.filter((i) => inB.has(i.id)),
    total,
    s,
    'the weight of everything either side has',
  );
}

/** How much of `target` (weighted) `candidate` covers, explained term by term. */
export function coverage(
  target: ProfileItem[],
  candidate: Set<string>,
  s: Specificity,
): OverlapResult {
  const ut = unique(target);
  const total = ut.reduce((n, i) => n + specificityWeight(s.df(i.id), s.actors), 0);
  return explain(
    ut.filter((i) => candidate.has(i.id)),
    total,
    s,
    "the weight of the incident's profile",
  );
}

export interface TechnicalCandidate extends OverlapResult {
  actor: string;
  rank: number;
}

/**
 * Ranks candidate actors by weighted coverage of the incident's profile (ties by id), best
 * first, keeping actors with a positive score, at most `first`.
 */
export function rankCandidates(
  target: ProfileItem[],
  candidates: Map<string, Set<string>>,
  s: Specificity,
  first = 10,
): TechnicalCandidate[] {
  return [...candidates.entries()]
    .map(([actor, set]) => ({ actor, ...coverage(target, set, s) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.actor.localeCompare(b.actor))
    .slice(0, Math.max(0, first))
    .map((c, i) => ({ ...c, rank: i + 1 }));
}

/** Document frequencies over actor profiles (for tests and offline use; the graph keeps them on write). */
export function documentFrequencies(profiles: Map<string, Set<string>>): Specificity {
  const df = new Map<string, number>();
  for (const set of profiles.values()) for (const id of set) df.set(id, (df.get(id) ?? 0) + 1);
  return {
    actors: [...profiles.values()].filter((p) => p.size > 0).length,
    df: (id) => df.get(id) ?? 0,
  };
}
