/**
 * The evidence-first attribution method (docs/scoring.md), as pure functions.
 *
 * Posterior over a mutually exclusive and exhaustive set of hypotheses:
 *   log2 w(h) = log2 prior(h) + sum over units u of bits_u(h),   P(h) = w(h) / sum_j w(j)
 * A unit is an item of evidence (its likelihood row: ACH words as steps of BITS_PER_STEP bits,
 * weighted by credibility, carrier fidelity and sceptics' challenges) or a dependency group of
 * parties' findings (the strongest finding per hypothesis, by access x reliability x credibility,
 * net of the evidence it cites; restatements add RESTATEMENT_WEIGHT). Suspects' statements and
 * the attackers' persona count zero. Every term is listed and the terms sum to the score.
 */
import {
  ACCESS_BITS,
  CASE_ANALYSTS,
  CREDIBILITY_WEIGHT,
  DEFAULT_ACCESS,
  DEFAULT_PRIOR,
  FIDELITY_WEIGHT,
  ICD203,
  Likelihood,
  METHOD_VERSION,
  MethodParams,
  PARAMS,
  RATING_STEPS,
  RELIABILITY_WEIGHT,
  Rated,
  Reliability,
  SELF_SERVING_KINDS,
  TECHNICAL_KINDS,
} from './constants';
import type { ActorSpec, CaseInput, FindingSpec, ItemSpec, SourceSpec } from './inputs';

export const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

/** The ICD 203 word for a probability; a value on a boundary takes the lower band. */
export function likelihoodOf(p: number): { word: Likelihood; band: string } {
  const b = ICD203.find((x) => p <= x.max) ?? ICD203[ICD203.length - 1];
  const pct = (v: number) => Math.round(v * 100);
  const lo = b.word === 'ALMOST_NO_CHANCE' ? 1 : pct(b.min);
  const hi = b.word === 'ALMOST_CERTAIN' ? 99 : pct(b.max);
  return { word: b.word, band: `${lo}-${hi} %` };
}
export const bandIndex = (p: number) => ICD203.indexOf(ICD203.find((x) => p <= x.max)!);

export type EvidenceClass = 'TECHNICAL' | 'INTENT' | 'COMMUNICATION';
export type CellOrigin = 'ANALYSTS' | 'PARTIES' | 'MISSING';
export type TermKind =
  'EVIDENCE' | 'MISSING' | 'FINDING' | 'RESTATEMENT' | 'IMPLIED' | 'NO_ACCESS' | 'SELF_SERVING';

/** One term of a hypothesis' score, in bits. */
export interface Term {
  kind: TermKind;
  /** The unit (dependency group) it belongs to: `item:<id>` or `group:<key>`. */
  group: string;
  evidenceId?: string;
  claimId?: string;
  actorId?: string;
  /** Weight applied to the raw bits (credibility x fidelity x challenges; for findings access x reliability x credibility x fidelity). */
  weight: number;
  points: number;
  reason: string;
}

export interface CellResult {
  hypothesisId: string;
  evidenceId: string;
  /** The cell's likelihood in rating steps (analysts' reading, else the parties' mean); 0 when missing. */
  steps: number;
  bits: number;
  origin: CellOrigin;
  /** Spread of the readings of this cell (population standard deviation of the steps). */
  disagreement: number;
  readingIds: string[];
}

export interface Challenge {
  groupKey: string;
  raterIds: string[];
  strength: number;
}

export interface RowResult {
  evidenceId: string;
  tag: string;
  title: string;
  evidenceClass: EvidenceClass;
  weight: number;
  /** Information credibility as of the date (1-6). */
  credibility: number;
  /** The weight before sceptics' challenges (credibility x carrier fidelity): what a finding citing the item already said. */
  baseWeight: number;
  /** Max - min of the cell bits over the rated cells: 0 = not diagnostic. */
  diagnosticity: number;
  ratedCells: number;
  cells: CellResult[];
  challenges: Challenge[];
}

export interface UnitResult {
  key: string;
  label: string;
  evidenceClass: EvidenceClass;
  kind: 'ITEM' | 'GROUP';
  /** Bits per hypothesis id. */
  bits: Record<string, number>;
  members: string[];
  knownFrom: string | null;
  /** Rests on material not released (items of credibility 3-6 or classified; findings by parties with direct access). */
  unreleased: boolean;
}

