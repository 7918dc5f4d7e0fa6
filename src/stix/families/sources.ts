import { type ExternalRef, dateProps, periodProps, safeUrl, str } from '../context';
import { type Family, needs, original } from './family';

/** The families whose nodes CITE the reports listing them (claims, incidents, artifacts, evidence). */
const CITING_FAMILIES = new Set([
  'opinion',
  'attribution',
  'incident',
  'artifact',
  'technical',
  'observation',
]);

/**
 * report, note, grouping -> Source, published by the creator; the objects they list CITE them
 * (a grouping is a producer's set of objects with a shared context: a source like a report).
 */
export const sources: Family = {
  name: 'source',
  remember(ctx, o, e) {
    e.name = str(o.name) ?? str(o.abstract);
    if (Array.isArray(o.object_refs))
      for (const r of o.object_refs as string[]) ctx.citedByReport.add(r);
  },
  nodes(ctx, o, file, add) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    const refs = (o.external_references as ExternalRef[] | undefined) ?? [];
    const reliability = /^([A-F])\b/.exec(str(o.x_opencti_reliability) ?? '')?.[1] ?? 'F';
    const creator = ctx.creatorOf(o, file);
    needs(add, creator);
    add(
      'Source',
      {
        id: node,
        unverified: o.x_attribution_unverified === true,
        note: str(o.x_attribution_note),
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        tag: str(o.x_attribution_tag) ?? `STIX-${o.type.toUpperCase()}`,
        title: (
          str(o.name) ??
          str(o.abstract) ??
          str(o.content) ??
          `Grouping (${str(o.context) ?? 'unspecified'})`
        ).slice(0, 500),
        url: safeUrl(str(o.x_attribution_url) ?? refs.find((r) => r.url)?.url),
        reliability,
        reliabilityReason:
          str(o.x_attribution_reliability_reason) ??
          (str(o.x_opencti_reliability)
            ? `Graded by the STIX producer: ${o.x_opencti_reliability as string}.`
            : 'Imported from STIX; the producer gives no reliability grade.'),
        ...(str(o.x_attribution_published_precision)
          ? periodProps(
              'publishedAt',
              str(o.published)?.slice(0, 10),
              o.x_attribution_published_precision as string,
            )
          : dateProps('publishedAt', str(o.published))),
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, file, t) {
    const node = ctx.nodeOf(o);
    t.publish(node, ctx.creatorOf(o, file).id);
    // Our export: the actor whose text the page relays, the page it carries.
    const relays = ctx.refNode(o.x_attribution_relays_ref, 'actor');
    if (relays) t.link('RELAYS', node, relays);
    const carries = ctx.refNode(o.x_attribution_carries_ref, 'source');
    if (carries) t.link('CARRIES', node, carries);
    for (const r of (o.object_refs as string[] | undefined) ?? []) {
      const e = ctx.index.get(r);
      if (!e?.node || e.revoked) continue;
      if (CITING_FAMILIES.has(e.family)) t.link('CITES', e.node, node);
    }
  },
};
