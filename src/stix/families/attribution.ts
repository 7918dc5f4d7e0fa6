import { str } from '../context';
import { claimProps } from './claims';
import { type Family, needs, original } from './family';

/**
 * relationship attributed-to: incident/campaign -> actor is a Hypothesis (the incident was done
 * by the actor) with the producer's supporting Claim; actor -> actor is an affiliation Claim
 * (PART_OF). Our own export's relationships (related-to with x_attribution_hypothesis) are the
 * hypotheses themselves (with our ids when trusted).
 */
export const attribution: Family = {
  name: 'attribution',
  remember(ctx, o, e) {
    e.src = o.source_ref as string;
    e.tgt = o.target_ref as string;
    e.hyp = ctx.trust ? str(o.x_attribution_hypothesis) : undefined;
  },
  nodes(ctx, o, file, add) {
    const s = ctx.index.get(o.source_ref as string);
    const t = ctx.index.get(o.target_ref as string);
    if (!s?.node || !t?.node || s.revoked || t.revoked) return undefined;
    const e = ctx.index.get(o.id)!;
    const stix = ctx.stixProps(o, e.modified);
    const h = ctx.hypothesisOf(o.id);
    if (str(o.x_attribution_hypothesis)) {
      // Our export's hypothesis relationship: the hypothesis itself (our id when trusted).
      if (!h) return undefined;
      const statement = (str(o.description) ?? '').replace(/^Hypothesis [^:]*: /, '');
      add(
        'Hypothesis',
        {
          id: h.id,
          tag: str(o.x_attribution_hypothesis_tag) ?? 'STIX',
          statement: statement || `${t.name ?? t.node} carried out ${s.name ?? s.node}.`,
          unverified: o.x_attribution_unverified === true,
          note: str(o.x_attribution_note),
          prior: typeof o.x_attribution_prior === 'number' ? o.x_attribution_prior : undefined,
          ...stix,
          ...original(o),
        },
        o.id,
      );
      return h.id;
    }
    const creator = ctx.creatorOf(o, file);
    const text = `${creator.name} attributes ${s.name ?? s.node} to ${t.name ?? t.node}.`;
    if (h) {
      needs(add, creator);
      ctx.citations(o, file).forEach((x) => needs(add, x));
      add('Hypothesis', {
        id: h.id,
        tag: 'STIX',
        statement: `${t.name ?? t.node} carried out ${s.name ?? s.node}.`,
        unverified: false,
        ...stix,
        stixId: `${o.source_ref as string}>${o.target_ref as string}`,
      });
      add('Claim', { ...claimProps(ctx, o, 'supports', creator.name, text), ...original(o) }, o.id);
      return ctx.nodeOf(o);
    }
    if (s.family === 'actor' && t.family === 'actor') {
      needs(add, creator);
      ctx.citations(o, file).forEach((x) => needs(add, x));
      add(
        'Claim',
        {
          ...claimProps(ctx, o, 'asserts-affiliation', creator.name, text),
          role: 'attributed-to',
          ...original(o),
        },
        o.id,
      );
      return ctx.nodeOf(o);
    }
    return undefined;
  },
  links(ctx, o, file, t) {
    const s = ctx.index.get(o.source_ref as string)!;
    const tg = ctx.index.get(o.target_ref as string)!;
    const h = ctx.hypothesisOf(o.id);
    if (h) {
      t.link('ABOUT', h.id, h.incident);
      t.link('SUSPECTS', h.id, h.suspect);
    }
    if (str(o.x_attribution_hypothesis)) {
      const sponsor = ctx.refNode(o.x_attribution_sponsor_ref, 'actor');
      if (h && sponsor) t.link('SPONSORED_BY', h.id, sponsor);
      return;
    }
    const node = ctx.nodeOf(o);
    const creator = ctx.creatorOf(o, file);
    t.link('BY', node, creator.id);
    if (h) t.link('SUPPORTS', node, h.id);
    else {
      t.link('SUBJECT', node, s.node!);
      t.link('OBJECT', node, tg.node!);
      t.partOf(s.node!, tg.node!, node, 'attributed-to');
    }
    t.cite(node, ctx.citations(o, file), creator.id);
  },
};