export interface HypothesisResult {
  hypothesisId: string;
  rank: number;
  prior: number;
  score: number;
  probability: number;
  likelihood: Likelihood;
  likelihoodBand: string;
  explanation: Term[];
  missingCells: number;
}

export interface MarginalResult {
  key: string;
  label: string;
  sponsor: string | null;
  hypothesisIds: string[];
  prior: number;
  probability: number;
  likelihood: Likelihood;
  likelihoodBand: string;
  /** log2 of the posterior odds. */
  bits: number;
  priorBits: number;
}

export interface CoverageResult {
  cells: number;
  rated: number;
  byAnalysts: number;
  missing: number;
  share: number;
}

export interface CoreResult {
  method: string;
  hypotheses: HypothesisResult[];
  rows: RowResult[];
  units: UnitResult[];
  marginals: MarginalResult[];
  key: MarginalResult | null;
  coverage: CoverageResult;
  /** The dependency group each actor was placed in. */
  groupOf: Record<string, string>;
  /** The group each counted claim was credited to. */
  claimGroups: Record<string, string>;
}

const clamp = (p: number) => Math.min(1, Math.max(0, p));
const log2 = (x: number) => Math.log(x) / Math.LN2;
const GOV_KINDS = new Set(['state', 'agency', 'unit']);

export function evidenceClass(kind: string | null | undefined): EvidenceClass {
  if (kind && TECHNICAL_KINDS.includes(kind)) return 'TECHNICAL';
  if (kind === 'motive') return 'INTENT';
  return 'COMMUNICATION';
}

/**
 * Dependency group of an actor: the government of a state for its agencies, units and the people
 * in them (`gov:US`); else the topmost organisation it belongs to (Carr -> Taia Global); else itself.
 */
export function groupKeyOf(a: ActorSpec | undefined, id: string): string {
  if (!a) return id;
  const chain = [{ id: a.id, kind: a.kind, country: a.country }, ...(a.parts ?? [])];
  const gov = chain
    .filter((x) => x.kind && GOV_KINDS.has(x.kind) && x.country)
    .map((x) => x.country!);
  if (gov.length) return `gov:${[...new Set(gov)].sort()[0]}`;
  const tops = (a.parts ?? []).map((p) => p.id).sort();
  return tops.length ? tops[tops.length - 1] : a.id;
}

const gradeWeight = (
  table: Record<string | number, number>,
  g: string | number,
  unknown: boolean,
  p: MethodParams,
) => (unknown ? p.unknownGrade : table[g]);

/** Credibility weight of an item or a finding (6, cannot be judged, is the unknown weight). */
export function credibilityWeight(c: number | null, p: MethodParams = PARAMS): number {
  const g = c ?? 6;
  return gradeWeight(CREDIBILITY_WEIGHT, g, g === 6, p);
}

/** Reliability weight of an originator (F, cannot be judged, is the unknown weight). */
export function reliabilityWeight(
  r: Reliability | null | undefined,
  p: MethodParams = PARAMS,
): number {
  const g = r ?? 'F';
  return gradeWeight(RELIABILITY_WEIGHT, g, g === 'F', p);
}

/** Fidelity of the best carrier (1 when none is given). */
export function fidelityWeight(sources: SourceSpec[]): number {
  return sources.length ? Math.max(...sources.map((s) => FIDELITY_WEIGHT[s.fidelity])) : 1;
}

const stepsOf = (r: string) => RATING_STEPS[r as Rated];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

interface Context {
  input: CaseInput;
  p: MethodParams;
  actors: Map<string, ActorSpec>;
  groupOf: (id: string) => string;
  excluded: Set<string>;
  hypIds: string[];
}

function context(input: CaseInput, p: MethodParams): Context {
  const actors = new Map(input.actors.map((a) => [a.id, a]));
  const cache = new Map<string, string>();
  const groupOf = (id: string) => {
    if (!cache.has(id)) cache.set(id, groupKeyOf(actors.get(id), id));
    return cache.get(id)!;
  };
  // Self-serving: the suspects of any hypothesis (with everyone in their group) and personas.
  const suspectGroups = new Set(input.hypotheses.flatMap((h) => h.suspects.map(groupOf)));
  const excluded = new Set<string>();
  const all = new Set([
    ...input.findings.map((f) => f.claimantId),
    ...input.items.flatMap((i) => i.readings.map((r) => r.raterId)),
  ]);
  for (const id of all) {
    const a = actors.get(id);
    if (suspectGroups.has(groupOf(id)) || (a?.kind && SELF_SERVING_KINDS.includes(a.kind)))
      excluded.add(id);
  }
  return { input, p, actors, groupOf, excluded, hypIds: input.hypotheses.map((h) => h.id) };
}

