import neo4j from 'neo4j-driver';
import {
  insertApiKey,
  LOCK_KEY,
  Principal,
  REVOKE_KEY,
  requireRole,
  type ApiKeyRow,
} from '../auth';
import type { Db } from '../db';
import { cleanProps, toDate } from '../db';
import { AppError, ErrorCode } from '../errors';
import { plain, toEntity, type Entity } from '../graph/entities';
import { connection, decodeCursor, pageSize } from '../graph/paging';
import {
  MERGE_CLAIM_LINK,
  affiliationClaimText,
  aliasClaimText,
  aliasNodeId,
  dateProps,
  newId,
  parsePartialDate,
  shortSuffix,
} from '../model';
import {
  AddAffiliationInput,
  AddAliasInput,
  AddOpinionInput,
  CorrectTextInput,
  CreateActorInput,
  CreateApiKeyInput,
  CreateClaimInput,
  CreateEvidenceInput,
  CreateHypothesisInput,
  CreateIncidentInput,
  CreateSourceInput,
  RateEvidenceInput,
  RetractClaimInput,
  RevokeApiKeyInput,
  invalid,
  parseInput,
} from './inputs';
import {
  AUDIT_COUNT,
  AUDIT_PAGE,
  CORRECT_FIELD,
  CORRECTABLE,
  CREATE_OPINION,
  INCIDENT_OF,
  INCIDENT_TAGS,
  LOCK_ENTITY,
  MERGE_ALIAS,
  RETRACT_CLAIM,
} from './queries';
import { correctionLimit, editDistance } from './util';
import { Ref, Write, mutate } from './write';

/** What a mutation needs from the request. */
export interface Caller {
  db: Db;
  principal: Principal;
}

const refs = (field: string, ids: string[] | null | undefined, label: string): Ref[] =>
  (ids ?? []).map((id, i) => ({ field: `${field}[${i}]`, id, label }));
const ref = (field: string, id: string | null | undefined, label: string): Ref[] =>
  id ? [{ field, id, label }] : [];

/** The next free tag number for an incident's hypotheses (H) or evidence (E). */
async function nextTag(w: Write, incident: string, label: 'Hypothesis' | 'Evidence') {
  const { records } = await w.tx.run(INCIDENT_TAGS, { incident, label });
  const letter = label === 'Hypothesis' ? 'H' : 'E';
  const re = new RegExp(`^(?:([A-Z]+)-)?${letter}(\\d+)`);
  let max = 0;
  let prefix = '';
  for (const t of records[0]?.tags ?? []) {
    const m = re.exec(t);
    if (!m) continue;
    if (Number(m[2]) > max) max = Number(m[2]);
    prefix = m[1] ? `${m[1]}-` : prefix;
  }
  return `${prefix}${letter}${max + 1}`;
}

/** Fails unless every listed hypothesis or item of evidence is about `incident`. */
async function sameIncident(w: Write, incident: string | null, items: Ref[]) {
  if (!items.length) return;
  const { records } = await w.tx.run(INCIDENT_OF, { ids: items.map((i) => i.id) });
  const of = new Map(records.map((r) => [r.id, r.incident]));
  for (const item of items) {
    const theirs = of.get(item.id) ?? null;
    if (theirs !== incident)
      throw invalid(
        item.field,
        `"${item.id}" is about incident "${theirs}", not "${incident}" like the rest of the input`,
      );
  }
}

/** Incident of a hypothesis or item of evidence. */
async function incidentOf(w: Write, id: string): Promise<string | null> {
  const { records } = await w.tx.run(INCIDENT_OF, { ids: [id] });
  return records[0]?.incident ?? null;
}

