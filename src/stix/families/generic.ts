import { type ImportContext, str } from '../context';
import type { Checked } from '../reader';
import { type Family, type LinkTools, original } from './family';

/** Is the object deprecated by its producer (ATT&CK's x_mitre_deprecated)? */
export const deprecated = (o: Checked): boolean => o.x_mitre_deprecated === true;

/** The reference properties of an object: every top-level `*_ref` and `*_refs`, as [field, id]. */
export function refsOf(o: Checked): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k.endsWith('_ref') && typeof v === 'string' && v !== '') out.push([k, v]);
    else if (k.endsWith('_refs') && Array.isArray(v))
      for (const r of v) if (typeof r === 'string' && r !== '') out.push([k, r]);
  }
  return out;
}

/** Keeps the references of `o` as STIX_REF {field} from `node` (a dangling one is warned about). */
export function keepRefs(ctx: ImportContext, o: Checked, node: string, t: LinkTools): void {
  for (const [field, ref] of refsOf(o)) {
    const target = ctx.nodeOfRef(ref);
    if (target) t.link('STIX_REF', node, target, { field });
    else ctx.warn(`dangling ${field}`, `${o.id} -> ${ref}`);
  }
}

/**
 * Every object no other family maps (malware, tool, attack-pattern, indicator, SCOs, `x-*`
 * types, relationships other than attributed-to, revoked or deprecated objects, opinions about
 * no hypothesis): kept as a `StixObject` node with its JSON intact, its references resolved as
 * STIX_REF relationships (property `field`), revoked / deprecated flagged. Views list the model's
 * labels, so these stay out of them; export gives the JSON back unchanged.
 */
export const generic: Family = {
  name: 'generic',
  remember(ctx, o, e) {
    e.name = str(o.name);
    // A relationship between observed data and an incident places the observation in it.
    if (o.type === 'relationship' && o.revoked !== true) {
      const [a, b] = [String(o.source_ref), String(o.target_ref)];
      const incident = (r: string) => r.startsWith('incident--') || r.startsWith('campaign--');
      const [obs, inc] =
        a.startsWith('observed-data--') && incident(b)
          ? [a, b]
          : b.startsWith('observed-data--') && incident(a)
            ? [b, a]
            : [];
      if (obs && inc && !ctx.observedIn.has(obs)) ctx.observedIn.set(obs, inc);
    }
  },
  nodes(ctx, o, _file, add) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.prefix + o.id;
    add(
      'StixObject',
      {
        id: node,
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        name: str(o.name) ?? str(o.value) ?? str(o.pattern) ?? undefined,
        description: str(o.description),
        revoked: o.revoked === true ? true : undefined,
        deprecated: deprecated(o) ? true : undefined,
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, _file, t) {
    keepRefs(ctx, o, ctx.prefix + o.id, t);
  },
};