/** Builds an item's likelihood row: cells, weight, challenges. */
function row(item: ItemSpec, ctx: Context): RowResult {
  const readings = item.readings.filter((r) => !ctx.excluded.has(r.raterId));
  const analysts = readings.filter((r) => CASE_ANALYSTS.includes(r.raterId));
  const parties = readings.filter((r) => !CASE_ANALYSTS.includes(r.raterId));
  const challenges = new Map<string, Challenge>();
  const cells = ctx.hypIds.map((h): CellResult => {
    const onCell = analysts.filter((r) => r.hypothesisId === h);
    const latest = onCell.reduce<string>(
      (m, r) => ((r.knownFrom ?? '') > m ? (r.knownFrom ?? '') : m),
      '',
    );
    const mine = onCell.filter((r) => (r.knownFrom ?? '') === latest);
    const theirs = parties.filter((r) => r.hypothesisId === h && r.rating !== 'not-applicable');
    const all = [...mine, ...theirs].filter((r) => r.rating !== 'not-applicable');
    const disagreement = round(sd(all.map((r) => stepsOf(r.rating))));
    const readingIds = [...mine, ...theirs].map((r) => r.id);
    if (mine.length) {
      const rated = mine.filter((r) => r.rating !== 'not-applicable');
      const a = rated.length ? mean(rated.map((r) => stepsOf(r.rating))) : 0;
      // A party reading weaker than the analysts' (toward neutral) or of the opposite sign challenges the item.
      const byGroup = new Map<string, { raters: Set<string>; steps: number[] }>();
      for (const r of theirs) {
        const g = ctx.groupOf(r.raterId);
        const e = byGroup.get(g) ?? { raters: new Set(), steps: [] };
        e.raters.add(r.raterId);
        e.steps.push(stepsOf(r.rating));
        byGroup.set(g, e);
      }
      for (const [g, e] of byGroup) {
        const s = mean(e.steps);
        // A sceptic's argument: the party reads the item as pointing nowhere (neutral) or the other way.
        const strength = a === 0 ? 0 : Math.sign(s) === -Math.sign(a) ? 2 : s === 0 ? 1 : 0;
        const prev = challenges.get(g);
        if (strength > (prev?.strength ?? 0))
          challenges.set(g, { groupKey: g, raterIds: [...e.raters].sort(), strength });
      }
      return {
        hypothesisId: h,
        evidenceId: item.id,
        steps: a,
        bits: 0,
        origin: 'ANALYSTS',
        disagreement,
        readingIds,
      };
    }
    if (theirs.length) {
      const byGroup = new Map<string, number[]>();
      for (const r of theirs) {
        const g = ctx.groupOf(r.raterId);
        byGroup.set(g, [...(byGroup.get(g) ?? []), stepsOf(r.rating)]);
      }
      const steps = mean([...byGroup.values()].map(mean));
      return {
        hypothesisId: h,
        evidenceId: item.id,
        steps,
        bits: 0,
        origin: 'PARTIES',
        disagreement,
        readingIds,
      };
    }
    const na = readings.some((r) => r.hypothesisId === h);
    return {
      hypothesisId: h,
      evidenceId: item.id,
      steps: 0,
      bits: 0,
      origin: na ? 'PARTIES' : 'MISSING',
      disagreement,
      readingIds,
    };
  });
  const ch = [...challenges.values()].sort((a, b) => a.groupKey.localeCompare(b.groupKey));
  // Arguments count once, not per voice: the strongest challenge sets the item's discount.
  const nChallenges = ch.reduce((m, c) => Math.max(m, c.strength), 0);
  const baseWeight = round(
    credibilityWeight(item.credibility, ctx.p) * fidelityWeight(item.sources),
  );
  const weight = round(baseWeight * ctx.p.challengeFactor ** nChallenges);
  for (const c of cells) c.bits = round(c.steps * ctx.p.bitsPerStep * weight);
  const rated = cells.filter((c) => c.origin !== 'MISSING');
  const diag = rated.length
    ? Math.max(...rated.map((c) => c.bits)) - Math.min(...rated.map((c) => c.bits))
    : 0;
  return {
    evidenceId: item.id,
    tag: item.tag,
    title: item.title,
    evidenceClass: evidenceClass(item.kind),
    weight,
    credibility: item.credibility,
    baseWeight,
    diagnosticity: round(diag),
    ratedCells: rated.length,
    cells,
    challenges: ch,
  };
}

