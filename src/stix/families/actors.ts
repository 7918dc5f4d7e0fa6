import { ActorKind, affiliationClaimText, aliasClaimText, aliasNodeId } from '../../model';
import {
  type AddNode,
  type ExternalRef,
  type ImportContext,
  type Props,
  dateProps,
  periodProps,
  str,
} from '../context';
import type { Checked } from '../reader';
import { type Family, needs, original } from './family';

/** identity, threat-actor, intrusion-set -> Actor, and one alias claim per alias. */

const ACTOR_KINDS = new Set<string>(ActorKind.options);
/** identity_class (identity-class-ov) to our actor kinds; a null prototype: no inherited keys. */
const IDENTITY_KIND: Record<string, string> = Object.assign(Object.create(null), {
  individual: 'person',
  group: 'group',
  organization: 'company',
  class: 'group',
  system: 'company',
  unknown: 'persona',
});

/** An alias claim as our export writes it in `x_attribution_alias_claims` (validated on read). */
interface AliasClaim {
  id: string;
  alias: string;
  text?: string;
  text_kind?: string;
  claimant_ref?: string;
  stated?: string;
  stated_precision?: string;
  credibility?: number;
  unverified?: boolean;
  note?: string;
  source_refs?: string[];
}

/** What an alias claim needs written: its node, claimant, derived sources and cited sources. */
interface AliasClaimRows {
  id: string;
  alias: string;
  creator: { id: string; name: string; fallback?: Props };
  /** Sources derived from external references (or the bundle), published by the creator. */
  cites: { id: string; row: Props }[];
  /** Reports and notes of the import that the claim cites (x_attribution_alias_claims). */
  sources: string[];
  props: Props;
}

/** ATT&CK-style alias citations: the reference named after the alias points to its citation. */
function aliasRefs(o: Checked, alias: string): ExternalRef[] {
  const refs = (o.external_references as ExternalRef[] | undefined) ?? [];
  const own = refs.filter((r) => r.external_id && r.url).slice(0, 1);
  const named = refs.find((r) => r.source_name === alias);
  const m = named?.description ? /\(Citation: ([^)]+)\)/.exec(named.description) : null;
  const cited = m ? refs.filter((r) => r.source_name === m[1]) : [];
  return [...own, ...cited];
}

/**
 * The alias claims of an actor object: first ours (`x_attribution_alias_claims`: id, claimant,
 * date, text and cited sources kept), then one per remaining alias, stated by the object's
 * creator and citing its external references, ATT&CK-style.
 */
function aliasClaims(ctx: ImportContext, o: Checked, file: number): AliasClaimRows[] {
  const node = ctx.nodeOf(o);
  const modified = ctx.index.get(o.id)!.modified;
  const stix = { ...ctx.stixProps(o, modified), stixId: `${o.id}#alias` };
  const creator = ctx.creatorOf(o, file);
  const ours = ((o.x_attribution_alias_claims as AliasClaim[] | undefined) ?? []).map(
    (c): AliasClaimRows => {
      const by = c.claimant_ref ? ctx.index.get(c.claimant_ref) : undefined;
      const claimant =
        by?.node && by.family === 'actor' ? { id: by.node, name: by.name ?? by.node } : creator;
      const sources = (c.source_refs ?? []).flatMap((r) => {
        const e = ctx.index.get(r);
        return e?.node && e.family === 'source' ? [e.node] : [];
      });
      // Our claim ids name our nodes: honoured only for a trusted bundle.
      const id = ctx.trust ? c.id : `${node}#alias-claim:${c.id}`;
      return {
        id,
        alias: c.alias,
        creator: claimant,
        cites: sources.length ? [] : ctx.citations(o, file, aliasRefs(o, c.alias)),
        sources,
        props: {
          id,
          stance: 'asserts-alias',
          alias: c.alias,
          textKind: c.text_kind ?? 'paraphrase',
          text: c.text ?? aliasClaimText(claimant.name, c.alias, o.name as string),
          credibility: c.credibility,
          unverified: c.unverified === true,
          note: c.note,
          ...(c.stated_precision
            ? periodProps('statedAt', c.stated, c.stated_precision)
            : dateProps('statedAt', modified)),
          ...stix,
        },
      };
    },
  );
  const seen = new Set(ours.map((c) => c.alias));
  for (const alias of new Set((o.aliases as string[] | undefined) ?? [])) {
    if (seen.has(alias)) continue;
    const id = `${node}#alias:${aliasNodeId(alias)}`;
    ours.push({
      id,
      alias,
      creator,
      cites: ctx.citations(o, file, aliasRefs(o, alias)),
      sources: [],
      props: {
        id,
        stance: 'asserts-alias',
        alias,
        textKind: 'paraphrase',
        text: aliasClaimText(creator.name, alias, o.name as string),
        unverified: false,
        ...dateProps('statedAt', modified),
        ...stix,
      },
    });
  }
  return ours;
}