export async function createIncident(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateIncidentInput, raw);
  const id = newId(input.id, input.name);
  return mutate(
    c.db,
    c.principal,
    'createIncident',
    'analyst',
    raw,
    async (w) => {
      await w.check(refs('input.sources', input.sources, 'Source'), [{ field: 'input.id', id }]);
      const node = await w.create('Incident', {
        id,
        name: input.name,
        summary: input.summary,
        kind: input.kind,
        unverified: false,
        ...dateProps('startedAt', input.startedAt),
      });
      await w.link('CITES', id, input.sources ?? []);
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function createActor(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateActorInput, raw);
  const id = newId(input.id, input.name);
  return mutate(
    c.db,
    c.principal,
    'createActor',
    'analyst',
    raw,
    async (w) => {
      await w.check([], [{ field: 'input.id', id }]);
      return w.create('Actor', {
        id,
        name: input.name,
        kind: input.kind,
        country: input.country,
        description: input.description,
        unverified: false,
      });
    },
    { field: 'input.id', id },
  );
}

export async function addAlias(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(AddAliasInput, raw);
  if (input.refersTo === input.actor)
    throw invalid('input.refersTo', 'must differ from input.actor (an actor is not its own alias)');
  const id = newId(input.id, `alias ${input.name}`);
  return mutate(
    c.db,
    c.principal,
    'addAlias',
    'analyst',
    raw,
    async (w) => {
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
        if (target === 'name-') throw invalid('input.name', 'must contain a letter or digit');
        await w.tx.run(MERGE_ALIAS, { id: target, name: input.name, prov: w.prov });
        w.touch(target);
      }
      const node = await w.create('Claim', {
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
      await w.link('BY', id, [input.claimant]);
      await w.link('SUBJECT', id, [input.actor]);
      await w.link('OBJECT', id, [target]);
      await w.link('CITES', id, input.sources);
      await w.tx.run(MERGE_CLAIM_LINK.KNOWN_AS, {
        rows: [
          {
            from: input.actor,
            to: target,
            claims: [id],
            props: { name: input.name },
            prov: w.relProv,
          },
        ],
      });
      w.touch(input.actor);
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function addAffiliation(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(AddAffiliationInput, raw);
  const id = newId(input.id, `affiliation ${input.actor} ${input.organisation}`);
  return mutate(
    c.db,
    c.principal,
    'addAffiliation',
    'analyst',
    raw,
    async (w) => {
      const names = await w.check(
        [
          ...ref('input.actor', input.actor, 'Actor'),
          ...ref('input.organisation', input.organisation, 'Actor'),
          ...ref('input.claimant', input.claimant, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const node = await w.create('Claim', {
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
      await w.link('BY', id, [input.claimant]);
      await w.link('SUBJECT', id, [input.actor]);
      await w.link('OBJECT', id, [input.organisation]);
      await w.link('CITES', id, input.sources);
      await w.tx.run(MERGE_CLAIM_LINK.PART_OF, {
        rows: [
          {
            from: input.actor,
            to: input.organisation,
            claims: [id],
            props: { role: input.role ?? null },
            prov: w.relProv,
          },
        ],
      });
      w.touch(input.actor, input.organisation);
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function createSource(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateSourceInput, raw);
  const id = newId(input.id, input.title);
  return mutate(
    c.db,
    c.principal,
    'createSource',
    'analyst',
    raw,
    async (w) => {
      await w.check(
        [
          ...ref('input.publisher', input.publisher, 'Actor'),
          ...ref('input.relays', input.relays, 'Actor'),
          ...ref('input.carries', input.carries, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const node = await w.create('Source', {
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
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function createHypothesis(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateHypothesisInput, raw);
  const id = newId(input.id, input.statement);
  return mutate(
    c.db,
    c.principal,
    'createHypothesis',
    'analyst',
    raw,
    async (w) => {
      await w.check(
        [
          ...ref('input.incident', input.incident, 'Incident'),
          ...refs('input.suspects', input.suspects, 'Actor'),
        ],
        [{ field: 'input.id', id }],
      );
      const node = await w.create('Hypothesis', {
        id,
        tag: input.tag ?? (await nextTag(w, input.incident, 'Hypothesis')),
        statement: input.statement,
        unverified: false,
      });
      await w.link('ABOUT', id, [input.incident]);
      await w.link('SUSPECTS', id, input.suspects);
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function createClaim(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateClaimInput, raw);
  const id = newId(input.id, `${input.claimant} ${input.text}`);
  return mutate(
    c.db,
    c.principal,
    'createClaim',
    'analyst',
    raw,
    async (w) => {
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
      if (evidence.length) await sameIncident(w, await incidentOf(w, input.hypothesis), evidence);
      const node = await w.create('Claim', {
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
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function retractClaim(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(RetractClaimInput, raw);
  return mutate(c.db, c.principal, 'retractClaim', 'analyst', raw, async (w) => {
    const { records } = await w.tx.run(LOCK_ENTITY, { id: input.id });
    const found = records[0];
    if (!found || !found.labels.includes('Claim'))
      throw new AppError(ErrorCode.NOT_FOUND, `input.id: no claim has id "${input.id}"`, {
        argument: 'input.id',
      });
    if (found.props.retractedAt !== undefined && found.props.retractedAt !== null)
      throw new AppError(
        ErrorCode.CONFLICT,
        `input.id: claim "${input.id}" was already retracted (${String(found.props.retractedAt)}); a retraction is not changed`,
        { argument: 'input.id' },
      );
    const when = parsePartialDate(input.retractedAt ?? w.today)!;
    const stated = found.props.statedAt ? String(found.props.statedAt) : null;
    if (stated && when.start < stated)
      throw invalid('input.retractedAt', `must not be before the claim was stated (${stated})`);
    const { records: out } = await w.tx.run(RETRACT_CLAIM, {
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
    return toEntity(out[0].node.labels, out[0].node.props);
  });
}

export async function createEvidence(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CreateEvidenceInput, raw);
  const id = newId(input.id, input.title);
  return mutate(
    c.db,
    c.principal,
    'createEvidence',
    'analyst',
    raw,
    async (w) => {
      await w.check(
        [
          ...ref('input.incident', input.incident, 'Incident'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      const node = await w.create('Evidence', {
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
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function rateEvidence(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(RateEvidenceInput, raw);
  const rater = input.ratedBy ?? c.principal.actor;
  requireRole(c.principal, 'analyst', 'rateEvidence');
  if (!rater)
    throw invalid(
      'input.ratedBy',
      'is required: your API key speaks for no actor, so name the rater (an actor id)',
    );
  const id = newId(input.id, `rating ${input.evidence} ${input.hypothesis}`);
  return mutate(
    c.db,
    c.principal,
    'rateEvidence',
    'analyst',
    raw,
    async (w) => {
      await w.check(
        [
          ...ref('input.evidence', input.evidence, 'Evidence'),
          ...ref('input.hypothesis', input.hypothesis, 'Hypothesis'),
          ...ref(input.ratedBy ? 'input.ratedBy' : 'the actor of your API key', rater, 'Actor'),
          ...refs('input.sources', input.sources, 'Source'),
        ],
        [{ field: 'input.id', id }],
      );
      await sameIncident(w, await incidentOf(w, input.evidence), [
        { field: 'input.hypothesis', id: input.hypothesis, label: 'Hypothesis' },
      ]);
      const node = await w.create('Rating', {
        id,
        rating: input.rating,
        rationale: input.rationale,
        ...dateProps('ratedAt', input.ratedAt ?? w.today),
      });
      await w.link('RATES', id, [input.evidence]);
      await w.link('AGAINST', id, [input.hypothesis]);
      await w.link('BY', id, [rater]);
      await w.link('CITES', id, input.sources ?? []);
      return node;
    },
    { field: 'input.id', id },
  );
}

export async function addOpinion(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(AddOpinionInput, raw);
  const analyst = input.analyst ?? c.principal.actor;
  return mutate(c.db, c.principal, 'addOpinion', 'analyst', raw, async (w) => {
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
    return { ...toEntity(records[0].node.labels, records[0].node.props), __typename: 'Opinion' };
  });
}

/** An API key as the API shows it (never its hash). */
export function keyView(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    actor: k.actor ?? null,
    createdAt: plain(k.createdAt),
    createdBy: k.createdBy ?? null,
    revokedAt: plain(k.revokedAt ?? null),
    revokedBy: k.revokedBy ?? null,
    revokedReason: k.revokedReason ?? null,
  };
}

export async function createApiKey(c: Caller, raw: unknown) {
  const input = parseInput(CreateApiKeyInput, raw);
  return mutate(c.db, c.principal, 'createApiKey', 'admin', raw, async (w) => {
    await w.check(ref('input.actor', input.actor, 'Actor'));
    const created = await insertApiKey(w.tx, input, c.principal, w.now);
    w.touch(created.record.id);
    return { key: created.key, apiKey: keyView(created.record) };
  });
}

export async function revokeApiKey(c: Caller, raw: unknown) {
  const input = parseInput(RevokeApiKeyInput, raw);
  return mutate(c.db, c.principal, 'revokeApiKey', 'admin', raw, async (w) => {
    const { records } = await w.tx.run(LOCK_KEY, { id: input.id });
    if (!records[0])
      throw new AppError(ErrorCode.NOT_FOUND, `input.id: no API key has id "${input.id}"`, {
        argument: 'input.id',
      });
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
    return keyView(out[0].key);
  });
}

export async function correctText(c: Caller, raw: unknown): Promise<Entity> {
  const input = parseInput(CorrectTextInput, raw);
  let previous: unknown;
  return mutate(
    c.db,
    c.principal,
    'correctText',
    'admin',
    // The audit entry keeps the old value next to the new one.
    {
      input: raw,
      get previous() {
        return previous;
      },
    },
    async (w) => {
      const { records } = await w.tx.run(LOCK_ENTITY, { id: input.id });
      const found = records[0];
      if (!found)
        throw new AppError(ErrorCode.NOT_FOUND, `input.id: no entity has id "${input.id}"`, {
          argument: 'input.id',
        });
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
      previous = old;
      const { records: out } = await w.tx.run(CORRECT_FIELD[input.field], {
        id: input.id,
        value: input.value,
        now: w.now,
        by: w.by,
      });
      w.touch(input.id);
      return toEntity(out[0].node.labels, out[0].node.props);
    },
  );
}

/** The audit log, oldest first (admins only). */
export async function auditLog(
  c: Caller,
  args: {
    first?: number | null;
    after?: string | null;
    operation?: string | null;
    principal?: string | null;
  },
) {
  requireRole(c.principal, 'admin', 'auditLog');
  const size = pageSize(args.first, 50, 500);
  const skip = decodeCursor(args.after);
  const filter = { operation: args.operation ?? null, principal: args.principal ?? null };
  const [rows, count] = await Promise.all([
    c.db.read(AUDIT_PAGE, { ...filter, skip: neo4j.int(skip), limit: neo4j.int(size) }),
    c.db.read(AUDIT_COUNT, filter),
  ]);
  const entries = rows.map((r) => ({ ...r.entry, at: plain(r.entry.at) }));
  return connection(entries, skip, size, count[0]?.total ?? 0);
}