interface FindingTerm {
  f: FindingSpec;
  group: string;
  gross: number;
  weight: number;
  kind: TermKind;
  reason: string;
  /** Bits per hypothesis: a support counts against each rival, a dispute against its hypothesis. */
  effects: Record<string, number>;
}

/** Media outlets that only report another party's finding are credited to that party's group. */
function echoGroup(f: FindingSpec, ctx: Context): string {
  const a = ctx.actors.get(f.claimantId);
  const own = ctx.groupOf(f.claimantId);
  if (a?.kind !== 'media' || !f.sources.length) return own;
  const root = (s: SourceSpec) => s.root ?? s.id;
  const roots = new Set(f.sources.map(root));
  const others = ctx.input.findings
    .filter(
      (o) =>
        o.stance === f.stance &&
        o.hypothesisId === f.hypothesisId &&
        o.claimantId !== f.claimantId &&
        ctx.actors.get(o.claimantId)?.kind !== 'media' &&
        o.sources.some((s) => roots.has(root(s))),
    )
    .sort((x, y) => x.claimantId.localeCompare(y.claimantId));
  const covered = new Set(others.flatMap((o) => o.sources.map(root)));
  return others.length && [...roots].every((r) => covered.has(r))
    ? ctx.groupOf(others[0].claimantId)
    : own;
}

