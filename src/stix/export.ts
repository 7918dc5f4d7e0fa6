import type { Db, Query } from '../db';
import { OUR_PROPERTIES } from './reader';
import { toIsoDate } from '../db';
import { ObservableType, attributedToStixId, observableStixId } from '../model';
import {
  EXPORT_ACTORS,
  EXPORT_AFFILIATION_CLAIMS,
  EXPORT_ALIAS_CLAIMS,
  EXPORT_ARTIFACTS,
  EXPORT_CLAIMS,
  EXPORT_EVENTS,
  EXPORT_EVIDENCE,
  EXPORT_HYPOTHESES,
  EXPORT_IMPORTED,
  EXPORT_INCIDENTS,
  EXPORT_SOURCES,
  EXPORT_TECHNICAL_CLAIMS,
  EXPORT_TECHNICAL_SCOPE,
} from './queries';
import {
  EVENT_TYPE,
  EVIDENCE_TYPE,
  EXTENSION_DATE,
  EXTENSION_ID,
  EXTENSION_VERSION,
  RELIABILITY_LABELS,
  TOOL_IDENTITY_ID,
  STANCE_TO_OPINION,
  StixBundle,
  StixObject,
  X_ID,
  credibilityToConfidence,
  dayToStix,
  sortObjects,
  stixId,
} from './model';

type Props = Record<string, unknown>;
type RowOf<Q> = Q extends Query<infer R> ? R : never;
type AffiliationRow = RowOf<typeof EXPORT_AFFILIATION_CLAIMS>;
type SourceRow = RowOf<typeof EXPORT_SOURCES>;

/** The fallback day of an object the record dates nowhere: the day our extension was defined. */
const UNDATED_DAY = EXTENSION_DATE.slice(0, 10);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const day = (v: unknown): string | undefined => toIsoDate(v) ?? undefined;

/** Drops undefined values and empty arrays (STIX forbids empty lists), keeping key order. */
function clean<T extends Props>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

/** Earlier credibility grades (stored as JSON by the seed), in a fixed key order. */
function credibilityBefore(
  v: unknown,
): { until: string; credibility: number; reason: string }[] | undefined {
  if (typeof v !== 'string') return undefined;
  const list = JSON.parse(v) as { until: string; credibility: number; reason: string }[];
  return list.map((x) => ({ until: x.until, credibility: x.credibility, reason: x.reason }));
}

/** Our analyst marks on any node: `unverified` (only when true) and the free-text `note`. */
const marks = (n: Props) => ({
  x_attribution_unverified: n.unverified === true ? true : undefined,
  x_attribution_note: str(n.note),
});

/** `identity_class` (identity-class-ov) for our actor kinds. */
const IDENTITY_CLASS: Record<string, string> = {
  person: 'individual',
  group: 'group',
  persona: 'unknown',
  state: 'organization',
  agency: 'organization',
  unit: 'organization',
  company: 'organization',
  media: 'organization',
};

/** `threat_actor_types` (threat-actor-type-ov) for our actor kinds. */
const THREAT_ACTOR_TYPES: Record<string, string> = {
  state: 'nation-state',
  agency: 'nation-state',
  unit: 'nation-state',
};

/**
 * The relationship types STIX 2.1 suggests between two types (section 4, as the OASIS validator
 * checks them) for the technical links we export: a link between other ends is exported as
 * `related-to`, with `x_attribution_link` naming it.
 */
