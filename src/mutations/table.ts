import { insertApiKey, LOCK_KEY, REVOKE_KEY } from '../auth';
import { cleanProps, toDate } from '../db';
import { AppError, ErrorCode } from '../errors';
import { toEntity } from '../graph/entities';
import {
  ARTIFACT_LABEL_OF_KIND,
  MERGE_CLAIM_LINK,
  affiliationClaimText,
  claimLinkEnds,
  artifactSearchText,
  aliasClaimText,
  aliasNodeId,
  dateProps,
  parsePartialDate,
  refreshSpecificity,
  shortSuffix,
  technicalClaimText,
  technicalLinkOf,
  type ClaimLinkType,
  type TechnicalLinkType,
} from '../model';
import { mayRetract } from './authority';
import { defineMutation, type AnyMutation } from './define';
import {
  AddAffiliationInput,
  AddAliasInput,
  AddOpinionInput,
  AddTechnicalLinkInput,
  CorrectTextInput,
  CreateActorInput,
  CreateApiKeyInput,
  CreateArtifactInput,
  CreateClaimInput,
  CreateEvidenceInput,
  CreateHypothesisInput,
  CreateIncidentInput,
  CreateSourceInput,
  RateEvidenceInput,
  ReinstateClaimInput,
  RetractClaimInput,
  RevokeApiKeyInput,
  invalid,
} from './inputs';
import { keyView } from '../auth';
import {
  CORRECT_FIELD,
  CORRECTABLE,
  CREATE_OPINION,
  LOCK_CLAIM,
  LOCK_ENTITY,
  MERGE_ALIAS,
  REFRESH_CLAIM_LINKS,
  REINSTATE_CLAIM,
  RETRACT_CLAIM,
} from './queries';
import { correctionLimit, editDistance } from './util';
import { Write, nextTag, ref, refs, sameIncident } from './write';

/**
 * Every mutation of the API, declared once (name, role, input schema, id rule, the actor it
 * speaks as, the write). Resolvers, the role check, input parsing, the transaction and the audit
 * entry are derived from this table (define.ts, resolvers.ts); the authority rules over others'
 * records are in authority.ts and applied here. The SDL is schema/mutations.graphql.
 */