function findingTerms(ctx: Context, rows: Map<string, RowResult>): FindingTerm[] {
  const name = (id: string) => ctx.actors.get(id)?.name ?? id;
  const terms: FindingTerm[] = [];
  for (const f of [...ctx.input.findings].sort((a, b) => a.id.localeCompare(b.id))) {
    const group = echoGroup(f, ctx);
    const a = ctx.actors.get(f.claimantId);
    const verb = f.stance === 'supports' ? 'supports' : 'disputes';
    if (ctx.excluded.has(f.claimantId)) {
      terms.push({
        f,
        group,
        effects: {},
        gross: 0,
        weight: 0,
        kind: 'SELF_SERVING',
        reason: `${name(f.claimantId)} ${verb} it, but is ${a?.kind === 'persona' ? "the attackers' own persona" : 'a suspect in this incident (or part of one)'}: self-serving, expected under every hypothesis, counts 0`,
      });
      continue;
    }
    const access = a?.access ?? DEFAULT_ACCESS;
    const weight = round(
      reliabilityWeight(a?.reliability, ctx.p) *
        credibilityWeight(f.credibility, ctx.p) *
        fidelityWeight(f.sources),
    );
    const gross = round(ACCESS_BITS[access] * ctx.p.accessScale * weight);
    if (gross === 0) {
      terms.push({
        f,
        group,
        effects: {},
        gross: 0,
        weight,
        kind: 'NO_ACCESS',
        reason: `${name(f.claimantId)} ${verb} it on ${access === 'policy' ? "others' findings (a policy statement or act)" : 'public information only'}: the conclusion adds nothing beyond the readings of the evidence it argues from`,
      });
      continue;
    }
    terms.push({
      f,
      group,
      effects: {},
      gross,
      weight,
      kind: 'FINDING',
      reason: `${name(f.claimantId)} ${verb} it: ${access} access (${ACCESS_BITS[access] * ctx.p.accessScale} bits) x reliability ${a?.reliability ?? 'F'} x credibility ${f.credibility ?? 6} x carrier fidelity = ${gross.toFixed(2)} bits`,
    });
  }
  // What the evidence a group cites already said for a hypothesis (before sceptics' challenges).
  const baseBits = (e: string, h: string) => {
    const r = rows.get(e);
    const cell = r?.cells.find((c) => c.hypothesisId === h);
    return r && cell ? cell.steps * ctx.p.bitsPerStep * r.baseWeight : 0;
  };
  const tag = (h: string) => ctx.input.hypotheses.find((x) => x.id === h)?.tag ?? h;
  const sponsor = new Map(ctx.input.hypotheses.map((x) => [x.id, x.sponsor ?? null]));
  /**
   * The hypotheses a support of h counts against: every other one, except those sharing its
   * sponsor (Q model: a finding that the North Korean state was behind it says nothing on
   * whether its own units worked alone, H1, or with outside help, H5).
   */
  const rivalsOf = (h: string) =>
    ctx.hypIds.filter(
      (j) => j !== h && (sponsor.get(h) == null || sponsor.get(j) !== sponsor.get(h)),
    );
  /**
   * A support of h is evidence against each rival j: its bits, less what the evidence cited by
   * the group already said for h against j (before sceptics' challenges). A dispute of h counts
   * against h, less what the cited evidence already said against h.
   */
  const effectsOf = (
    g: number,
    h: string,
    stance: FindingSpec['stance'],
    basis: string[],
    scale: number,
  ) => {
    const out: Record<string, number> = {};
    if (stance === 'supports') {
      for (const j of rivalsOf(h)) {
        const said = basis.reduce((s, e) => s + baseBits(e, h) - baseBits(e, j), 0);
        const r = round(Math.max(0, g - Math.max(0, said)) * scale);
        if (r !== 0) out[j] = -r;
      }
    } else {
      const said = basis.reduce((s, e) => s + Math.max(0, -baseBits(e, h)), 0);
      const r = round(Math.max(0, g - said) * scale);
      if (r !== 0) out[h] = -r;
    }
    return out;
  };
  // Per group and hypothesis the strongest finding (either stance) counts; the others depend on it.
  const byGroup = new Map<string, FindingTerm[]>();
  for (const t of terms.filter((x) => x.kind === 'FINDING'))
    byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
  for (const [, ts] of byGroup) {
    const byHyp = new Map<string, FindingTerm[]>();
    for (const t of ts) byHyp.set(t.f.hypothesisId, [...(byHyp.get(t.f.hypothesisId) ?? []), t]);
    for (const [, hs] of byHyp)
      hs.sort((x, y) => y.gross - x.gross || x.f.id.localeCompare(y.f.id));
    const supported = new Set(
      [...byHyp.values()]
        .filter((hs) => hs[0].f.stance === 'supports')
        .map((hs) => hs[0].f.hypothesisId),
    );
    const impliedBy = (h: string) => [...supported].filter((k) => rivalsOf(k).includes(h));
    const basis = [...new Set(ts.flatMap((t) => t.f.basis))].sort();
    for (const [h, hs] of byHyp) {
      const lead = hs[0];
      if (lead.f.stance === 'disputes' && impliedBy(h).length) {
        // In an exclusive set, supporting another hypothesis already counts against this one.
        for (const t of hs) {
          t.kind = 'IMPLIED';
          t.reason += `; the same group (${t.group}) supports ${impliedBy(h).map(tag).join(', ')}, which already counts against ${tag(h)}: 0`;
        }
        continue;
      }
      hs.forEach((t, k) => {
        t.effects = effectsOf(t.gross, h, t.f.stance, basis, k === 0 ? 1 : ctx.p.restatementWeight);
        if (basis.length)
          t.reason += `, less what the evidence the group cites (${basis.map((e) => rows.get(e)?.tag ?? e).join(', ')}) already said`;
        if (t.f.stance === 'supports')
          t.reason += `; counted against each hypothesis that does not share its sponsor`;
        if (k > 0) {
          t.kind = 'RESTATEMENT';
          t.reason += `; dependent on ${lead.f.id} (same dependency group ${t.group}, which counts once): x${ctx.p.restatementWeight}`;
        }
      });
    }
  }
  return terms;
}

/**
 * The core evaluation: likelihood rows, finding groups, posterior, marginals. Deterministic and
 * independent of the order of hypotheses, items and findings.
 */
