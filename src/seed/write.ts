import neo4j from 'neo4j-driver';
import { Db, WriteTx, cleanProps, cypher } from '../db';
import {
  LABELS,
  nodeLabels,
  MERGE_CLAIM_LINK,
  NATIVE_STIX_MISSING,
  NATIVE_STIX_SET,
  SUSPECTS_STIX_MISSING,
  SUSPECTS_STIX_SET,
  attributedToStixId,
  nativeStixProps,
  relStixProps,
  PLAIN_REL_TYPES,
  aliasClaimText,
  affiliationClaimText,
  aliasNodeId,
  dateProps,
  parsePartialDate,
  startDate,
  CLAIM_LINK_TYPES,
  ARTIFACT_LABEL_OF_KIND,
  artifactSearchText,
  linkTypeOf,
  refreshSpecificity,
  technicalClaimText,
  type ClaimLinkRow,
  type ClaimLinkType,
  type Label,
  type PlainRelType,
} from '../model';
import { UNGUARDED_LINKS, bumpRevisions, planRevisionBump } from '../revisions';
import type { SeedData } from './read';

type Props = Record<string, unknown>;
interface RelRow {
  from: string;
  to: string;
  props: Props;
}

/**
 * Upserts nodes of one label; sets only the seed's properties that differ, so a reload changes
 * nothing, and adds rather than replaces, so what analysts wrote through the API on a seed node
 * (provenance, a retraction) survives a reload. A field an admin corrected (`correctedFields`,
 * set by the audited correctText) is the admin's from then on: a reload never reverts it.
 */
const UPSERT_NODES = Object.fromEntries(
  LABELS.map((label) => [
    label,
    cypher<{ id: string }>(
      `seedUpsert${label}`,
      `UNWIND $rows AS row
       MERGE (n:${nodeLabels(label)} {id: row.id})
       WITH n, row, [k IN keys(row) WHERE NOT k IN coalesce(n.correctedFields, [])
                                      AND (n[k] IS NULL OR n[k] <> row[k])] AS changed
       WHERE size(changed) > 0
       FOREACH (k IN changed | SET n[k] = row[k])
       RETURN n.id AS id`,
    ),
  ]),
) as Record<Label, ReturnType<typeof cypher<{ id: string }>>>;

/** Upserts plain relationships of one type between existing nodes, keyed by (from, type, to). */
const UPSERT_RELS = Object.fromEntries(
  PLAIN_REL_TYPES.map((type) => [
    type,
    cypher<{ id: string }>(
      `seedUpsert${type}`,
      `UNWIND $rows AS row
       MATCH (a:Entity {id: row.from})
       MATCH (b:Entity {id: row.to})
       MERGE (a)-[r:${type}]->(b)
       WITH r, row WHERE any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k])
       SET r += row.props
       RETURN row.from AS id`,
    ),
  ]),
) as Record<PlainRelType, ReturnType<typeof cypher<{ id: string }>>>;

/**
 * The case analysts' likelihood rows of an item as rating records, one per cell:
 * `lr-<evidence id>-<hypothesis tag>[-<row>]` (the row number only from the second row on).
 */
export function likelihoodRatings(e: SeedData['evidence'][number], tags: Map<string, string>): SeedData['evidence'][number]['ratings'] {
  return (e.likelihoods ?? []).flatMap((l, k) =>
    Object.entries(l.cells).map(([h, rating]) => ({
      id: `lr-${e.id}-${(tags.get(h) ?? h).toLowerCase()}${k ? `-${k + 1}` : ''}`,
      hypothesis: h, rating, ratedBy: l.ratedBy, ratedAt: l.ratedAt, sources: l.sources, rationale: l.rationale,
    })),
  );
}

