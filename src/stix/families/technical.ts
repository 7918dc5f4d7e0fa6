import { claimLinkEnds, linkTypeOf, technicalClaimText, type TechnicalLink } from '../../model';
import type { ImportContext } from '../context';
import type { Checked } from '../reader';
import { artifactLabelOf } from './artifacts';
import { claimProps } from './claims';
import { type Family, needs, original } from './family';

/**
 * Technical relationships between mapped objects (uses, communicates-with, indicates,
 * variant-of, drops, resolves-to, targets, located-at) become what the seed and the API make of them: a
 * Claim by the relationship's creator (stance `asserts-link`, citing its references) that
 * materialises the link, carrying the claim's id (the registry's one claim-link merge). A
 * campaign or incident that `uses` an artifact: the artifact was observed in it (OBSERVED_IN).
 * A relationship whose ends the model cannot link (e.g. a technique that uses a tool) is kept by
 * the generic family.
 */

export const TECHNICAL_RELATIONSHIPS: Record<string, TechnicalLink> = Object.assign(
  Object.create(null),
  {
    uses: 'uses',
    'communicates-with': 'communicates-with',
    indicates: 'indicates',
    'variant-of': 'variant-of',
    drops: 'drops',
    'resolves-to': 'resolves-to',
    targets: 'targets',
    'located-at': 'located-at',
  },
);

/** The node label of an indexed object: an artifact's, Actor, Incident or Location. */
function labelOf(ctx: ImportContext, ref: string): string | undefined {
  const e = ctx.index.get(ref);
  if (!e?.node || e.revoked) return undefined;
  if (e.family === 'actor') return 'Actor';
  if (e.family === 'incident') return 'Incident';
  if (e.family === 'location') return 'Location';
  if (e.family === 'artifact') return artifactLabelOf(e.type);
  return undefined;
}

/** The link a relationship makes: its type and ends (OBSERVED_IN runs artifact -> incident). */
export function technicalLinkOf(
  ctx: ImportContext,
  o: Checked,
): { link: TechnicalLink; from: string; to: string } | undefined {
  // Our export names the link (x_attribution_link) on a related-to or a STIX-named relationship.
  const asserted =
    (o.x_attribution_link as TechnicalLink | undefined) ??
    TECHNICAL_RELATIONSHIPS[o.relationship_type as string];
  if (!asserted) return undefined;
  const src = o.source_ref as string;
  const tgt = o.target_ref as string;
  const s = labelOf(ctx, src);
  const t = labelOf(ctx, tgt);
  if (!s || !t) return undefined;
  const [link, from, to, fl, tl] =
    asserted === 'uses' && s === 'Incident' && t !== 'Incident' && t !== 'Actor'
      ? (['observed-in', tgt, src, t, s] as const)
      : ([asserted, src, tgt, s, t] as const);
  const kind = claimLinkEnds(linkTypeOf(link)) as {
    from: readonly string[];
    to: readonly string[];
  };
  if (!kind.from.includes(fl) || !kind.to.includes(tl)) return undefined;
  return { link, from: ctx.nodeOfRef(from)!, to: ctx.nodeOfRef(to)! };
}

export const technical: Family = {
  name: 'technical',
  nodes(ctx, o, file, add) {
    const l = technicalLinkOf(ctx, o);
    if (!l) return undefined;
    const creator = ctx.creatorOf(o, file);
    needs(add, creator);
    ctx.citations(o, file).forEach((x) => needs(add, x));
    const name = (ref: string) => ctx.index.get(ref)?.name;
    const [fromRef, toRef] =
      l.link === 'observed-in' && o.relationship_type === 'uses'
        ? [o.target_ref as string, o.source_ref as string]
        : [o.source_ref as string, o.target_ref as string];
    const text = technicalClaimText(creator.name, l.link, name(fromRef), name(toRef));
    add(
      'Claim',
      {
        // the relationship's description (ATT&CK's procedure example) when it has one
        ...claimProps(ctx, o, 'asserts-link', creator.name, text),
        link: l.link,
        facts: Array.isArray(o.x_attribution_facts) ? o.x_attribution_facts : undefined,
        ...original(o),
      },
      o.id,
    );
    return ctx.nodeOf(o);
  },
  links(ctx, o, file, t) {
    const l = technicalLinkOf(ctx, o);
    if (!l) return;
    const node = ctx.nodeOf(o);
    const creator = ctx.creatorOf(o, file);
    t.link('BY', node, creator.id);
    t.link('SUBJECT', node, l.from);
    t.link('OBJECT', node, l.to);
    t.cite(node, ctx.citations(o, file), creator.id);
    t.claimLink(linkTypeOf(l.link), l.from, l.to, node);
  },
};