export function evaluate(input: CaseInput, params: MethodParams = PARAMS): CoreResult {
  const ctx = context(input, params);
  const items = [...input.items].sort((a, b) => a.id.localeCompare(b.id));
  const rows = items.map((i) => row(i, ctx));
  const rowById = new Map(rows.map((r) => [r.evidenceId, r]));
  const fterms = findingTerms(ctx, rowById);
  const name = (id: string) => ctx.actors.get(id)?.name ?? id;

  // Units: each item alone, each dependency group of findings.
  const units: UnitResult[] = rows.map((r) => ({
    key: `item:${r.evidenceId}`,
    label: `${r.tag} ${r.title}`,
    evidenceClass: r.evidenceClass,
    kind: 'ITEM',
    bits: Object.fromEntries(r.cells.map((c) => [c.hypothesisId, c.bits])),
    members: [r.evidenceId],
    knownFrom: items.find((i) => i.id === r.evidenceId)?.knownFrom ?? null,
    unreleased:
      r.credibility >= 3 || items.find((i) => i.id === r.evidenceId)?.kind === 'classified',
  }));
  const groups = new Map<string, FindingTerm[]>();
  for (const t of fterms) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  for (const [g, ts] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const bits: Record<string, number> = Object.fromEntries(ctx.hypIds.map((h) => [h, 0]));
    for (const t of ts)
      for (const [h, v] of Object.entries(t.effects)) if (h in bits) bits[h] = round(bits[h] + v);
    const dates = ts
      .map((t) => t.f.knownFrom)
      .filter((d): d is string => !!d)
      .sort();
    const members = [...new Set(ts.map((t) => t.f.claimantId))].sort();
    units.push({
      key: `group:${g}`,
      label: g.startsWith('gov:')
        ? `${g.slice(4)} government (${members.map(name).join(', ')})`
        : members.map(name).join(', '),
      evidenceClass: 'COMMUNICATION',
      kind: 'GROUP',
      bits,
      members: [...new Set(ts.map((t) => t.f.id))].sort(),
      knownFrom: dates[0] ?? null,
      unreleased: ts.some(
        (t) =>
          Object.keys(t.effects).length > 0 &&
          (ctx.actors.get(t.f.claimantId)?.access ?? DEFAULT_ACCESS) === 'direct',
      ),
    });
  }

  // Explanation and posterior.
  const priors = input.hypotheses.map((h) =>
    h.prior != null && h.prior > 0 ? h.prior : DEFAULT_PRIOR,
  );
  const zPrior = priors.reduce((a, b) => a + b, 0);
  const scored = input.hypotheses.map((h, i) => {
    const explanation: Term[] = [];
    let missing = 0;
    for (const r of rows) {
      const c = r.cells.find((x) => x.hypothesisId === h.id)!;
      if (c.origin === 'MISSING') {
        missing++;
        explanation.push({
          kind: 'MISSING',
          group: `item:${r.evidenceId}`,
          evidenceId: r.evidenceId,
          weight: r.weight,
          points: 0,
          reason: `${r.tag} ${r.title}: not rated against this hypothesis (missing, counted as no information, lowers confidence)`,
        });
      } else if (c.bits !== 0)
        explanation.push({
          kind: 'EVIDENCE',
          group: `item:${r.evidenceId}`,
          evidenceId: r.evidenceId,
          weight: r.weight,
          points: c.bits,
          reason: `${r.tag} ${r.title}: ${c.origin === 'ANALYSTS' ? "case analysts' reading" : "parties' reading"} ${c.steps > 0 ? '+' : ''}${round(c.steps, 2)} step(s) x ${params.bitsPerStep} bit x weight ${r.weight.toFixed(2)}${r.challenges.length ? ` (challenged by ${r.challenges.map((x) => x.raterIds.map(name).join(' & ')).join(', ')})` : ''}`,
        });
    }
    for (const t of fterms)
      if (t.f.hypothesisId === h.id || (t.effects[h.id] ?? 0) !== 0)
        explanation.push({
          kind: t.kind,
          group: `group:${t.group}`,
          claimId: t.f.id,
          actorId: t.f.claimantId,
          weight: t.weight,
          points: t.effects[h.id] ?? 0,
          reason:
            t.f.hypothesisId === h.id
              ? t.reason
              : `Against this hypothesis: ${t.reason} (${(t.effects[h.id] ?? 0).toFixed(2)} bits here)`,
        });
    const score = round(explanation.reduce((s, t) => s + t.points, 0));
    return { h, prior: priors[i] / zPrior, score, explanation, missing };
  });
  const logw = scored.map((s) => log2(s.prior) + s.score);
  const max = Math.max(...logw);
  const w = logw.map((x) => 2 ** (x - max));
  const z = w.reduce((a, b) => a + b, 0);
  const ranked = scored
    .map((s, i) => ({ ...s, probability: w[i] / z }))
    .sort((a, b) => b.probability - a.probability || a.h.id.localeCompare(b.h.id));
  const hypotheses: HypothesisResult[] = ranked.map((s, i) => {
    const { word, band } = likelihoodOf(round(s.probability));
    return {
      hypothesisId: s.h.id,
      rank: i + 1,
      prior: round(s.prior),
      score: s.score,
      probability: round(s.probability),
      likelihood: word,
      likelihoodBand: band,
      explanation: s.explanation,
      missingCells: s.missing,
    };
  });

  const marginals = marginalsOf(
    input,
    new Map(ranked.map((s) => [s.h.id, { p: s.probability, prior: s.prior }])),
    name,
  );
  const cells = rows.length * ctx.hypIds.length;
  const rated = rows.reduce((s, r) => s + r.ratedCells, 0);
  const byAnalysts = rows.reduce(
    (s, r) => s + r.cells.filter((c) => c.origin === 'ANALYSTS').length,
    0,
  );
  const claimGroups: Record<string, string> = {};
  for (const t of fterms) claimGroups[t.f.id] = t.group;
  const groupOf: Record<string, string> = {};
  for (const a of input.actors) groupOf[a.id] = ctx.groupOf(a.id);
  return {
    method: METHOD_VERSION,
    hypotheses,
    rows,
    units,
    marginals,
    key: marginals[0] ?? null,
    coverage: {
      cells,
      rated,
      byAnalysts,
      missing: cells - rated,
      share: cells ? round(rated / cells, 4) : 1,
    },
    groupOf,
    claimGroups,
  };
}

