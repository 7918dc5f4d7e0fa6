import type { Db } from '../db';
import { OUR_PROPERTIES } from './reader';
import { toIsoDate } from '../db';
import {
  EXPORT_ACTORS,
  EXPORT_ALIAS_CLAIMS,
  EXPORT_CLAIMS,
  EXPORT_HYPOTHESES,
  EXPORT_IMPORTED,
  EXPORT_INCIDENTS,
  EXPORT_SOURCES,
} from './queries';
import {
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

  const suspects = new Set(hypotheses.flatMap((h) => h.suspects));
  const aliasClaims = await db.read(EXPORT_ALIAS_CLAIMS, { actors: [...suspects] });

  // Which exported object cites which source (a report's object_refs).
  const citedBy = new Map<string, Set<string>>();
  const cite = (source: string, objectId: string) => {
    if (!citedBy.has(source)) citedBy.set(source, new Set());
    citedBy.get(source)!.add(objectId);
  };
  for (const r of incidents)
    for (const s of r.sources) cite(s, stixId('incident', r.i.id as string));
  for (const c of claims) for (const s of c.sources) cite(s, stixId('opinion', c.c.id as string));
  for (const a of aliasClaims) for (const s of a.sources) cite(s, '@actor:' + a.actor);
  const sources = await db.read(EXPORT_SOURCES, { ids: [...citedBy.keys()] });

  // Identities: everyone who states something (claimants) or publishes a cited source.
  const speakers = new Set<string>();
  for (const c of claims) if (c.claimant) speakers.add(c.claimant);
  for (const a of aliasClaims) if (a.claimant) speakers.add(a.claimant);
  for (const s of sources) if (s.publisher) speakers.add(s.publisher);
  const actors = await db.read(EXPORT_ACTORS, { ids: [...new Set([...suspects, ...speakers])] });
  const actorById = new Map(actors.map((r) => [r.a.id as string, r]));
  const sourceById = new Map(sources.map((s) => [s.s.id as string, s]));

  const suspectType = (id: string): 'intrusion-set' | 'threat-actor' => {
    const a = actorById.get(id);
    return a && a.a.kind === 'group' && a.hasAliases ? 'intrusion-set' : 'threat-actor';
  };
  const suspectRef = (id: string) => stixId(suspectType(id), id);
  const identityRef = (id: string | null | undefined) =>
    id && actorById.has(id) ? stixId('identity', id) : undefined;
  const sourceRef = (id: string) =>
    stixId(day(sourceById.get(id)?.s.publishedAt) ? 'report' : 'note', id);
  const resolveCiter = (ref: string) =>
    ref.startsWith('@actor:') ? suspectRef(ref.slice(7)) : ref;

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
  for (const r of actors) named(r.a.id as string, day(r.a.createdAt));

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
              source_refs: c.sources.filter((sid) => sourceById.has(sid)).map(sourceRef),
            }),
          ),
        }),
      );
    }
    if (speakers.has(id)) {
      objects.push(
        clean({
          type: 'identity',
          ...common,
          id: stixId('identity', id),
          identity_class: IDENTITY_CLASS[a.kind as string] ?? 'unknown',
          ...custom,
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
      const id = stixId('relationship', `attributed-to:${hid}:${s}`);
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
        x_attribution_retraction_reason: str(c.retractionReason),
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
    if (Object.keys(o).some((k) => k.startsWith('x_')))
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
        'Attribution records carried losslessly: our ids, hypotheses, stances, dates with their precision, credibility, retractions, alias claims, source reliability.',
      schema: 'https://github.com/attribution-graph/stix/schema/stix/x-attribution.schema.json',
      version: EXTENSION_VERSION,
      extension_types: ['toplevel-property-extension'],
      extension_properties: [...OUR_PROPERTIES].sort(),
    },
  ];
}
