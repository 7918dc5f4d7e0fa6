import { confidenceToCredibility } from '../model';
import { type ImportContext, dateProps, str } from '../context';
import type { Checked } from '../reader';
import { type Family, needs, original } from './family';
import { artifactKindOf } from './artifacts';

/**
 * Observed data (STIX `observed-data`) that a relationship places in an incident or campaign
 * becomes an item of `Evidence` OBSERVED_IN it: ABOUT the observables it names (`object_refs`,
 * STIX 2.1) that the import maps, citing its references (or the bundle), dated by
 * `first_observed`, its kind from what was observed (files and other host artifacts: malware;
 * addresses, domains, URLs: infrastructure), its credibility from `confidence` (6, "truth cannot
 * be judged", without one). Observed data in no incident, or of nothing the model can class, is
 * kept whole by the generic family (said so in the report).
 */

/** Observable types that are host artifacts (evidence of malware), the rest being network ones. */
const HOST_TYPES = new Set([
  'file',
  'artifact',
  'mutex',
  'process',
  'windows-registry-key',
  'software',
  'directory',
  'x509-certificate',
]);
const NETWORK_TYPES = new Set([
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'mac-addr',
  'network-traffic',
  'autonomous-system',
  'email-message',
]);

interface Seen {
  type: string;
  label: string;
}

/** What was observed: each object's type and how it reads (value, name or first hash). */
function observed(ctx: ImportContext, o: Checked): Seen[] {
  const refs = ((o.object_refs as string[] | undefined) ?? []).map((r) => ({
    type: r.slice(0, r.indexOf('--')),
    label: ctx.index.get(r)?.name ?? r,
  }));
  const embedded = Object.values((o.objects as Record<string, Record<string, unknown>>) ?? {}).map(
    (x) => {
      const hashes = Object.entries((x.hashes as Record<string, unknown>) ?? {});
      const hash = hashes.find(([, v]) => typeof v === 'string');
      return {
        type: String(x.type),
        label:
          str(x.value) ??
          str(x.name) ??
          str(x.key) ??
          (hash ? `${hash[0]} ${String(hash[1])}` : String(x.type)),
      };
    },
  );
  return [...refs, ...embedded];
}

/** The evidence kind of what was observed, or undefined when none of it is classed. */
function kindOf(seen: Seen[]): 'malware' | 'infrastructure' | undefined {
  if (seen.some((s) => HOST_TYPES.has(s.type))) return 'malware';
  if (seen.some((s) => NETWORK_TYPES.has(s.type))) return 'infrastructure';
  return undefined;
}

/** The incident node of an observation, when a relationship placed it in one this import knows. */
const incidentOf = (ctx: ImportContext, o: Checked): string | undefined =>
  ctx.refNode(ctx.observedIn.get(o.id), 'incident');

export const observations: Family = {
  name: 'observation',
  nodes(ctx, o, file, add) {
    const seen = observed(ctx, o);
    const kind = kindOf(seen);
    if (!incidentOf(ctx, o) || !kind) {
      ctx.warn(
        kind ? 'observed data in no incident' : 'observed data of nothing the model classes',
        `${o.id}: kept as a StixObject`,
      );
      return undefined;
    }
    const node = ctx.nodeOf(o);
    needs(add, ctx.creatorOf(o, file));
    ctx.citations(o, file).forEach((x) => needs(add, x));
    const n = Number(o.number_observed);
    const what = seen.map((s) => `${s.type} ${s.label}`);
    const first = String(o.first_observed).slice(0, 10);
    const last = String(o.last_observed).slice(0, 10);
    const conf = typeof o.confidence === 'number' ? o.confidence : undefined;
    add(
      'Evidence',
      {
        id: node,
        unverified: false,
        ...ctx.stixProps(o, ctx.index.get(o.id)!.modified),
        ...original(o),
        tag: 'STIX',
        kind,
        title: `Observed: ${what[0]}${what.length > 1 ? ` and ${what.length - 1} more` : ''}`.slice(
          0,
          200,
        ),
        description:
          `Observed ${n} time${n === 1 ? '' : 's'}, ${first === last ? `on ${first}` : `from ${first} to ${last}`}: ` +
          `${what.join('; ')}.`,
        credibility: confidenceToCredibility(conf),
        credibilityReason:
          conf === undefined
            ? 'Observed data imported from STIX without a confidence: truth cannot be judged (6).'
            : `From the producer's STIX confidence (${conf}).`,
        ...dateProps('reportedAt', str(o.first_observed)),
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, file, t) {
    const node = ctx.nodeOf(o);
    t.link('OBSERVED_IN', node, incidentOf(ctx, o)!);
    for (const r of (o.object_refs as string[] | undefined) ?? []) {
      const target = ctx.refNode(r, 'artifact');
      if (target && artifactKindOf(r.slice(0, r.indexOf('--')))) t.link('ABOUT', node, target);
    }
    t.cite(node, ctx.citations(o, file), ctx.creatorOf(o, file).id);
  },
};
