import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ARTIFACT_LABEL_OF_KIND, claimLinkEnds, linkTypeOf } from '../model';
import {
  ArtifactRecord,
  TechnicalLinkRecord,
  ActorRecord,
  AffiliationRecord,
  AliasRecord,
  ClaimRecord,
  EventRecord,
  EvidenceRecord,
  HypothesisRecord,
  IncidentRecord,
  SEED_FILES,
  SeedFileName,
  SourceRecord,
} from './schema';

/** Everything in a seed tree, validated. */
export interface SeedData {
  actors: ActorRecord[];
  sources: SourceRecord[];
  aliases: AliasRecord[];
  affiliations: AffiliationRecord[];
  incidents: IncidentRecord[];
  hypotheses: HypothesisRecord[];
  claims: ClaimRecord[];
  evidence: EvidenceRecord[];
  events: EventRecord[];
  artifacts: ArtifactRecord[];
  /** Technical links, each asserted by a party (claims). */
  links: TechnicalLinkRecord[];
}

/** A seed with no records, to fill (the reader, generators of synthetic corpora). */
export function emptySeed(): SeedData {
  return { actors: [], sources: [], aliases: [], affiliations: [], incidents: [], hypotheses: [], claims: [], evidence: [], events: [], artifacts: [], links: [] };
}

/** One problem in a seed file: which file, which record, which field. */
export interface SeedProblem {
  file: string;
  record?: number;
  id?: string;
  field?: string;
  message: string;
}

/** A seed tree that cannot be loaded; nothing was written. */
export class SeedError extends Error {
  constructor(readonly problems: SeedProblem[]) {
    super(
      `The seed data has ${problems.length} problem(s); nothing was loaded:\n` +
        problems
          .map((p) => {
            const where = [p.file, p.record !== undefined ? `record ${p.record}${p.id ? ` (${p.id})` : ''}` : '', p.field ? `field ${p.field}` : '']
              .filter(Boolean)
              .join(', ');
            return `  ${where}: ${p.message}`;
          })
          .join('\n'),
    );
    this.name = 'SeedError';
  }
}

const KEY: Record<SeedFileName, keyof SeedData> = {
  'actors.yaml': 'actors',
  'sources.yaml': 'sources',
  'aliases.yaml': 'aliases',
  'affiliations.yaml': 'affiliations',
  'incident.yaml': 'incidents',
  'hypotheses.yaml': 'hypotheses',
  'claims.yaml': 'claims',
  'evidence.yaml': 'evidence',
  'events.yaml': 'events',
  'artifacts.yaml': 'artifacts',
  'links.yaml': 'links',
};