/**
 * Marginals: for each state named as sponsor, P(that state behind it) = the sum over the
 * hypotheses naming it. The key judgment (first) is the sponsor named by most hypotheses (ties:
 * larger prior, then id); without sponsors, the top-ranked hypothesis stands alone.
 */
function marginalsOf(
  input: CaseInput,
  post: Map<string, { p: number; prior: number }>,
  name: (id: string) => string,
): MarginalResult[] {
  const bySponsor = new Map<string, string[]>();
  for (const h of input.hypotheses)
    if (h.sponsor) bySponsor.set(h.sponsor, [...(bySponsor.get(h.sponsor) ?? []), h.id]);
  const mk = (
    key: string,
    label: string,
    sponsor: string | null,
    ids: string[],
  ): MarginalResult => {
    const p = clamp(ids.reduce((s, id) => s + post.get(id)!.p, 0));
    const prior = clamp(ids.reduce((s, id) => s + post.get(id)!.prior, 0));
    const { word, band } = likelihoodOf(round(p));
    const lo = (x: number) => round(log2(Math.max(x, 1e-12) / Math.max(1 - x, 1e-12)), 4);
    return {
      key,
      label,
      sponsor,
      hypothesisIds: [...ids].sort(),
      prior: round(prior),
      probability: round(p),
      likelihood: word,
      likelihoodBand: band,
      bits: lo(p),
      priorBits: lo(prior),
    };
  };
  const out = [...bySponsor]
    .map(([s, ids]) =>
      mk(
        `sponsor:${s}`,
        `${input.hypotheses.find((h) => h.sponsor === s)?.sponsorName ?? name(s)} behind it`,
        s,
        ids,
      ),
    )
    .sort(
      (a, b) =>
        b.hypothesisIds.length - a.hypothesisIds.length ||
        b.prior - a.prior ||
        a.key.localeCompare(b.key),
    );
  if (!out.length && post.size) {
    const top = [...post].sort(([a, x], [b, y]) => y.p - x.p || a.localeCompare(b))[0][0];
    const h = input.hypotheses.find((x) => x.id === top)!;
    out.push(mk(`hypothesis:${top}`, `${h.tag}`, null, [top]));
  }
  return out;
}

/** Log-odds (bits) of a marginal from per-hypothesis log2 weights. */
export function marginalBits(logw: Record<string, number>, ids: string[]): number {
  const all = Object.values(logw);
  const m = Math.max(...all);
  let inS = 0;
  let out = 0;
  for (const [h, v] of Object.entries(logw)) {
    if (ids.includes(h)) inS += 2 ** (v - m);
    else out += 2 ** (v - m);
  }
  if (out === 0) return Infinity;
  if (inS === 0) return -Infinity;
  return log2(inS / out);
}