const ATTACKER_LINKS = {
  targets: ['identity', 'location', 'vulnerability'],
  uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
};
const SPEC_LINKS: Record<string, Record<string, readonly string[]>> = {
  malware: {
    'communicates-with': ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url'],
    drops: ['malware', 'file', 'tool'],
    targets: ['identity', 'infrastructure', 'location'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
    'variant-of': ['malware'],
  },
  tool: {
    drops: ['malware'],
    uses: ['infrastructure'],
    targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
  },
  infrastructure: {
    'communicates-with': ['infrastructure', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url'],
    uses: ['infrastructure'],
  },
  'attack-pattern': {
    targets: ['location', 'vulnerability', 'identity'],
    uses: ['malware', 'tool'],
  },
  indicator: {
    indicates: [
      'attack-pattern',
      'campaign',
      'infrastructure',
      'intrusion-set',
      'malware',
      'threat-actor',
      'tool',
    ],
  },
  campaign: ATTACKER_LINKS,
  'intrusion-set': ATTACKER_LINKS,
  'threat-actor': ATTACKER_LINKS,
};
const OBSERVABLE_TYPES = new Set<string>(ObservableType.options);
/** Artifact SDOs with an `aliases` property, and those with `kill_chain_phases`. */
const WITH_ALIASES = new Set(['malware', 'tool', 'infrastructure', 'attack-pattern']);
const WITH_PHASES = new Set(['malware', 'tool', 'infrastructure', 'attack-pattern', 'indicator']);
/** Observables known by a `value` (the others: a file or mutex by `name`, a registry key by `key`). */
const BY_VALUE = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr']);
/** Who issues an external id: ATT&CK (T1485, S0366, G0032), CVE, else this record. */
const issuerOf = (externalId: string) =>
  /^(T|S|G|M|C|TA|DS)\d{4}/.test(externalId)
    ? 'mitre-attack'
    : /^CVE-/.test(externalId)
      ? 'cve'
      : 'attribution-graph';
const typeOfRef = (ref: string) => ref.slice(0, ref.indexOf('--'));

export interface ExportOptions {
  /** One incident id; all incidents when absent. */
  incident?: string;
}

/**
 * Exports an incident (or every incident) as a STIX 2.1 bundle. Ids are UUIDv5 of our ids, so
 * the same graph always gives the same bundle; objects are sorted by type and id. See
 * docs/stix-mapping.md for the mapping, field by field.
 */
export async function exportStix(db: Db, opts: ExportOptions = {}): Promise<StixBundle> {
  const incidents = await db.read(EXPORT_INCIDENTS, { incident: opts.incident ?? null });
  if (opts.incident && incidents.length === 0)
    throw new Error(`no incident with id "${opts.incident}"`);
  const incidentIds = incidents.map((r) => r.i.id as string);
  const hypotheses = await db.read(EXPORT_HYPOTHESES, { incidents: incidentIds });
  const claims = await db.read(EXPORT_CLAIMS, { hypotheses: hypotheses.map((h) => h.h.id) });
  const evidence = await db.read(EXPORT_EVIDENCE, { incidents: incidentIds });
  const events = await db.read(EXPORT_EVENTS, { incidents: incidentIds });

  const suspects = new Set(hypotheses.flatMap((h) => h.suspects));
  const aliasClaims = await db.read(EXPORT_ALIAS_CLAIMS, { actors: [...suspects] });

  // Which exported object cites which source (a report's object_refs). `@actor:<id>` stands for
  // an actor's object and `@source:<id>` for a source's, resolved once the types are known.
  const citedBy = new Map<string, Set<string>>();
  const cite = (source: string, objectId: string) => {
    if (!citedBy.has(source)) citedBy.set(source, new Set());
    citedBy.get(source)!.add(objectId);
  };
  for (const r of incidents)
    for (const s of r.sources) cite(s, stixId('incident', r.i.id as string));
  for (const c of claims) for (const s of c.sources) cite(s, stixId('opinion', c.c.id as string));
  for (const a of aliasClaims) for (const s of a.sources) cite(s, '@actor:' + a.actor);
  for (const e of evidence) {
    const ref = stixId(EVIDENCE_TYPE, e.e.id as string);
    for (const s of e.sources) cite(s, ref);
    for (const r of e.ratings) for (const s of r.sources) cite(s, ref);
  }
  for (const ev of events)
    for (const s of ev.sources) cite(s, stixId(EVENT_TYPE, ev.ev.id as string));

  // Speakers (identity): everyone who states something or publishes a cited source. Every other
  // actor the record names (raters, participants, sponsors, organisations, originators) is
  // exported too: as an identity, or as the suspect it is.
  const speakers = new Set<string>();
  const actorIds = new Set<string>(suspects);
  const speaker = (id: string | null | undefined) => {
    if (!id) return;
    speakers.add(id);
    actorIds.add(id);
  };
  const mention = (id: string | null | undefined) => (id ? actorIds.add(id) : undefined);
  for (const c of claims) speaker(c.claimant);
  for (const a of aliasClaims) speaker(a.claimant);
  for (const h of hypotheses) mention(h.sponsor);
  for (const e of evidence) for (const r of e.ratings) mention(r.rater);
  for (const ev of events) for (const p of ev.participants) mention(p.actor);

  // The technical record: artifacts (observed in the incidents, used by the suspects, named by
  // the evidence, and one technical link away) and every claim of a technical link among them,
  // the incidents and the actors; every actor using one of the artifacts comes along, so that
  // the specificity counts (and the incidents' candidates) come back the same.
  const [scope] = await db.read(EXPORT_TECHNICAL_SCOPE, {
    incidents: incidentIds,
    actors: [...suspects],
    evidence: evidence.map((e) => e.e.id as string),
  });
  for (const u of scope?.users ?? []) mention(u);
  const artifacts = (await db.read(EXPORT_ARTIFACTS, { ids: scope?.artifacts ?? [] })).filter(
    (r) => str(r.a.stixType) ?? str(r.a.observableType),
  );
  const artifactType = new Map(
    artifacts.map((r) => [r.a.id as string, (str(r.a.stixType) ?? str(r.a.observableType))!]),
  );
  const artifactRef = (id: string) => {
    const type = artifactType.get(id)!;
    return OBSERVABLE_TYPES.has(type) ? observableStixId(type, id) : stixId(type, id);
  };
  const technical = await db.read(EXPORT_TECHNICAL_CLAIMS, {
    ids: [...artifactType.keys(), ...incidentIds, ...actorIds],
  });
  for (const c of technical) speaker(c.claimant);
  for (const a of artifacts) for (const s of a.sources) cite(s, artifactRef(a.a.id as string));
  for (const c of technical)
    for (const s of c.sources) cite(s, stixId('relationship', c.c.id as string));

  // Affiliations of every exported actor, and the sources cited, closed over what they name
  // (an organisation's own affiliations, a carried source's publisher...).
  let affiliations: AffiliationRow[] = [];
  let sources: SourceRow[] = [];
  for (let size = -1; size !== actorIds.size + citedBy.size;) {
    size = actorIds.size + citedBy.size;
    affiliations = await db.read(EXPORT_AFFILIATION_CLAIMS, { actors: [...actorIds] });
    for (const a of affiliations) {
      speaker(a.claimant);
      mention(a.organisation);
      for (const s of a.sources) cite(s, '@actor:' + a.actor);
    }
    sources = await db.read(EXPORT_SOURCES, { ids: [...citedBy.keys()] });
    for (const s of sources) {
      speaker(s.publisher);
      mention(s.relays);
      if (s.carries) cite(s.carries, '@source:' + (s.s.id as string));
    }
  }
  const actors = await db.read(EXPORT_ACTORS, { ids: [...actorIds] });
  const actorById = new Map(actors.map((r) => [r.a.id as string, r]));
  const sourceById = new Map(sources.map((s) => [s.s.id as string, s]));
  const evidenceIds = new Set(evidence.map((e) => e.e.id as string));

  const suspectType = (id: string): 'intrusion-set' | 'threat-actor' => {
    const a = actorById.get(id);
    return a && a.a.kind === 'group' && a.hasAliases ? 'intrusion-set' : 'threat-actor';
  };
  const suspectRef = (id: string) => stixId(suspectType(id), id);
  /** An actor has an identity when it speaks or is not a suspect (as the STIX bridge says). */
  const hasIdentity = (id: string) => speakers.has(id) || !suspects.has(id);
  const identityRef = (id: string | null | undefined) =>
    id && actorById.has(id) ? stixId('identity', id) : undefined;
  /** The object that stands for an actor: its identity, else its suspect object. */
  const actorRef = (id: string | null | undefined) =>
    id && actorById.has(id)
      ? hasIdentity(id)
        ? stixId('identity', id)
        : suspectRef(id)
      : undefined;
  const sourceRef = (id: string) =>
    stixId(day(sourceById.get(id)?.s.publishedAt) ? 'report' : 'note', id);
  const resolveCiter = (ref: string) =>
    ref.startsWith('@actor:')
      ? (actorRef(ref.slice(7)) ?? suspectRef(ref.slice(7)))
      : ref.startsWith('@source:')
        ? sourceRef(ref.slice(8))
        : ref;
  const sourceRefs = (ids: string[]) => ids.filter((sid) => sourceById.has(sid)).map(sourceRef);

  const objects: StixObject[] = [];
  const extRefs = (ids: string[]) =>
    ids.flatMap((id) => {
      const s = sourceById.get(id);
      if (!s) return [];
      const publisher = s.publisher ? actorById.get(s.publisher) : undefined;
      const date = day(s.s.publishedAt);
      // No `url` here: STIX wants a hash with a URL, which we do not have; the report of the
      // source carries it (x_attribution_url).
      return [
        clean({
          source_name: (publisher?.a.name as string | undefined) ?? (s.s.tag as string),
          description: `${s.s.tag as string}: ${s.s.title as string}${date ? ` (${date}, ${s.s.publishedAtPrecision as string} precision)` : ''}`,
          external_id: s.s.tag as string,
        }),
      ];
    });

  // Incidents.
  const incidentStart = new Map<string, string>();
  for (const r of incidents) {
    const i = r.i;
    const started = day(i.startedAt) ?? day(i.createdAt) ?? UNDATED_DAY;
    incidentStart.set(i.id as string, started);
    objects.push(
      clean({
        type: 'incident',
        spec_version: '2.1',
        id: stixId('incident', i.id as string),
        created: dayToStix(started),
        modified: dayToStix(started),
        name: i.name as string,
        description: str(i.summary),
        external_references: extRefs(r.sources),
        [X_ID]: i.id as string,
        x_attribution_kind: str(i.kind),
        x_attribution_started: started,
        x_attribution_started_precision: str(i.startedAtPrecision),
        ...marks(i),
      }),
    );
  }

  // When the record first names each actor: its earliest claim, alias claim, published source or
  // hypothesis naming it as a suspect (an actor the API created: its createdAt).
  const firstNamed = new Map<string, string>();
  const named = (id: string | null | undefined, d: string | undefined) => {
    if (!id || !d) return;
    const prev = firstNamed.get(id);
    if (!prev || d < prev) firstNamed.set(id, d);
  };
  for (const c of claims) named(c.claimant, day(c.c.statedAt));
  for (const a of aliasClaims) {
    named(a.claimant, day(a.c.statedAt));
    named(a.actor, day(a.c.statedAt));
  }
  for (const s of sources) named(s.publisher, day(s.s.publishedAt));
  for (const h of hypotheses)
    for (const sid of h.suspects) named(sid, day(h.firstStated) ?? incidentStart.get(h.incident));
  for (const a of affiliations) {
    named(a.claimant, day(a.c.statedAt));
    named(a.actor, day(a.c.statedAt));
    named(a.organisation, day(a.c.statedAt));
  }
  for (const s of sources) named(s.relays, day(s.s.publishedAt));
  for (const h of hypotheses) named(h.sponsor, day(h.firstStated) ?? incidentStart.get(h.incident));
  for (const e of evidence)
    for (const r of e.ratings) named(r.rater, day(r.r.ratedAt) ?? incidentStart.get(e.incident));
  for (const ev of events)
    for (const p of ev.participants)
      named(p.actor, day(ev.ev.date) ?? incidentStart.get(ev.incident));
  for (const r of actors) named(r.a.id as string, day(r.a.createdAt));

  // The affiliation claims of each actor (PART_OF), on the actor's own object.
  const affiliationsOf = new Map<string, Record<string, unknown>[]>();
  for (const a of affiliations) {
    const list = affiliationsOf.get(a.actor) ?? [];
    affiliationsOf.set(a.actor, list);
    list.push(
      clean({
        id: a.c.id as string,
        organisation_ref: actorRef(a.organisation),
        role: str(a.c.role),
        text: str(a.c.text),
        text_kind: str(a.c.textKind),
        claimant_ref: actorRef(a.claimant),
        stated: day(a.c.statedAt),
        stated_precision: str(a.c.statedAtPrecision),
        credibility: typeof a.c.credibility === 'number' ? a.c.credibility : undefined,
        unverified: a.c.unverified === true ? true : undefined,
        note: str(a.c.note),
        source_refs: sourceRefs(a.sources),
      }),
    );
  }

  // Suspects (threat-actor / intrusion-set with aliases) and speakers (identity).
  const aliasesOf = new Map<string, typeof aliasClaims>();
  for (const a of aliasClaims) aliasesOf.set(a.actor, [...(aliasesOf.get(a.actor) ?? []), a]);
  for (const r of actors) {
    const a = r.a;
    const id = a.id as string;
    const since = dayToStix(firstNamed.get(id) ?? UNDATED_DAY);
    const common = {
      spec_version: '2.1',
      created: since,
      modified: since,
      name: a.name as string,
      description: str(a.description),
    };
    const custom = {
      [X_ID]: id,
      x_attribution_kind: str(a.kind),
      x_attribution_country: str(a.country),
      // Grades of the actor as an originator of findings (docs/scoring.md).
      x_attribution_reliability: str(a.reliability),
      x_attribution_reliability_reason: str(a.reliabilityReason),
      x_attribution_access: str(a.access),
      x_attribution_access_reason: str(a.accessReason),
      ...marks(a),
    };
    if (suspects.has(id)) {
      const type = suspectType(id);
      const ac = aliasesOf.get(id) ?? [];
      // Aliases from the alias claims; each one cited ATT&CK-style by an external reference
      // whose source_name is the alias and whose description says who gives it, when, and why.
      const aliases = [...new Set(ac.map((c) => c.c.alias as string))].sort();
      const aliasRefs = ac.map((c) => ({
        source_name: c.c.alias as string,
        description: `Alias claim ${c.c.id as string}: ${c.c.text as string} Stated ${day(c.c.statedAt) ?? 'on an unknown date'}${c.sources.length ? `; sources ${c.sources.join(', ')}` : ''}.`,
        external_id: c.c.id as string,
      }));
      objects.push(
        clean({
          type,
          ...common,
          id: stixId(type, id),
          ...(type === 'threat-actor'
            ? { threat_actor_types: [THREAT_ACTOR_TYPES[a.kind as string] ?? 'unknown'] }
            : {}),
          aliases,
          external_references: [...aliasRefs, ...extRefs(ac.flatMap((c) => c.sources))],
          ...custom,
          x_attribution_affiliation_claims: hasIdentity(id) ? undefined : affiliationsOf.get(id),
          // The alias claims themselves, so that an import recreates them (ids, claimant, date).
          x_attribution_alias_claims: ac.map((c) =>
            clean({
              id: c.c.id as string,
              alias: c.c.alias as string,
              text: c.c.text as string,
              text_kind: str(c.c.textKind),
              claimant_ref: identityRef(c.claimant),
              stated: day(c.c.statedAt),
              stated_precision: str(c.c.statedAtPrecision),
              credibility: typeof c.c.credibility === 'number' ? c.c.credibility : undefined,
              unverified: c.c.unverified === true ? true : undefined,
              note: str(c.c.note),
              source_refs: sourceRefs(c.sources),
            }),
          ),
        }),
      );
    }
    if (hasIdentity(id)) {
      objects.push(
        clean({
          type: 'identity',
          ...common,
          id: stixId('identity', id),
          identity_class: IDENTITY_CLASS[a.kind as string] ?? 'unknown',
          ...custom,
          x_attribution_affiliation_claims: affiliationsOf.get(id),
        }),
      );
    }
  }

  // Hypotheses: one attributed-to relationship per (hypothesis, suspect).
  const relsOf = new Map<string, string[]>();
  for (const h of hypotheses) {
    const hid = h.h.id as string;
    const created = day(h.firstStated) ?? incidentStart.get(h.incident)!;
    for (const s of h.suspects) {
      const id = attributedToStixId(hid, s);
      relsOf.set(hid, [...(relsOf.get(hid) ?? []), id]);
      objects.push(
        clean({
          type: 'relationship',
          spec_version: '2.1',
          id,
          created: dayToStix(created),
          modified: dayToStix(created),
          // related-to: STIX 2.1 suggests attributed-to only from a campaign or intrusion set,
          // and an incident is neither; x_attribution_hypothesis says what it is.
          relationship_type: 'related-to',
          source_ref: stixId('incident', h.incident),
          target_ref: suspectRef(s),
          description: `Hypothesis ${h.h.tag as string}: ${h.h.statement as string}`,
          [X_ID]: `${hid}>${s}`,
          x_attribution_hypothesis: hid,
          x_attribution_hypothesis_tag: str(h.h.tag),
          x_attribution_sponsor_ref: actorRef(h.sponsor),
          x_attribution_prior: typeof h.h.prior === 'number' ? h.h.prior : undefined,
          ...marks(h.h),
        }),
      );
    }
  }

  // Claims: one opinion each, about the attributed-to relationships of its hypothesis.
  const hypIncident = new Map(hypotheses.map((h) => [h.h.id as string, h.incident]));
  for (const r of claims) {
    const c = r.c;
    const cid = c.id as string;
    const stated = day(c.statedAt) ?? incidentStart.get(hypIncident.get(r.hypothesis)!)!;
    const retracted = day(c.retractedAt);
    const claimant = r.claimant ? actorById.get(r.claimant) : undefined;
    objects.push(
      clean({
        type: 'opinion',
        spec_version: '2.1',
        id: stixId('opinion', cid),
        created_by_ref: identityRef(r.claimant),
        created: dayToStix(stated),
        modified: dayToStix(retracted && retracted > stated ? retracted : stated),
        explanation: c.text as string,
        authors: claimant ? [claimant.a.name as string] : undefined,
        opinion: STANCE_TO_OPINION[r.stance as 'supports' | 'disputes'],
        object_refs: relsOf.get(r.hypothesis) ?? [],
        confidence: credibilityToConfidence(c.credibility as number | undefined),
        external_references: extRefs(r.sources),
        [X_ID]: cid,
        x_attribution_stance: r.stance,
        x_attribution_hypothesis: r.hypothesis,
        x_attribution_stated: day(c.statedAt),
        x_attribution_stated_precision: str(c.statedAtPrecision),
        x_attribution_text_kind: str(c.textKind),
        x_attribution_credibility: typeof c.credibility === 'number' ? c.credibility : undefined,
        x_attribution_retracted: retracted,
        x_attribution_retracted_precision: retracted ? str(c.retractedAtPrecision) : undefined,
        x_attribution_retraction_reason: str(c.retractionReason),
        x_attribution_credibility_before: credibilityBefore(c.credibilityBefore),
        x_attribution_evidence_refs: r.evidence
          .filter((e) => evidenceIds.has(e))
          .map((e) => stixId(EVIDENCE_TYPE, e)),
        ...marks(c),
      }),
    );
  }

  // Items of evidence (our new SDO), with every rating of them: the parties' and the case
  // analysts' readings against each hypothesis, who gave them, when, why and citing what.
  for (const r of evidence) {
    const e = r.e;
    const reported = day(e.reportedAt);
    const since = dayToStix(reported ?? incidentStart.get(r.incident)!);
    objects.push(
      clean({
        type: EVIDENCE_TYPE,
        spec_version: '2.1',
        id: stixId(EVIDENCE_TYPE, e.id as string),
        created: since,
        modified: since,
        name: e.title as string,
        description: str(e.description),
        external_references: extRefs(r.sources),
        [X_ID]: e.id as string,
        x_attribution_incident_ref: stixId('incident', r.incident),
        x_attribution_tag: str(e.tag),
        x_attribution_kind: str(e.kind),
        x_attribution_reported: reported,
        x_attribution_reported_precision: str(e.reportedAtPrecision) ?? 'unknown',
        x_attribution_credibility: typeof e.credibility === 'number' ? e.credibility : undefined,
        x_attribution_credibility_reason: str(e.credibilityReason),
        x_attribution_credibility_before: credibilityBefore(e.credibilityBefore),
        x_attribution_source_refs: sourceRefs(r.sources),
        x_attribution_about_refs: r.about.filter((a) => artifactType.has(a)).map(artifactRef),
        x_attribution_ratings: r.ratings.flatMap((g) => {
          const hyp = relsOf.get(g.hypothesis)?.[0];
          const rater = actorRef(g.rater);
          if (!hyp || !rater) return [];
          return [
            clean({
              id: g.r.id as string,
              hypothesis_ref: hyp,
              rating: g.r.rating as string,
              rater_ref: rater,
              rated: day(g.r.ratedAt),
              rated_precision: str(g.r.ratedAtPrecision) ?? 'unknown',
              rationale: str(g.r.rationale),
              source_refs: sourceRefs(g.sources),
            }),
          ];
        }),
        ...marks(e),
      }),
    );
  }

  // Timeline events (our new SDO), with the actors they involve and in which roles.
  for (const r of events) {
    const ev = r.ev;
    const date = day(ev.date);
    const since = dayToStix(date ?? incidentStart.get(r.incident)!);
    objects.push(
      clean({
        type: EVENT_TYPE,
        spec_version: '2.1',
        id: stixId(EVENT_TYPE, ev.id as string),
        created: since,
        modified: since,
        name: ev.title as string,
        description: str(ev.description),
        external_references: extRefs(r.sources),
        [X_ID]: ev.id as string,
        x_attribution_incident_ref: stixId('incident', r.incident),
        x_attribution_kind: str(ev.kind),
        x_attribution_date: date,
        x_attribution_date_precision: str(ev.datePrecision) ?? 'unknown',
        x_attribution_source_refs: sourceRefs(r.sources),
        x_attribution_participants: r.participants.flatMap((p) => {
          const ref = actorRef(p.actor);
          return ref ? [{ actor_ref: ref, roles: [...p.roles] }] : [];
        }),
        ...marks(ev),
      }),
    );
  }

  // Artifacts: SDOs (malware, tool, infrastructure, attack-pattern, indicator, vulnerability)
  // and cyber observables (SCOs: no name, description or dates of their own, so ours say them).
  for (const r of artifacts) {
    const a = r.a;
    const id = a.id as string;
    const type = artifactType.get(id)!;
    const first = day(a.firstReportedAt);
    const aliases = (a.aliases as string[] | undefined) ?? [];
    const externalIds = (a.externalIds as string[] | undefined) ?? [];
    const tactics = (a.tactics as string[] | undefined) ?? [];
    const custom = {
      [X_ID]: id,
      x_attribution_aliases: aliases,
      x_attribution_external_ids: externalIds,
      x_attribution_first_reported: first,
      x_attribution_first_reported_precision: str(a.firstReportedAtPrecision),
      x_attribution_facts: a.facts as string[] | undefined,
      ...marks(a),
    };
    if (OBSERVABLE_TYPES.has(type)) {
      const value = str(a.value) ?? (a.name as string);
      const hashes = Object.fromEntries(
        ((a.hashes as string[] | undefined) ?? []).map((h) => {
          const at = h.indexOf(':');
          return [h.slice(0, at), h.slice(at + 1)];
        }),
      );
      objects.push(
        clean({
          type,
          spec_version: '2.1',
          id: artifactRef(id),
          ...(BY_VALUE.has(type)
            ? { value }
            : type === 'windows-registry-key'
              ? { key: value }
              : { name: value }),
          hashes: type === 'file' && Object.keys(hashes).length ? hashes : undefined,
          x_attribution_name: a.name as string,
          x_attribution_description: str(a.description),
          ...custom,
        }),
      );
      continue;
    }
    const since = dayToStix(first ?? UNDATED_DAY);
    const pattern = str(a.pattern);
    objects.push(
      clean({
        type,
        spec_version: '2.1',
        id: artifactRef(id),
        created: since,
        modified: since,
        name: a.name as string,
        description: str(a.description),
        aliases: WITH_ALIASES.has(type) ? aliases : undefined,
        is_family: type === 'malware' ? true : undefined,
        kill_chain_phases: WITH_PHASES.has(type)
          ? tactics.map((p) => ({ kill_chain_name: 'mitre-attack', phase_name: p }))
          : undefined,
        pattern: type === 'indicator' ? pattern : undefined,
        pattern_type:
          type === 'indicator'
            ? (str(a.patternType) ?? (pattern?.startsWith('[') ? 'stix' : 'snort'))
            : undefined,
        valid_from: type === 'indicator' ? since : undefined,
        external_references: [
          ...externalIds.map((x) => ({ source_name: issuerOf(x), external_id: x })),
          ...extRefs(r.sources),
        ],
        ...custom,
      }),
    );
  }

  // Claims of technical links: one relationship each, by the claimant, as STIX names the link
  // between those two types, else related-to (x_attribution_link names it).
  const endRef = (id: string, labels: string[]) =>
    labels.includes('Artifact')
      ? artifactType.has(id)
        ? artifactRef(id)
        : undefined
      : labels.includes('Incident')
        ? stixId('incident', id)
        : labels.includes('Actor')
          ? suspects.has(id)
            ? suspectRef(id)
            : actorRef(id)
          : undefined;
  for (const r of technical) {
    const c = r.c;
    const source = endRef(r.from, r.fromLabels);
    const target = endRef(r.to, r.toLabels);
    if (!source || !target) continue;
    const link = c.link as string;
    const named = SPEC_LINKS[typeOfRef(source)]?.[link]?.includes(typeOfRef(target));
    const stated = day(c.statedAt) ?? UNDATED_DAY;
    const retracted = day(c.retractedAt);
    const credibility = typeof c.credibility === 'number' ? c.credibility : undefined;
    objects.push(
      clean({
        type: 'relationship',
        spec_version: '2.1',
        id: stixId('relationship', c.id as string),
        created_by_ref: identityRef(r.claimant),
        created: dayToStix(stated),
        modified: dayToStix(retracted && retracted > stated ? retracted : stated),
        relationship_type: named ? link : 'related-to',
        source_ref: source,
        target_ref: target,
        description: str(c.text),
        confidence: credibilityToConfidence(credibility),
        external_references: extRefs(r.sources),
        [X_ID]: c.id as string,
        x_attribution_link: link,
        x_attribution_stated: day(c.statedAt),
        x_attribution_stated_precision: str(c.statedAtPrecision),
        x_attribution_text_kind: str(c.textKind),
        x_attribution_credibility: credibility,
        x_attribution_retracted: retracted,
        x_attribution_retracted_precision: retracted ? str(c.retractedAtPrecision) : undefined,
        x_attribution_retraction_reason: str(c.retractionReason),
        x_attribution_facts: c.facts as string[] | undefined,
        ...marks(c),
      }),
    );
  }

  const createdOf = new Map(objects.map((o) => [o.id, o.created as string]));
  // Sources: a report when dated (report needs `published`), a note when the date is unknown.
  for (const s of sources) {
    const sid = s.s.id as string;
    const date = day(s.s.publishedAt);
    const refs = [...citedBy.get(sid)!].map(resolveCiter).sort();
    const publisher = s.publisher ? actorById.get(s.publisher) : undefined;
    // An undated source: the earliest date of what cites it.
    const citing = refs
      .map((r) => createdOf.get(r))
      .filter((d): d is string => !!d)
      .sort()[0];
    const since = date ? dayToStix(date) : (citing ?? dayToStix(UNDATED_DAY));
    const common = {
      spec_version: '2.1',
      created_by_ref: identityRef(s.publisher),
      created: since,
      modified: since,
    };
    const custom = {
      external_references: extRefs([sid]),
      object_refs: refs,
      x_opencti_reliability: RELIABILITY_LABELS[s.s.reliability as string],
      [X_ID]: sid,
      x_attribution_url: str(s.s.url),
      x_attribution_tag: str(s.s.tag),
      x_attribution_published_precision: str(s.s.publishedAtPrecision),
      x_attribution_reliability_reason: str(s.s.reliabilityReason),
      x_attribution_relays_ref: actorRef(s.relays),
      x_attribution_carries_ref:
        s.carries && sourceById.has(s.carries) ? sourceRef(s.carries) : undefined,
      ...marks(s.s),
    };
    objects.push(
      date
        ? clean({
            type: 'report',
            ...common,
            id: stixId('report', sid),
            name: s.s.title as string,
            report_types: ['threat-report'],
            published: dayToStix(date),
            ...custom,
          })
        : clean({
            type: 'note',
            ...common,
            id: stixId('note', sid),
            abstract: s.s.title as string,
            content: `${s.s.title as string} (${publisher?.a.name ?? 'publisher unknown'}; publication date unknown)`,
            ...custom,
          }),
    );
  }

  // Our properties are defined by our extension: every object using one says so.
  for (const o of objects)
    if (o.type === EVIDENCE_TYPE || o.type === EVENT_TYPE)
      o.extensions = { [EXTENSION_ID]: { extension_type: 'new-sdo' } };
    else if (OBSERVABLE_TYPES.has(o.type)) {
      // A cyber observable: our properties inside the extension (property-extension), as STIX
      // 2.1 wants for SCOs (the reader lifts them back).
      const ours = Object.keys(o).filter((k) => k.startsWith('x_'));
      o.extensions = {
        [EXTENSION_ID]: {
          extension_type: 'property-extension',
          ...Object.fromEntries(ours.map((k) => [k, o[k]])),
        },
      };
      for (const k of ours) delete o[k];
    } else if (Object.keys(o).some((k) => k.startsWith('x_')))
      o.extensions = { [EXTENSION_ID]: { extension_type: 'toplevel-property-extension' } };
  objects.push(...extensionObjects());

  // Key order as in the spec's examples: type, spec_version, id, then the rest.
  const sorted = sortObjects(objects).map(({ type, spec_version, id, ...rest }) => ({
    type,
    spec_version,
    id,
    ...rest,
  }));
  return {
    type: 'bundle',
    id: stixId('bundle', opts.incident ?? '*'),
    objects: sorted,
  };
}

/**
 * What imports kept, as it arrived: every object stored on a node (`stixJson`), whether the
 * model maps it or keeps it as a StixObject, one per STIX id, sorted. With `idPrefix` (the
 * import's) or `importId`, only those. Equal to the imported bundles' objects (the newest version
 * of each id), so nothing an import took in is lost.
 */
export async function exportImported(
  db: Db,
  opts: { idPrefix?: string; importId?: string } = {},
): Promise<StixBundle> {
  const rows = await db.read(EXPORT_IMPORTED, {
    prefix: opts.idPrefix ?? '',
    importId: opts.importId ?? null,
  });
  const objects = sortObjects(rows.map((r) => JSON.parse(r.json) as StixObject));
  return {
    type: 'bundle',
    id: stixId('bundle', `imported:${opts.importId ?? ''}:${opts.idPrefix ?? ''}`),
    objects,
  };
}

/**
 * The definition of our extension (STIX 2.1 section 7.3, toplevel-property-extension) and the
 * identity of this tool that creates it: in every export, so a consumer can look up what each
 * x_attribution_* property means (its JSON schema: schema/stix/x-attribution.schema.json).
 */
export function extensionObjects(): StixObject[] {
  return [
    {
      type: 'identity',
      spec_version: '2.1',
      id: TOOL_IDENTITY_ID,
      created: EXTENSION_DATE,
      modified: EXTENSION_DATE,
      name: 'Attribution knowledge graph',
      description:
        "The open-source cyber-incident attribution knowledge graph (this export's producer).",
      identity_class: 'system',
    },
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: EXTENSION_ID,
      created_by_ref: TOOL_IDENTITY_ID,
      created: EXTENSION_DATE,
      modified: EXTENSION_DATE,
      name: 'x-attribution',
      description:
        'Attribution records carried losslessly: our ids, hypotheses (suspects, sponsor), stances, dates with their precision, credibility and its history, retractions, alias and affiliation claims, source reliability, relays and carries; the technical layer (the link a relationship asserts, what an item of evidence is about, the aliases, external ids, first report and fact ids of an artifact, and on cyber observables, inside the extension, their name and description); two new SDOs: x-attribution-evidence (an item of evidence with every ACH rating of it) and x-attribution-event (a timeline event with its participants).',
      schema: 'https://github.com/attribution-graph/stix/schema/stix/x-attribution.schema.json',
      version: EXTENSION_VERSION,
      extension_types: ['new-sdo', 'property-extension', 'toplevel-property-extension'],
      extension_properties: [...OUR_PROPERTIES].sort(),
    },
  ];
}