const notFound = (field: string, message: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${field}: ${message}`, { argument: field });

/** Locks the claim `id` and reads it with its claimant (NOT_FOUND unless it is a claim). */
async function lockClaim(w: Write, id: string) {
  const { records } = await w.tx.run(LOCK_CLAIM, { id });
  const found = records[0];
  if (!found || !found.labels.includes('Claim'))
    throw notFound('input.id', `no claim has id "${id}"`);
  return found;
}

/**
 * Re-derives the links the claim `id` materialises (after it was written, retracted or
 * reinstated) and touches their ends: a member's dependency group follows its PART_OF links, so
 * every incident it speaks in must get a new revision (cached rankings would otherwise outlive
 * the change). A USES link's change updates the specificity counts of overlap and candidates.
 */
async function refreshClaimLinks(w: Write, id: string): Promise<void> {
  const { records } = await w.tx.run(REFRESH_CLAIM_LINKS, { claim: id });
  w.touch(...records.flatMap((r) => [r.from, r.to]).filter((x): x is string => !!x));
  const used = records.filter((r) => r.type === 'USES').map((r) => r.to);
  if (used.length) await refreshSpecificity(w.tx, used);
}

/**
 * Writes what every link-asserting claim (alias, affiliation, technical link) has besides its
 * node: claimant, subject, object and sources, then merges the link it materialises and
 * re-derives it (a link retracted with all its claims is in force again with this one; a USES
 * link recounts the specificity weights).
 */
async function writeLinkClaim(
  w: Write,
  id: string,
  type: ClaimLinkType,
  c: {
    claimant: string;
    from: string;
    to: string;
    sources: string[];
    props?: Record<string, unknown>;
  },
): Promise<void> {
  await w.link('BY', id, [c.claimant]);
  await w.link('SUBJECT', id, [c.from]);
  await w.link('OBJECT', id, [c.to]);
  await w.link('CITES', id, c.sources);
  await w.tx.run(MERGE_CLAIM_LINK[type], {
    rows: [{ from: c.from, to: c.to, claims: [id], props: c.props ?? {}, prov: w.relProv }],
  });
  await refreshClaimLinks(w, id);
  w.touch(c.from, c.to);
}

const retracted = (props: Record<string, unknown>) =>
  props.retractedAt !== undefined && props.retractedAt !== null;

/** API keys: the CLI runs these too (the first admin key is made there). */
export const createApiKeyMutation = defineMutation({
  name: 'createApiKey',
  role: 'admin',
  input: CreateApiKeyInput,
  async write(w, input) {
    await w.check(ref('input.actor', input.actor, 'Actor'));
    const created = await insertApiKey(w.tx, input, w.principal, w.now);
    w.touch(created.record.id);
    return { key: created.key, apiKey: keyView(created.record) };
  },
});

export const revokeApiKeyMutation = defineMutation({
  name: 'revokeApiKey',
  role: 'admin',
  input: RevokeApiKeyInput,
  async write(w, input) {
    const { records } = await w.tx.run(LOCK_KEY, { id: input.id });
    if (!records[0]) throw notFound('input.id', `no API key has id "${input.id}"`);
    if (records[0].key.revokedAt !== null && records[0].key.revokedAt !== undefined)
      throw new AppError(ErrorCode.CONFLICT, `input.id: API key "${input.id}" is already revoked`, {
        argument: 'input.id',
      });
    const { records: out } = await w.tx.run(REVOKE_KEY, {
      id: input.id,
      now: w.now,
      by: w.by,
      reason: input.reason,
    });
    w.touch(input.id);
    return { apiKey: keyView(out[0].key) };
  },
});

export const MUTATIONS: readonly AnyMutation[] = [
  defineMutation({
    name: 'createIncident',
    role: 'analyst',
    input: CreateIncidentInput,
    id: { given: (i) => i.id, from: (i) => i.name },
    async write(w, input, id) {
      await w.check(refs('input.sources', input.sources, 'Source'), [{ field: 'input.id', id }]);
      const incident = await w.create('Incident', {
        id,
        name: input.name,
        summary: input.summary,
        kind: input.kind,
        unverified: false,
        ...dateProps('startedAt', input.startedAt),
      });
      await w.link('CITES', id, input.sources ?? []);
      return { incident };
    },
  }),

  defineMutation({
    name: 'createActor',
    role: 'analyst',
    input: CreateActorInput,
    id: { given: (i) => i.id, from: (i) => i.name },
    async write(w, input, id) {
      await w.check([], [{ field: 'input.id', id }]);
      const actor = await w.create('Actor', {
        id,
        name: input.name,
        kind: input.kind,
        country: input.country,
        description: input.description,
        unverified: false,
      });
      return { actor };
    },
  }),

  defineMutation({
    name: 'addAlias',
    role: 'analyst',
    input: AddAliasInput,
    id: { given: (i) => i.id, from: (i) => `${i.name} alias` },
    check(input) {
      if (input.refersTo === input.actor)
        throw invalid(
          'input.refersTo',
          'must differ from input.actor (an actor is not its own alias)',
        );
      if (!input.refersTo && aliasNodeId(input.name) === 'name-')
        throw invalid('input.name', 'must contain a letter or digit');
    },
    async write(w, input, id) {
      const names = await w.check(
        [
          ...ref('input.actor', input.actor, 'Actor'),
          ...ref('input.claimant', input.claimant, 'Actor'),
          ...ref('input.refersTo', input.refersTo, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      let target = input.refersTo;
      if (!target) {
        target = aliasNodeId(input.name);
        await w.tx.run(MERGE_ALIAS, { id: target, name: input.name, prov: w.prov });
        w.touch(target);
      }
      const claim = await w.create('Claim', {
        id,
        stance: 'asserts-alias',
        alias: input.name,
        textKind: 'paraphrase',
        text:
          input.text ??
          aliasClaimText(names.get(input.claimant), input.name, names.get(input.actor)),
        unverified: false,
        ...dateProps('statedAt', input.statedAt, w.today),
      });
      await writeLinkClaim(w, id, 'KNOWN_AS', {
        claimant: input.claimant,
        from: input.actor,
        to: target,
        sources: input.sources,
        props: { name: input.name },
      });
      return { claim };
    },
  }),

  defineMutation({
    name: 'addAffiliation',
    role: 'analyst',
    input: AddAffiliationInput,
    id: { given: (i) => i.id, from: (i) => `${i.actor} ${i.organisation} affiliation` },
    async write(w, input, id) {
      const names = await w.check(
        [
          ...ref('input.actor', input.actor, 'Actor'),
          ...ref('input.organisation', input.organisation, 'Actor'),
          ...ref('input.claimant', input.claimant, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const claim = await w.create('Claim', {
        id,
        stance: 'asserts-affiliation',
        role: input.role,
        textKind: 'paraphrase',
        text:
          input.text ??
          affiliationClaimText(
            names.get(input.claimant),
            names.get(input.actor),
            names.get(input.organisation),
            input.role,
          ),
        unverified: false,
        ...dateProps('statedAt', input.statedAt, w.today),
      });
      await writeLinkClaim(w, id, 'PART_OF', {
        claimant: input.claimant,
        from: input.actor,
        to: input.organisation,
        sources: input.sources,
        props: { role: input.role ?? null },
      });
      return { claim };
    },
  }),

  defineMutation({
    name: 'createArtifact',
    role: 'analyst',
    input: CreateArtifactInput,
    id: { given: (i) => i.id, from: (i) => `${i.kind} ${i.name}` },
    async write(w, input, id) {
      await w.check(refs('input.sources', input.sources, 'Source'), [{ field: 'input.id', id }]);
      const hashes = Object.fromEntries((input.hashes ?? []).map((h) => [h.algorithm, h.value]));
      const artifact = await w.create(ARTIFACT_LABEL_OF_KIND[input.kind], {
        id,
        name: input.name,
        stixType: input.observableType ?? input.kind,
        aliases: input.aliases?.length ? input.aliases : null,
        externalIds: input.externalIds?.length ? input.externalIds : null,
        description: input.description,
        tactics: input.tactics?.length ? input.tactics : null,
        pattern: input.pattern,
        patternType: input.patternType,
        observableType: input.observableType,
        value: input.value,
        hashes: input.hashes?.length ? input.hashes.map((h) => `${h.algorithm}:${h.value}`) : null,
        searchText: artifactSearchText({ ...input, hashes }),
        unverified: false,
        ...dateProps('firstReportedAt', input.firstReportedAt),
      });
      await w.link('CITES', id, input.sources);
      return { artifact };
    },
  }),

  defineMutation({
    name: 'addTechnicalLink',
    role: 'analyst',
    input: AddTechnicalLinkInput,
    id: { given: (i) => i.id, from: (i) => `${i.from} ${i.link} ${i.to}` },
    async write(w, input, id) {
      const type = input.link as TechnicalLinkType;
      const ends = claimLinkEnds(type);
      const names = await w.check(
        [
          ...ref('input.from', input.from, ends.from),
          ...ref('input.to', input.to, ends.to),
          ...ref('input.claimant', input.claimant, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const link = technicalLinkOf(type);
      const claim = await w.create('Claim', {
        id,
        stance: 'asserts-link',
        link,
        credibility: input.credibility,
        textKind: 'paraphrase',
        text:
          input.text ??
          technicalClaimText(
            names.get(input.claimant),
            link,
            names.get(input.from),
            names.get(input.to),
          ),
        unverified: false,
        ...dateProps('statedAt', input.statedAt, w.today),
      });
      await writeLinkClaim(w, id, type, input);
      return { claim };
    },
  }),

  defineMutation({
    name: 'createSource',
    role: 'analyst',
    input: CreateSourceInput,
    id: { given: (i) => i.id, from: (i) => i.title },
    async write(w, input, id) {
      await w.check(
        [
          ...ref('input.publisher', input.publisher, 'Actor'),
          ...ref('input.relays', input.relays, 'Actor'),
          ...ref('input.carries', input.carries, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const source = await w.create('Source', {
        id,
        tag: input.tag ?? `S-${shortSuffix().toUpperCase()}`,
        title: input.title,
        url: input.url,
        reliability: input.reliability,
        reliabilityReason: input.reliabilityReason,
        unverified: false,
        ...dateProps('publishedAt', input.publishedAt),
      });
      await w.link('PUBLISHED_BY', id, [input.publisher]);
      await w.link('RELAYS', id, [input.relays]);
      await w.link('CARRIES', id, [input.carries]);
      return { source };
    },
  }),

  defineMutation({
    name: 'createHypothesis',
    role: 'analyst',
    input: CreateHypothesisInput,
    id: { given: (i) => i.id, from: (i) => i.statement },
    async write(w, input, id) {
      await w.check(
        [
          ...ref('input.incident', input.incident, 'Incident'),
          ...refs('input.suspects', input.suspects, 'Actor'),
        ],
        [{ field: 'input.id', id }],
      );
      const hypothesis = await w.create('Hypothesis', {
        id,
        tag: input.tag ?? (await nextTag(w, input.incident, 'Hypothesis')),
        statement: input.statement,
        unverified: false,
      });
      await w.link('ABOUT', id, [input.incident]);
      await w.link('SUSPECTS', id, input.suspects);
      return { hypothesis };
    },
  }),

  defineMutation({
    name: 'createClaim',
    role: 'analyst',
    input: CreateClaimInput,
    id: { given: (i) => i.id, from: (i) => `${i.claimant} ${i.text}` },
    async write(w, input, id) {
      const evidence = refs('input.evidence', input.evidence, 'Evidence');
      await w.check(
        [
          ...ref('input.claimant', input.claimant, 'Actor'),
          ...ref('input.hypothesis', input.hypothesis, 'Hypothesis'),
          ...refs('input.sources', input.sources, 'Source'),
          ...evidence,
        ],
        [{ field: 'input.id', id }],
      );
      await sameIncident(w, input.hypothesis, evidence);
      const claim = await w.create('Claim', {
        id,
        stance: input.stance,
        text: input.text,
        textKind: input.textKind,
        credibility: input.credibility,
        unverified: false,
        ...dateProps('statedAt', input.statedAt, w.today),
      });
      await w.link('BY', id, [input.claimant]);
      await w.link(input.stance === 'supports' ? 'SUPPORTS' : 'DISPUTES', id, [input.hypothesis]);
      await w.link('CITES', id, input.sources);
      await w.link('BASED_ON', id, input.evidence ?? []);
      return { claim };
    },
  }),

  defineMutation({
    name: 'retractClaim',
    role: 'analyst',
    input: RetractClaimInput,
    async write(w, input) {
      const found = await lockClaim(w, input.id);
      const when = parsePartialDate(input.retractedAt ?? w.today)!;
      mayRetract(w.principal, {
        id: input.id,
        createdBy: typeof found.props.createdBy === 'string' ? found.props.createdBy : null,
        claimant: found.claimant,
      });
      if (retracted(found.props))
        throw new AppError(
          ErrorCode.CONFLICT,
          `input.id: claim "${input.id}" was already retracted (${String(found.props.retractedAt)}); an admin may reinstate it (reinstateClaim)`,
          { argument: 'input.id' },
        );
      const stated = found.props.statedAt ? String(found.props.statedAt) : null;
      if (stated && when.start < stated)
        throw invalid('input.retractedAt', `must not be before the claim was stated (${stated})`);
      const { records } = await w.tx.run(RETRACT_CLAIM, {
        id: input.id,
        props: {
          retractedAt: toDate(when.start),
          retractedAtPrecision: when.precision,
          retractionReason: input.reason,
          retractedBy: w.by,
          retractedByName: w.principal.name,
          retractionRecordedAt: w.now,
        },
      });
      w.touch(input.id);
      await refreshClaimLinks(w, input.id);
      return { claim: toEntity(records[0].node.labels, records[0].node.props) };
    },
  }),

  defineMutation({
    name: 'reinstateClaim',
    role: 'admin',
    input: ReinstateClaimInput,
    async write(w, input) {
      const found = await lockClaim(w, input.id);
      if (!retracted(found.props))
        throw new AppError(ErrorCode.CONFLICT, `input.id: claim "${input.id}" is not retracted`, {
          argument: 'input.id',
        });
      // The audit entry keeps the retraction this undoes.
      w.auditExtra.previous = {
        retractedAt: String(found.props.retractedAt),
        retractionReason: found.props.retractionReason ?? null,
        retractedBy: found.props.retractedBy ?? null,
      };
      const { records } = await w.tx.run(REINSTATE_CLAIM, {
        id: input.id,
        props: {
          reinstatedAt: w.now,
          reinstatedBy: w.by,
          reinstatedByName: w.principal.name,
          reinstatementReason: input.reason,
        },
      });
      w.touch(input.id);
      await refreshClaimLinks(w, input.id);
      return { claim: toEntity(records[0].node.labels, records[0].node.props) };
    },
  }),

  defineMutation({
    name: 'createEvidence',
    role: 'analyst',
    input: CreateEvidenceInput,
    id: { given: (i) => i.id, from: (i) => i.title },
    async write(w, input, id) {
      await w.check(
        [
          ...ref('input.incident', input.incident, 'Incident'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const evidence = await w.create('Evidence', {
        id,
        tag: input.tag ?? (await nextTag(w, input.incident, 'Evidence')),
        kind: input.kind,
        title: input.title,
        description: input.description,
        credibility: input.credibility,
        credibilityReason: input.credibilityReason,
        unverified: false,
        ...dateProps('reportedAt', input.reportedAt),
      });
      await w.link('OBSERVED_IN', id, [input.incident]);
      await w.link('CITES', id, input.sources);
      return { evidence };
    },
  }),

  defineMutation({
    name: 'rateEvidence',
    role: 'analyst',
    input: RateEvidenceInput,
    speaksAs: ['ratedBy'],
    id: { given: (i) => i.id, from: (i) => `rating ${i.evidence} ${i.hypothesis}` },
    async write(w, input, id) {
      const rater = input.ratedBy ?? w.principal.actor;
      if (!rater)
        throw invalid(
          'input.ratedBy',
          'is required: your API key speaks for no actor, so name the rater (an actor id)',
        );
      await w.check(
        [
          ...ref('input.evidence', input.evidence, 'Evidence'),
          ...ref('input.hypothesis', input.hypothesis, 'Hypothesis'),
          ...ref(input.ratedBy ? 'input.ratedBy' : 'the actor of your API key', rater, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      await sameIncident(w, input.evidence, [
        { field: 'input.hypothesis', id: input.hypothesis, label: 'Hypothesis' },
      ]);
      const rating = await w.create('Rating', {
        id,
        rating: input.rating,
        rationale: input.rationale,
        ...dateProps('ratedAt', input.ratedAt ?? w.today),
      });
      await w.link('RATES', id, [input.evidence]);
      await w.link('AGAINST', id, [input.hypothesis]);
      await w.link('BY', id, [rater]);
      await w.link('CITES', id, input.sources ?? []);
      return { rating };
    },
  }),

  defineMutation({
    name: 'addOpinion',
    role: 'analyst',
    input: AddOpinionInput,
    speaksAs: ['analyst'],
    async write(w, input) {
      const analyst = input.analyst ?? w.principal.actor;
      await w.check([
        ...ref('input.hypothesis', input.hypothesis, 'Hypothesis'),
        ...ref(input.analyst ? 'input.analyst' : 'the actor of your API key', analyst, 'Actor'),
      ]);
      const id = `opinion-${shortSuffix()}${shortSuffix()}`;
      const { records } = await w.tx.run(CREATE_OPINION, {
        hypothesis: input.hypothesis,
        analyst,
        props: cleanProps({
          id,
          opinion: input.opinion,
          rationale: input.rationale,
          analyst,
          hypothesis: input.hypothesis,
          ...w.prov,
        }),
        rel: w.relProv,
      });
      w.touch(id);
      const node = toEntity(records[0].node.labels, records[0].node.props);
      return { opinion: { ...node, __typename: 'Opinion' } };
    },
  }),

  createApiKeyMutation,
  revokeApiKeyMutation,

  defineMutation({
    name: 'correctText',
    role: 'admin',
    input: CorrectTextInput,
    async write(w, input) {
      const { records } = await w.tx.run(LOCK_ENTITY, { id: input.id });
      const found = records[0];
      if (!found) throw notFound('input.id', `no entity has id "${input.id}"`);
      const label = found.labels.find((l) => l in CORRECTABLE);
      const allowed = label ? CORRECTABLE[label] : [];
      if (!allowed.includes(input.field))
        throw invalid(
          'input.field',
          allowed.length
            ? `${label} has no correctable text field "${input.field}"; correctable: ${allowed.join(', ')}`
            : `"${input.id}" has no correctable text`,
        );
      const old = found.props[input.field];
      if (typeof old !== 'string')
        throw invalid('input.field', `"${input.id}" has no ${input.field} to correct`);
      if (old === input.value) throw invalid('input.value', 'is the same as the current text');
      const limit = correctionLimit(old.length);
      if (editDistance(old, input.value, limit) > limit)
        throw invalid(
          'input.value',
          `a typo fix may change at most ${limit} characters of this text; record new information as a new claim instead`,
        );
      // The audit entry keeps the old value next to the new one.
      w.auditExtra.previous = old;
      const { records: out } = await w.tx.run(CORRECT_FIELD[input.field], {
        id: input.id,
        value: input.value,
        now: w.now,
        by: w.by,
      });
      w.touch(input.id);
      return { node: toEntity(out[0].node.labels, out[0].node.props) };
    },
  }),
];

/** The table by name. */
export const MUTATION_BY_NAME: ReadonlyMap<string, AnyMutation> = new Map(
  MUTATIONS.map((m) => [m.name, m]),
);