/** Turns seed records into node rows per label and relationship rows per type. */
export function toGraph(d: SeedData): {
  nodes: Record<Label, Props[]>;
  rels: Record<PlainRelType, RelRow[]>;
  links: Record<ClaimLinkType, RelRow[]>;
} {
  const nodes = Object.fromEntries(LABELS.map((l) => [l, [] as Props[]])) as Record<Label, Props[]>;
  const rels = Object.fromEntries(PLAIN_REL_TYPES.map((t) => [t, [] as RelRow[]])) as Record<PlainRelType, RelRow[]>;
  const links = Object.fromEntries(CLAIM_LINK_TYPES.map((t) => [t, [] as RelRow[]])) as Record<ClaimLinkType, RelRow[]>;
  const relIndex = new Map<string, RelRow>();
  // Every node and SUSPECTS link carries its native STIX ids (src/model/stixIds.ts).
  const node = (label: Label, props: Props) =>
    nodes[label].push(cleanProps({ ...props, ...nativeStixProps(label, String(props.id)) }));
  const put = (into: Record<string, RelRow[]>, key: string, type: string, from: string, to: string, props: Props, merge?: (row: RelRow) => void) => {
    const existing = relIndex.get(key);
    if (existing) {
      merge?.(existing);
      return;
    }
    const row = { from, to, props: cleanProps({ ...props, ...relStixProps(type, from, to) }) };
    relIndex.set(key, row);
    into[type].push(row);
  };
  const rel = (type: PlainRelType, from: string, to: string, props: Props = {}, merge?: (row: RelRow) => void) =>
    put(rels, `${type}|${from}|${to}`, type, from, to, props, merge);
  /** A link materialised from claims: one row per (from, type, to), listing every claim id. */
  const link = (type: ClaimLinkType, from: string, to: string, claim: string, props: Props = {}) =>
    put(links, `link:${type}|${from}|${to}`, type, from, to, { ...props, claims: [claim] }, (row) => (row.props.claims as string[]).push(claim));
  const cites = (from: string, sources: string[]) => sources.forEach((s) => rel('CITES', from, s));
  const names = new Map(d.actors.map((a) => [a.id, a.name]));
  const tags = new Map(d.hypotheses.map((h) => [h.id, h.tag]));
  const common = (r: { id: string; unverified?: boolean; note?: string }) => ({ id: r.id, unverified: r.unverified ?? false, note: r.note });

  for (const a of d.actors)
    node('Actor', {
      ...common(a), name: a.name, kind: a.kind, country: a.country, description: a.description,
      reliability: a.reliability, reliabilityReason: a.reliabilityReason, access: a.access, accessReason: a.accessReason,
    });
  for (const s of d.sources) {
    node('Source', { ...common(s), tag: s.tag, title: s.title, url: s.url, reliability: s.reliability, reliabilityReason: s.reliabilityReason, ...dateProps('publishedAt', s.publishedAt) });
    rel('PUBLISHED_BY', s.id, s.publisher);
    if (s.originator) rel('RELAYS', s.id, s.originator);
    if (s.carries) rel('CARRIES', s.id, s.carries);
  }
  for (const i of d.incidents) {
    node('Incident', { ...common(i), name: i.name, summary: i.summary, kind: i.kind, ...dateProps('startedAt', i.startedAt) });
    cites(i.id, i.sources);
    for (const r of i.related ?? []) rel('RELATED_TO', i.id, r.incident, { relation: r.relation });
  }
  for (const h of d.hypotheses) {
    node('Hypothesis', { ...common(h), tag: h.tag, statement: h.statement });
    rel('ABOUT', h.id, h.incident);
    h.suspects.forEach((s) => rel('SUSPECTS', h.id, s));
    if (h.sponsor) rel('SPONSORED_BY', h.id, h.sponsor);
  }
  for (const c of d.claims) {
    node('Claim', {
      ...common(c), stance: c.stance, text: c.text, textKind: c.textKind, credibility: c.credibility,
      credibilityBefore: c.credibilityBefore ? JSON.stringify(c.credibilityBefore) : undefined,
      retractionReason: c.retractionReason, ...dateProps('statedAt', c.statedAt),
      ...(c.retractedAt
        ? { retractedAt: startDate(c.retractedAt), retractedAtPrecision: parsePartialDate(c.retractedAt)!.precision }
        : {}),
    });
    rel('BY', c.id, c.claimant);
    rel(c.stance === 'supports' ? 'SUPPORTS' : 'DISPUTES', c.id, c.hypothesis);
    cites(c.id, c.sources);
    (c.evidence ?? []).forEach((e) => rel('BASED_ON', c.id, e));
  }
  for (const a of d.aliases) {
    const target = a.refersTo ?? aliasNodeId(a.name);
    if (!a.refersTo && !nodes.Alias.some((n) => n.id === target)) node('Alias', { id: target, name: a.name });
    node('Claim', {
      ...common(a), stance: 'asserts-alias', alias: a.name, textKind: 'paraphrase',
      text: aliasClaimText(names.get(a.claimant), a.name, names.get(a.actor)), ...dateProps('statedAt', a.statedAt),
    });
    rel('BY', a.id, a.claimant);
    rel('SUBJECT', a.id, a.actor);
    rel('OBJECT', a.id, target);
    cites(a.id, a.sources);
    link('KNOWN_AS', a.actor, target, a.id, { name: a.name });
  }
  for (const a of d.affiliations) {
    node('Claim', {
      ...common(a), stance: 'asserts-affiliation', role: a.role, textKind: 'paraphrase',
      text: affiliationClaimText(names.get(a.claimant), names.get(a.actor), names.get(a.organisation), a.role),
      ...dateProps('statedAt', a.statedAt),
    });
    rel('BY', a.id, a.claimant);
    rel('SUBJECT', a.id, a.actor);
    rel('OBJECT', a.id, a.organisation);
    cites(a.id, a.sources);
    link('PART_OF', a.actor, a.organisation, a.id, { role: a.role });
  }
  for (const e of d.evidence) {
    node('Evidence', {
      ...common(e), tag: e.tag, kind: e.kind, title: e.title, description: e.description, credibility: e.credibility,
      credibilityReason: e.credibilityReason, ...dateProps('reportedAt', e.reportedAt),
      credibilityBefore: e.credibilityBefore ? JSON.stringify(e.credibilityBefore) : undefined,
    });
    rel('OBSERVED_IN', e.id, e.incident);
    (e.about ?? []).forEach((a) => rel('ABOUT', e.id, a));
    cites(e.id, e.sources);
    for (const r of [...e.ratings, ...likelihoodRatings(e, tags)]) {
      node('Rating', { id: r.id, rating: r.rating, rationale: r.rationale, ...dateProps('ratedAt', r.ratedAt) });
      rel('RATES', r.id, e.id);
      rel('AGAINST', r.id, r.hypothesis);
      rel('BY', r.id, r.ratedBy);
      cites(r.id, r.sources);
    }
  }
  for (const ev of d.events) {
    node('Event', { ...common(ev), title: ev.title, description: ev.description, kind: ev.kind, ...dateProps('date', ev.date) });
    rel('IN', ev.id, ev.incident);
    cites(ev.id, ev.sources);
    for (const a of ev.actors ?? []) {
      rel('INVOLVES', ev.id, a.actor, { roles: [a.role] }, (row) => (row.props.roles as string[]).push(a.role));
    }
  }
  const named = new Map<string, string>([...d.actors, ...d.artifacts, ...d.incidents].map((x) => [x.id, x.name]));
  for (const a of d.artifacts) {
    const hashes = Object.entries(a.hashes ?? {}).map(([k, v]) => `${k}:${v}`);
    node(ARTIFACT_LABEL_OF_KIND[a.kind], {
      ...common(a), name: a.name, stixType: a.observableType ?? a.kind, aliases: a.aliases, externalIds: a.externalIds,
      description: a.description, tactics: a.tactics, pattern: a.pattern, patternType: a.patternType,
      observableType: a.observableType, value: a.value, hashes: hashes.length ? hashes : undefined, facts: a.facts,
      searchText: artifactSearchText(a), ...dateProps('firstReportedAt', a.firstReportedAt),
    });
    cites(a.id, a.sources);
  }
  for (const l of d.links) {
    node('Claim', {
      ...common(l), stance: 'asserts-link', link: l.link, textKind: l.textKind ?? 'paraphrase', credibility: l.credibility,
      text: l.text ?? technicalClaimText(named.get(l.claimant), l.link, named.get(l.from), named.get(l.to)),
      facts: l.facts, retractionReason: l.retractionReason, ...dateProps('statedAt', l.statedAt),
      ...(l.retractedAt ? { retractedAt: startDate(l.retractedAt) } : {}),
    });
    rel('BY', l.id, l.claimant);
    rel('SUBJECT', l.id, l.from);
    rel('OBJECT', l.id, l.to);
    cites(l.id, l.sources);
    link(linkTypeOf(l.link), l.from, l.to, l.id);
  }
  return { nodes, rels, links };
}

