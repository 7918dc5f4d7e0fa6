import { toDate } from '../../db';
import { type ImportContext, type Props, ourDate, str } from '../context';
import { OPINION_TO_STANCE, confidenceToCredibility } from '../model';
import type { Checked } from '../reader';
import { credibilityBeforeProp } from './evidence';

/** The properties of a claim made from an opinion or an attributed-to relationship. */
export function claimProps(
  ctx: ImportContext,
  o: Checked,
  stance: string,
  creator: string,
  fallbackText?: string,
): Props {
  const modified = ctx.index.get(o.id)!.modified;
  const text =
    str(o.explanation) ??
    str(o.description) ??
    fallbackText ??
    `${creator}: ${o.opinion as string}.`;
  const retracted = str(o.x_attribution_retracted);
  return {
    id: ctx.nodeOf(o),
    unverified: o.x_attribution_unverified === true,
    note: str(o.x_attribution_note),
    ...ctx.stixProps(o, modified),
    stance,
    text,
    textKind: str(o.x_attribution_text_kind) ?? 'paraphrase',
    credibility:
      typeof o.x_attribution_credibility === 'number'
        ? o.x_attribution_credibility
        : typeof o.confidence === 'number'
          ? confidenceToCredibility(o.confidence)
          : undefined,
    ...ourDate(o, 'statedAt', 'stated', str(o.created)),
    credibilityBefore: credibilityBeforeProp(o.x_attribution_credibility_before),
    retractedAt: retracted ? toDate(retracted) : undefined,
    retractedAtPrecision: retracted ? str(o.x_attribution_retracted_precision) : undefined,
    retractionReason: str(o.x_attribution_retraction_reason),
  };
}

/** The hypotheses an opinion is about (through attributed-to relationships), and its stance. */
export function opinionTarget(ctx: ImportContext, o: Checked) {
  const stance = OPINION_TO_STANCE[o.opinion as string];
  const hyps = ((o.object_refs as string[]) ?? []).flatMap((r) => {
    const h = ctx.hypothesisOf(r);
    return h ? [h] : [];
  });
  return { stance, hyps };
}