function fieldPath(p: PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/**
 * Reads and validates every case folder under `root`: file format, each record's fields, then
 * the references between records and the uniqueness of ids. Throws {@link SeedError} listing
 * every problem found (file, record, field), so one run shows them all.
 */
export function readSeed(root: string): SeedData {
  const data = emptySeed();
  const problems: SeedProblem[] = [];
  const origin = new Map<string, { file: string; record: number }>();
  const rel = (f: string) => path.relative(process.cwd(), f) || f;

  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new SeedError([{ file: rel(root), message: 'is not a folder' }]);
  }
  const folders = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
  for (const folder of folders) {
    for (const name of fs.readdirSync(folder).sort()) {
      const file = path.join(folder, name);
      if (!/\.ya?ml$/.test(name)) continue;
      if (!(name in SEED_FILES)) {
        problems.push({ file: rel(file), message: `unknown seed file; expected one of ${Object.keys(SEED_FILES).join(', ')}` });
        continue;
      }
      const doc = parseDocument(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
      if (doc.errors.length) {
        for (const e of doc.errors) problems.push({ file: rel(file), message: `YAML: ${e.message.split('\n')[0]}` });
        continue;
      }
      const records: unknown = doc.toJS() ?? [];
      if (!Array.isArray(records)) {
        problems.push({ file: rel(file), message: 'must be a YAML list of records' });
        continue;
      }
      const schema: z.ZodType = SEED_FILES[name as SeedFileName];
      records.forEach((raw, i) => {
        const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : undefined;
        const res = schema.safeParse(raw);
        if (!res.success) {
          for (const issue of res.error.issues) problems.push({ file: rel(file), record: i, id, field: fieldPath(issue.path) || undefined, message: issue.message });
          return;
        }
        const rec = res.data as { id: string; ratings?: { id: string }[] };
        for (const rid of [rec.id, ...(rec.ratings ?? []).map((r) => r.id)]) {
          const seen = origin.get(rid);
          if (seen) problems.push({ file: rel(file), record: i, id: rid, field: 'id', message: `duplicate id "${rid}" (first in ${seen.file}, record ${seen.record})` });
          else origin.set(rid, { file: rel(file), record: i });
        }
        (data[KEY[name as SeedFileName]] as unknown[]).push(rec);
      });
    }
  }
  if (problems.length === 0) problems.push(...checkReferences(data, origin));
  if (problems.length) throw new SeedError(problems);
  return data;
}

/** Checks that every reference names an existing record of the right kind. */
function checkReferences(d: SeedData, origin: Map<string, { file: string; record: number }>): SeedProblem[] {
  const problems: SeedProblem[] = [];
  const kinds = {
    actor: new Set(d.actors.map((x) => x.id)),
    source: new Set(d.sources.map((x) => x.id)),
    incident: new Set(d.incidents.map((x) => x.id)),
    hypothesis: new Set(d.hypotheses.map((x) => x.id)),
    evidence: new Set(d.evidence.map((x) => x.id)),
    artifact: new Set(d.artifacts.map((x) => x.id)),
    'actor, artifact or incident': new Set([...d.actors, ...d.artifacts, ...d.incidents].map((x) => x.id)),
  };
  const check = (ownerId: string, field: string, kind: keyof typeof kinds, value: string | undefined) => {
    if (value === undefined || kinds[kind].has(value)) return;
    const o = origin.get(ownerId)!;
    problems.push({ file: o.file, record: o.record, id: ownerId, field, message: `unknown ${kind} "${value}"` });
  };
  const each = (ownerId: string, field: string, kind: keyof typeof kinds, values: string[] | undefined) =>
    (values ?? []).forEach((v, i) => check(ownerId, `${field}[${i}]`, kind, v));

  for (const s of d.sources) {
    check(s.id, 'publisher', 'actor', s.publisher);
    check(s.id, 'originator', 'actor', s.originator);
    check(s.id, 'carries', 'source', s.carries);
  }
  for (const a of d.aliases) {
    check(a.id, 'actor', 'actor', a.actor);
    check(a.id, 'refersTo', 'actor', a.refersTo);
    check(a.id, 'claimant', 'actor', a.claimant);
    each(a.id, 'sources', 'source', a.sources);
  }
  for (const a of d.affiliations) {
    check(a.id, 'actor', 'actor', a.actor);
    check(a.id, 'organisation', 'actor', a.organisation);
    check(a.id, 'claimant', 'actor', a.claimant);
    each(a.id, 'sources', 'source', a.sources);
  }
  for (const i of d.incidents) {
    each(i.id, 'sources', 'source', i.sources);
    (i.related ?? []).forEach((r, k) => check(i.id, `related[${k}].incident`, 'incident', r.incident));
  }
  for (const h of d.hypotheses) {
    check(h.id, 'incident', 'incident', h.incident);
    each(h.id, 'suspects', 'actor', h.suspects);
    check(h.id, 'sponsor', 'actor', h.sponsor);
  }
  for (const c of d.claims) {
    check(c.id, 'claimant', 'actor', c.claimant);
    check(c.id, 'hypothesis', 'hypothesis', c.hypothesis);
    each(c.id, 'sources', 'source', c.sources);
    each(c.id, 'evidence', 'evidence', c.evidence);
  }
  for (const e of d.evidence) {
    check(e.id, 'incident', 'incident', e.incident);
    each(e.id, 'sources', 'source', e.sources);
    e.ratings.forEach((r, k) => {
      check(e.id, `ratings[${k}].hypothesis`, 'hypothesis', r.hypothesis);
      check(e.id, `ratings[${k}].ratedBy`, 'actor', r.ratedBy);
      r.sources.forEach((s, j) => check(e.id, `ratings[${k}].sources[${j}]`, 'source', s));
    });
    // A likelihood row rates the item against EVERY hypothesis of its incident (blank cells are missing).
    const own = d.hypotheses.filter((h) => h.incident === e.incident).map((h) => h.id);
    (e.likelihoods ?? []).forEach((l, k) => {
      check(e.id, `likelihoods[${k}].ratedBy`, 'actor', l.ratedBy);
      l.sources.forEach((s, j) => check(e.id, `likelihoods[${k}].sources[${j}]`, 'source', s));
      for (const h of Object.keys(l.cells)) {
        if (!own.includes(h)) {
          const o = origin.get(e.id)!;
          problems.push({ file: o.file, record: o.record, id: e.id, field: `likelihoods[${k}].cells.${h}`, message: `not a hypothesis of incident "${e.incident}"` });
        }
      }
      for (const h of own.filter((x) => !(x in l.cells))) {
        const o = origin.get(e.id)!;
        problems.push({ file: o.file, record: o.record, id: e.id, field: `likelihoods[${k}].cells`, message: `must rate every hypothesis of the incident: "${h}" is missing` });
      }
    });
  }
  for (const a of d.artifacts) each(a.id, 'sources', 'source', a.sources);
  const labelOf = new Map<string, string>([
    ...d.actors.map((a) => [a.id, 'Actor'] as const),
    ...d.incidents.map((i) => [i.id, 'Incident'] as const),
    ...d.artifacts.map((a) => [a.id, ARTIFACT_LABEL_OF_KIND[a.kind]] as const),
  ]);
  for (const l of d.links) {
    const kind = claimLinkEnds(linkTypeOf(l.link));
    for (const end of ['from', 'to'] as const) {
      const label = labelOf.get(l[end]);
      const allowed = end === 'from' ? kind.from : kind.to;
      if (label && !(allowed as readonly string[]).includes(label)) {
        const o = origin.get(l.id)!;
        problems.push({ file: o.file, record: o.record, id: l.id, field: end, message: `"${l[end]}" is ${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}; a ${l.link} link goes ${end} ${allowed.join(', ')}` });
      }
    }
    check(l.id, 'claimant', 'actor', l.claimant);
    check(l.id, 'from', 'actor, artifact or incident', l.from);
    check(l.id, 'to', 'actor, artifact or incident', l.to);
    each(l.id, 'sources', 'source', l.sources);
  }
  for (const e of d.evidence) each(e.id, 'about', 'artifact', e.about);
  for (const ev of d.events) {
    check(ev.id, 'incident', 'incident', ev.incident);
    each(ev.id, 'sources', 'source', ev.sources);
    (ev.actors ?? []).forEach((a, k) => check(ev.id, `actors[${k}].actor`, 'actor', a.actor));
  }
  return problems;
}
