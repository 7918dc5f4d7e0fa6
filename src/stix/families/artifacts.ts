import {
  ARTIFACT_LABEL_OF_KIND,
  ObservableType,
  artifactSearchText,
  type ArtifactKind,
  type ArtifactLabel,
} from '../../model';
import { type ExternalRef, ourDate, str } from '../context';
import type { Checked } from '../reader';
import { type Family, original } from './family';
import { keepRefs } from './generic';

/**
 * The technical artifacts (issue 13's model): malware, tool, infrastructure, attack-pattern,
 * indicator, vulnerability, and the cyber observables (ipv4-addr, ipv6-addr, domain-name, url,
 * email-addr, file, mutex, windows-registry-key) become nodes of their artifact label, with
 * what search and the technical views read: aliases, external ids (T1485, S0366, CVE-...), the
 * ATT&CK tactics of a technique, an indicator's pattern, an observable's value and hashes.
 * Their references (created_by_ref, markings...) are kept as STIX_REF, as the generic family does.
 */

const SDO_KINDS: Record<string, ArtifactKind> = Object.assign(Object.create(null), {
  malware: 'malware',
  tool: 'tool',
  infrastructure: 'infrastructure',
  'attack-pattern': 'attack-pattern',
  indicator: 'indicator',
  vulnerability: 'vulnerability',
});
const OBSERVABLE_TYPES = new Set<string>(ObservableType.options);

/** The STIX types this family maps. */
export const ARTIFACT_STIX_TYPES = [...Object.keys(SDO_KINDS), ...OBSERVABLE_TYPES];

/** The artifact kind of a STIX type (observables are one kind), or undefined. */
export function artifactKindOf(type: string): ArtifactKind | undefined {
  return SDO_KINDS[type] ?? (OBSERVABLE_TYPES.has(type) ? 'observable' : undefined);
}

/** The node label of a STIX type this family maps, or undefined. */
export function artifactLabelOf(type: string): ArtifactLabel | undefined {
  const kind = artifactKindOf(type);
  return kind ? ARTIFACT_LABEL_OF_KIND[kind] : undefined;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];

/** The value an observable is known by: its value, a file's name or first hash. */
function observableValue(o: Checked): string | undefined {
  const hashes = (o.hashes as Record<string, string> | undefined) ?? {};
  return str(o.value) ?? str(o.name) ?? str(o.key) ?? Object.values(hashes).find(Boolean);
}

/** A file's hashes as `ALGO:hex`, and as the search text reads them. */
function hashesOf(o: Checked): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.hashes as Record<string, unknown> | undefined) ?? {}))
    if (typeof v === 'string' && v !== '') out[k] = v.toLowerCase();
  return out;
}

export const artifacts: Family = {
  name: 'artifact',
  remember(_ctx, o, e) {
    e.name = str(o.name) ?? observableValue(o);
  },
  nodes(ctx, o, _file, add) {
    const kind = artifactKindOf(o.type)!;
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    const refs = (o.external_references as ExternalRef[] | undefined) ?? [];
    // Our export says aliases and external ids as the record holds them (its external references
    // also cite sources); another producer's are read from its STIX properties.
    const ours = typeof o.x_attribution_id === 'string';
    const externalIds = ours
      ? strings(o.x_attribution_external_ids)
      : [...new Set(refs.map((r) => r.external_id).filter((x): x is string => !!x))];
    const aliases = ours
      ? strings(o.x_attribution_aliases)
      : [...new Set([...strings(o.aliases), ...strings(o.x_mitre_aliases)])].filter(
          (a) => a !== o.name,
        );
    const observable = kind === 'observable';
    const value = observable ? observableValue(o) : undefined;
    const hashes = hashesOf(o);
    const tactics = ((o.kill_chain_phases as { phase_name?: string }[] | undefined) ?? [])
      .map((p) => p.phase_name)
      .filter((x): x is string => !!x);
    add(
      ARTIFACT_LABEL_OF_KIND[kind],
      {
        id: node,
        unverified: o.x_attribution_unverified === true,
        note: str(o.x_attribution_note),
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        name: str(o.x_attribution_name) ?? str(o.name) ?? value ?? o.id,
        facts: strings(o.x_attribution_facts).length ? strings(o.x_attribution_facts) : undefined,
        aliases: aliases.length ? aliases : undefined,
        externalIds: externalIds.length ? externalIds : undefined,
        description: str(o.description) ?? str(o.x_attribution_description),
        tactics: tactics.length ? [...new Set(tactics)] : undefined,
        pattern: str(o.pattern),
        patternType: str(o.pattern_type),
        observableType: observable ? o.type : undefined,
        value,
        hashes: Object.keys(hashes).length
          ? Object.entries(hashes).map(([k, v]) => `${k}:${v}`)
          : undefined,
        searchText: artifactSearchText({ aliases, externalIds, value, hashes }),
        ...ourDate(o, 'firstReportedAt', 'first_reported', str(o.first_seen) ?? str(o.created)),
        revoked: o.revoked === true ? true : undefined,
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, _file, t) {
    keepRefs(ctx, o, ctx.nodeOf(o), t);
  },
};