export interface SeedReport {
  nodes: number;
  relationships: number;
  /** The seed's property writes plus nodes and relationships created: zero when it was already loaded. */
  changes: number;
  /**
   * Native STIX ids stored on nodes and SUSPECTS links that lacked them (written by an older
   * version or by raw Cypher, not by the seed): the backfill that runs with every load.
   */
  stixIdsStored: number;
  statements: number;
}

/** The seed is one bulk transaction: on a busy machine it outlasts an API request's timeout. */
const SEED_TX_TIMEOUT_MS = 120_000;

/**
 * Writes the seed in ONE write transaction, a few UNWIND statements per label and relationship
 * type (not a query per record). MERGE by id and compare-before-set make a second load change
 * nothing; any failure rolls the whole load back.
 */
export async function writeSeed(db: Db, data: SeedData): Promise<SeedReport> {
  const { nodes, rels, links } = toGraph(data);
  await planRevisionBump(db);
  const before = db.statements;
  const { changes, stixIdsStored } = await db.write(async (tx) => {
    let total = 0;
    // Ids whose properties or relationships changed: their incidents get a new revision (a
    // reload that changes nothing bumps nothing).
    const changed: string[] = [];
    const note = (res: { records: { id: string }[]; updates: number }) => {
      total += res.updates;
      for (const r of res.records) changed.push(r.id);
    };
    for (const label of LABELS) if (nodes[label].length) note(await tx.run(UPSERT_NODES[label], { rows: nodes[label] }));
    for (const type of PLAIN_REL_TYPES) {
      if (!rels[type].length) continue;
      const res = await tx.run(UPSERT_RELS[type], { rows: rels[type] });
      note(UNGUARDED_LINKS.has(type) ? { records: [], updates: res.updates } : res);
    }
    for (const type of CLAIM_LINK_TYPES) {
      if (!links[type].length) continue;
      const res = await tx.run(MERGE_CLAIM_LINK[type], { rows: links[type].map(claimLinkRow) });
      note(UNGUARDED_LINKS.has(type) ? { records: [], updates: res.updates } : res);
    }
    if (links.USES.length) await refreshSpecificity(tx, links.USES.map((r) => r.to));
    await bumpRevisions(tx, changed);
    return { changes: total, stixIdsStored: await storeMissingStixIds(tx) };
  }, { timeoutMs: Math.max(db.txTimeoutMs, SEED_TX_TIMEOUT_MS) });
  return {
    nodes: LABELS.reduce((n, l) => n + nodes[l].length, 0),
    relationships:
      PLAIN_REL_TYPES.reduce((n, t) => n + rels[t].length, 0) + CLAIM_LINK_TYPES.reduce((n, t) => n + links[t].length, 0),
    changes,
    stixIdsStored,
    statements: db.statements - before,
  };
}

