import { claimProps, opinionTarget } from './claims';
import { type Family, needs, original } from './family';

/** opinion (agree / disagree about attributed-to relationships) -> Claim SUPPORTS / DISPUTES. */
export const opinions: Family = {
  name: 'opinion',
  nodes(ctx, o, file, add) {
    const { stance, hyps } = opinionTarget(ctx, o);
    if (!stance || hyps.length === 0) {
      ctx.warn(
        stance ? 'opinion about no attributed-to relationship' : 'neutral opinion',
        `${o.id}: kept as a StixObject, not a claim`,
      );
      return undefined;
    }
    const creator = ctx.creatorOf(o, file);
    needs(add, creator);
    ctx.citations(o, file).forEach((x) => needs(add, x));
    add('Claim', { ...claimProps(ctx, o, stance, creator.name), ...original(o) }, o.id);
    return ctx.nodeOf(o);
  },
  links(ctx, o, file, t) {
    const { stance, hyps } = opinionTarget(ctx, o);
    const node = ctx.nodeOf(o);
    const creator = ctx.creatorOf(o, file);
    t.link('BY', node, creator.id);
    for (const h of hyps) t.link(stance === 'supports' ? 'SUPPORTS' : 'DISPUTES', node, h.id);
    t.cite(node, ctx.citations(o, file), creator.id);
    for (const r of (o.x_attribution_evidence_refs as string[] | undefined) ?? []) {
      const e = ctx.refNode(r, 'evidence');
      if (e) t.link('BASED_ON', node, e);
    }
  },
};