/** An affiliation claim as our export writes it in `x_attribution_affiliation_claims`. */
interface AffiliationClaim {
  id: string;
  organisation_ref: string;
  role?: string;
  text?: string;
  text_kind?: string;
  claimant_ref?: string;
  stated?: string;
  stated_precision?: string;
  credibility?: number;
  unverified?: boolean;
  note?: string;
  source_refs?: string[];
}

/**
 * The affiliation claims of an actor object (ours: "claimant places this actor within the
 * organisation"): each a Claim (asserts-affiliation) and the PART_OF link it materialises.
 */
function affiliationClaims(ctx: ImportContext, o: Checked, file: number) {
  const node = ctx.nodeOf(o);
  const modified = ctx.index.get(o.id)!.modified;
  const stix = { ...ctx.stixProps(o, modified), stixId: `${o.id}#affiliation` };
  const creator = ctx.creatorOf(o, file);
  const claims = (o.x_attribution_affiliation_claims as AffiliationClaim[] | undefined) ?? [];
  return claims.flatMap((c) => {
    const organisation = ctx.refNode(c.organisation_ref, 'actor');
    if (!organisation) {
      ctx.warn('affiliation without organisation', `${o.id}: claim ${c.id} not imported`);
      return [];
    }
    const byNode = ctx.refNode(c.claimant_ref, 'actor');
    const claimant = byNode
      ? { id: byNode, name: ctx.index.get(c.claimant_ref!)?.name ?? byNode }
      : creator;
    const sources = (c.source_refs ?? []).flatMap((r) => ctx.refNode(r, 'source') ?? []);
    const orgName = ctx.index.get(c.organisation_ref)?.name;
    const id = ctx.trust ? c.id : `${node}#affiliation-claim:${c.id}`;
    return [
      {
        id,
        organisation,
        role: c.role,
        creator: claimant,
        cites: sources.length ? [] : ctx.citations(o, file),
        sources,
        props: {
          id,
          stance: 'asserts-affiliation',
          role: c.role,
          textKind: c.text_kind ?? 'paraphrase',
          text: c.text ?? affiliationClaimText(claimant.name, o.name as string, orgName, c.role),
          credibility: c.credibility,
          unverified: c.unverified === true,
          note: c.note,
          ...(c.stated_precision
            ? periodProps('statedAt', c.stated, c.stated_precision)
            : dateProps('statedAt', modified)),
          ...stix,
        } as Props,
      },
    ];
  });
}

export const actors: Family = {
  name: 'actor',
  remember(_ctx, o, e) {
    e.name = str(o.name);
  },
  nodes(ctx, o, file, add: AddNode) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    const xk = str(o.x_attribution_kind);
    const ic = str(o.identity_class);
    const kind =
      xk && ACTOR_KINDS.has(xk)
        ? xk
        : o.type === 'identity'
          ? ((ic && IDENTITY_KIND[ic]) ?? 'persona')
          : 'group';
    add(
      'Actor',
      {
        id: node,
        unverified: o.x_attribution_unverified === true,
        note: str(o.x_attribution_note),
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        name: o.name,
        kind,
        description: str(o.description),
        country: str(o.x_attribution_country),
        reliability: str(o.x_attribution_reliability),
        reliabilityReason: str(o.x_attribution_reliability_reason),
        access: str(o.x_attribution_access),
        accessReason: str(o.x_attribution_access_reason),
      },
      o.id,
    );
    for (const c of aliasClaims(ctx, o, file)) {
      needs(add, c.creator);
      c.cites.forEach((x) => needs(add, x));
      add('Claim', c.props);
    }
    for (const c of affiliationClaims(ctx, o, file)) {
      needs(add, c.creator);
      c.cites.forEach((x) => needs(add, x));
      add('Claim', c.props);
    }
    return node;
  },
  links(ctx, o, file, t) {
    const node = ctx.nodeOf(o);
    for (const c of aliasClaims(ctx, o, file)) {
      t.link('BY', c.id, c.creator.id);
      t.link('SUBJECT', c.id, node);
      t.cite(c.id, c.cites, c.creator.id);
      for (const src of c.sources) t.link('CITES', c.id, src);
      t.alias(node, c.alias, c.id);
    }
    for (const c of affiliationClaims(ctx, o, file)) {
      t.link('BY', c.id, c.creator.id);
      t.link('SUBJECT', c.id, node);
      t.link('OBJECT', c.id, c.organisation);
      t.cite(c.id, c.cites, c.creator.id);
      for (const src of c.sources) t.link('CITES', c.id, src);
      t.partOf(node, c.organisation, c.id, c.role);
    }
  },
};
