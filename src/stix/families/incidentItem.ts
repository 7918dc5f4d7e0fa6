import { type ImportContext, type Props, str } from '../context';
import type { Checked } from '../reader';
import { type LinkTools, original } from './family';

/**
 * What our two incident-scoped SDOs (x-attribution-evidence and x-attribution-event) share: a
 * node in one incident, with a title, a description, the UNVERIFIED flag and note, STIX
 * provenance and the original object; linked to the incident and CITES its sources.
 */

/** Source nodes of a list of STIX source refs (refs that do not resolve are left out). */
export const sourceNodes = (ctx: ImportContext, refs: unknown): string[] =>
  ((refs as string[] | undefined) ?? []).flatMap((r) => ctx.refNode(r, 'source') ?? []);

/** The node id and shared properties of an item, or undefined when its incident is unknown. */
export function itemNode(
  ctx: ImportContext,
  o: Checked,
): { node: string; props: Props } | undefined {
  const node = ctx.nodeOf(o);
  if (!ctx.refNode(o.x_attribution_incident_ref, 'incident')) return undefined;
  return {
    node,
    props: {
      id: node,
      unverified: o.x_attribution_unverified === true,
      note: str(o.x_attribution_note),
      ...ctx.stixProps(o, ctx.index.get(o.id)!.modified),
      ...original(o),
      title: o.name,
      description: str(o.description),
    },
  };
}

/** Links an item to its incident (`rel`: IN for events, OBSERVED_IN for evidence) and sources. */
export function itemLinks(
  ctx: ImportContext,
  o: Checked,
  t: LinkTools,
  rel: 'IN' | 'OBSERVED_IN',
): string {
  const node = ctx.nodeOf(o);
  t.link(rel, node, ctx.refNode(o.x_attribution_incident_ref, 'incident')!);
  for (const s of sourceNodes(ctx, o.x_attribution_source_refs)) t.link('CITES', node, s);
  return node;
}