/** How many nodes or links {@link storeMissingStixIds} reads per statement. */
const STIX_BACKFILL_BATCH = 5000;

/**
 * Stores the native STIX ids that nodes and SUSPECTS links written before they were stored
 * (an older database, or data written by raw Cypher) lack, so `stixObject` finds every node by
 * index. Runs with each seed load (every start); nothing to do on a current database.
 */
export async function storeMissingStixIds(tx: WriteTx): Promise<number> {
  let updates = 0;
  for (;;) {
    const { records } = await tx.run(NATIVE_STIX_MISSING, { limit: neo4j.int(STIX_BACKFILL_BATCH) });
    if (!records.length) break;
    const rows = records.map((r) => ({ id: r.id, props: nativeStixProps(r.label, r.id) }));
    updates += (await tx.run(NATIVE_STIX_SET, { rows })).updates;
    if (records.length < STIX_BACKFILL_BATCH) break;
  }
  for (;;) {
    const { records } = await tx.run(SUSPECTS_STIX_MISSING, { limit: neo4j.int(STIX_BACKFILL_BATCH) });
    if (!records.length) break;
    const rows = records.map((r) => ({ ...r, stixId: attributedToStixId(r.from, r.to) }));
    updates += (await tx.run(SUSPECTS_STIX_SET, { rows })).updates;
    if (records.length < STIX_BACKFILL_BATCH) break;
  }
  return updates;
}


/** A materialised link row of {@link toGraph} as the shared claim-link merge takes it. */
function claimLinkRow(row: RelRow): ClaimLinkRow {
  const { claims, ...props } = row.props;
  return { from: row.from, to: row.to, claims: claims as string[], props };
}
