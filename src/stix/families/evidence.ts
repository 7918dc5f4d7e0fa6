import { type ImportContext, type Props, ourDate, periodProps, str } from '../context';
import type { Checked } from '../reader';
import type { Family } from './family';
import { itemLinks, itemNode, sourceNodes } from './incidentItem';

/**
 * x-attribution-evidence (our new SDO) -> Evidence OBSERVED_IN its incident, CITES its sources,
 * and one Rating per reading (RATES the item, AGAINST a hypothesis, BY the rater, CITES).
 */

/** A reading as our export writes it in `x_attribution_ratings` (validated on read). */
interface RatingIn {
  id: string;
  hypothesis_ref: string;
  rating: string;
  rater_ref: string;
  rated?: string;
  rated_precision: string;
  rationale?: string;
  source_refs?: string[];
}

interface RatingRows {
  id: string;
  hypothesis: string;
  rater: string;
  sources: string[];
  props: Props;
}

/** Earlier credibility grades, stored as the seed stores them (JSON, keys in a fixed order). */
export function credibilityBeforeProp(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return JSON.stringify(
    (v as { until: string; credibility: number; reason: string }[]).map((x) => ({
      until: x.until,
      credibility: x.credibility,
      reason: x.reason,
    })),
  );
}

/** The readings of an item whose hypothesis and rater resolve (others are warned about). */
function ratingsOf(ctx: ImportContext, o: Checked): RatingRows[] {
  const node = ctx.nodeOf(o);
  const stix = { ...ctx.stixProps(o, ctx.index.get(o.id)!.modified), stixId: `${o.id}#rating` };
  return ((o.x_attribution_ratings as RatingIn[] | undefined) ?? []).flatMap((r) => {
    const h = ctx.hypothesisOf(r.hypothesis_ref);
    const rater = ctx.refNode(r.rater_ref, 'actor');
    if (!h || !rater) {
      ctx.warn('rating without hypothesis or rater', `${o.id}: rating ${r.id} not imported`);
      return [];
    }
    // Our rating ids name our nodes: honoured only for a trusted bundle.
    const id = ctx.trust ? r.id : `${node}#rating:${r.id}`;
    return [
      {
        id,
        hypothesis: h.id,
        rater,
        sources: sourceNodes(ctx, r.source_refs),
        props: {
          id,
          rating: r.rating,
          rationale: r.rationale,
          ...periodProps('ratedAt', r.rated, r.rated_precision),
          ...stix,
        },
      },
    ];
  });
}

export const evidence: Family = {
  name: 'evidence',
  remember(_ctx, o, e) {
    e.name = str(o.name);
  },
  nodes(ctx, o, _file, add) {
    const item = itemNode(ctx, o);
    if (!item) return undefined;
    add(
      'Evidence',
      {
        ...item.props,
        tag: str(o.x_attribution_tag) ?? 'STIX',
        kind: str(o.x_attribution_kind),
        credibility: o.x_attribution_credibility,
        credibilityReason: str(o.x_attribution_credibility_reason),
        credibilityBefore: credibilityBeforeProp(o.x_attribution_credibility_before),
        ...ourDate(o, 'reportedAt', 'reported', str(o.created)),
      },
      o.id,
    );
    for (const r of ratingsOf(ctx, o)) add('Rating', r.props);
    return item.node;
  },
  links(ctx, o, _file, t) {
    const node = itemLinks(ctx, o, t, 'OBSERVED_IN');
    for (const r of (o.x_attribution_about_refs as string[] | undefined) ?? []) {
      const artifact = ctx.refNode(r, 'artifact');
      if (artifact) t.link('ABOUT', node, artifact);
    }
    for (const r of ratingsOf(ctx, o)) {
      t.link('RATES', r.id, node);
      t.link('AGAINST', r.id, r.hypothesis);
      t.link('BY', r.id, r.rater);
      for (const s of r.sources) t.link('CITES', r.id, s);
    }
  },
};
