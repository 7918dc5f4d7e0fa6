// Writing from the page (analysts and admins signed in): add a source, add a claim supporting or
// disputing a hypothesis citing sources, rate an item of evidence from its ACH cell, retract a
// claim (and, for admins, reinstate it), and read an entity's audit trail. Every form sends ONE
// mutation with the whole `input` as a variable of its input type, shows the userErrors beside
// the fields they name, and on success tells the page to redraw (no reload). Anonymous visitors
// and readers get none of these controls: they are not drawn at all.
import { gql, type UserError } from './api';
import { byId, fmtDate, h, words } from './dom';
import { buildForm, idList, type FieldSpec, type Problem } from './forms';
import { canWrite, isAdmin } from './session';
import type { ClaimItem } from './types';

const USER_ERRORS = 'userErrors { field path code message }';

let afterWrite: () => void = () => undefined;
/** What the page redraws after a write (board, matrix, chart). */
export function setAfterWrite(fn: () => void): void {
  afterWrite = fn;
}

/** Ids offered as suggestions in the forms (sources and evidence seen on the page). */
export function suggest(
  list: 'known-sources' | 'known-evidence',
  items: { id: string; label: string }[],
): void {
  const box = byId(list);
  const have = new Set(Array.from(box.children).map((o) => (o as HTMLOptionElement).value));
  for (const x of items)
    if (!have.has(x.id)) {
      have.add(x.id);
      box.append(h('option', { value: x.id }, x.label));
    }
}

/** Runs a mutation; answers its payload field, or its userErrors as problems. */
async function mutate<T>(
  operation: string,
  inputType: string,
  result: string,
  input: Record<string, unknown>,
): Promise<{ value: T | null; problems: Problem[] }> {
  const data = await gql<Record<string, Record<string, unknown> & { userErrors: UserError[] }>>(
    `mutation Write($input: ${inputType}!) { ${operation}(input: $input) { ${result} ${USER_ERRORS} } }`,
    { input },
  );
  const payload = data[operation];
  return {
    value: payload.userErrors.length ? null : (payload as unknown as T),
    problems: payload.userErrors,
  };
}

/** A short, non-alarming note of what was written (read by screen readers). */
function done(text: string): void {
  const status = byId('write-status');
  status.textContent = text;
  status.hidden = false;
}

function openWriteDialog(title: string, ...content: Node[]): HTMLDialogElement {
  const dialog = byId<HTMLDialogElement>('write-dialog');
  const opener = document.activeElement as HTMLElement | null;
  byId('write-dialog-title').textContent = title;
  byId('write-dialog-body').replaceChildren(...content);
  dialog.addEventListener('close', () => opener?.isConnected && opener.focus(), { once: true });
  if (!dialog.open) dialog.showModal();
  dialog.querySelector<HTMLElement>('input, select, textarea')?.focus();
  return dialog;
}

const options = (values: string[], label = words): [string, string][] =>
  values.map((v) => [v, label(v)]);

const RELIABILITY: [string, string][] = [
  ['A', 'A: completely reliable'],
  ['B', 'B: usually reliable'],
  ['C', 'C: fairly reliable'],
  ['D', 'D: not usually reliable'],
  ['E', 'E: unreliable'],
  ['F', 'F: reliability cannot be judged'],
];

const SOURCE_FIELDS: FieldSpec[] = [
  { name: 'title', label: 'Title', required: true, maxLength: 500 },
  {
    name: 'publisher',
    label: 'Publisher (actor id)',
    kind: 'ids',
    required: true,
    list: 'known-ids',
    hint: 'The id of the outlet or agency that published it, e.g. fbi.',
  },
  { name: 'url', label: 'Address', kind: 'url' },
  { name: 'publishedAt', label: 'Published', kind: 'date', unknown: true },
  {
    name: 'reliability',
    label: 'Reliability (Admiralty)',
    kind: 'select',
    options: RELIABILITY,
    value: 'F',
  },
  {
    name: 'reliabilityReason',
    label: 'Why that grade',
    required: true,
    maxLength: 1000,
  },
];

/** The "add a source" dialog. */
export function openAddSource(): void {
  const form = buildForm({
    id: 'source-form',
    fields: SOURCE_FIELDS,
    submitLabel: 'Record the source',
    submit: async (v) => {
      const r = await mutate<{ source: { id: string; tag: string; title: string } }>(
        'createSource',
        'CreateSourceInput',
        'source { id tag title }',
        {
          title: v.title,
          publisher: v.publisher,
          url: v.url ?? null,
          publishedAt: v.publishedAt ?? null,
          reliability: v.reliability,
          reliabilityReason: v.reliabilityReason,
        },
      );
      if (!r.value) return r.problems;
      const s = r.value.source;
      suggest('known-sources', [{ id: s.id, label: `${s.tag}: ${s.title}` }]);
      dialog.close();
      done(`Source ${s.tag} recorded as ${s.id}: cite it in a claim.`);
      afterWrite();
      return null;
    },
  });
  const dialog = openWriteDialog('Add a source', form);
}

/** The "add a claim" dialog for one hypothesis. */
export function openAddClaim(hyp: { id: string; tag: string; statement: string }): void {
  const fields: FieldSpec[] = [
    {
      name: 'claimant',
      label: 'Who said it (actor id)',
      kind: 'ids',
      required: true,
      list: 'known-ids',
    },
    {
      name: 'stance',
      label: 'Stance',
      kind: 'select',
      options: [
        ['SUPPORTS', `Supports ${hyp.tag}`],
        ['DISPUTES', `Disputes ${hyp.tag}`],
      ],
    },
    { name: 'statedAt', label: 'When it was said', kind: 'date', unknown: true, required: true },
    { name: 'text', label: 'What was said', kind: 'textarea', required: true, maxLength: 5000 },
    {
      name: 'textKind',
      label: 'The words are',
      kind: 'select',
      options: [
        ['QUOTE', 'a quote'],
        ['PARAPHRASE', 'a paraphrase'],
      ],
    },
    {
      name: 'sources',
      label: 'Sources (ids)',
      kind: 'ids',
      required: true,
      list: 'known-sources',
      hint: 'Where it is reported: one or more source ids, separated by commas.',
    },
    {
      name: 'evidence',
      label: 'Evidence it rests on (ids)',
      kind: 'ids',
      list: 'known-evidence',
    },
    {
      name: 'credibility',
      label: 'Credibility (Admiralty 1-6)',
      kind: 'select',
      options: [['', 'not graded'], ...options(['1', '2', '3', '4', '5', '6'], (x) => x)],
    },
  ];
  const form = buildForm({
    id: 'claim-form',
    fields,
    submitLabel: 'Record the claim',
    submit: async (v) => {
      const r = await mutate<{ claim: { id: string } }>(
        'createClaim',
        'CreateClaimInput',
        'claim { id }',
        {
          claimant: v.claimant,
          stance: v.stance,
          hypothesis: hyp.id,
          statedAt: v.statedAt,
          text: v.text,
          textKind: v.textKind,
          sources: idList(v.sources ?? ''),
          evidence: v.evidence ? idList(v.evidence) : null,
          credibility: v.credibility ? Number(v.credibility) : null,
        },
      );
      if (!r.value) return r.problems;
      dialog.close();
      done(`Claim ${r.value.claim.id} recorded on ${hyp.tag}.`);
      afterWrite();
      return null;
    },
  });
  const dialog = openWriteDialog(
    `Add a claim on ${hyp.tag}`,
    h('p', { class: 'meta' }, hyp.statement),
    form,
  );
}

/** The rating form inside an ACH cell's dialog (analysts only; null otherwise). */
export function rateForm(
  evidence: { id: string; tag: string },
  hyp: { id: string; tag: string },
  onRated: () => void,
): HTMLElement | null {
  if (!canWrite()) return null;
  const fields: FieldSpec[] = [
    {
      name: 'rating',
      label: 'Rating',
      kind: 'select',
      options: options([
        'VERY_CONSISTENT',
        'CONSISTENT',
        'NEUTRAL',
        'INCONSISTENT',
        'VERY_INCONSISTENT',
        'NOT_APPLICABLE',
      ]),
      value: 'NEUTRAL',
    },
    { name: 'rationale', label: 'Why', kind: 'textarea', required: true, maxLength: 5000 },
    {
      name: 'ratedBy',
      label: 'Rated by (actor id)',
      kind: 'ids',
      list: 'known-ids',
      hint: "Your key's actor when left empty.",
    },
    { name: 'ratedAt', label: 'When the rater argued it', kind: 'date', hint: 'Today when empty.' },
    { name: 'sources', label: 'Sources (ids)', kind: 'ids', list: 'known-sources' },
  ];
  const form = buildForm({
    id: 'rate-form',
    fields,
    submitLabel: `Rate ${evidence.tag} against ${hyp.tag}`,
    submit: async (v) => {
      const r = await mutate<{ rating: { id: string } }>(
        'rateEvidence',
        'RateEvidenceInput',
        'rating { id }',
        {
          evidence: evidence.id,
          hypothesis: hyp.id,
          rating: v.rating,
          rationale: v.rationale,
          ratedBy: v.ratedBy ?? null,
          ratedAt: v.ratedAt ?? null,
          sources: v.sources ? idList(v.sources) : null,
        },
      );
      if (!r.value) return r.problems;
      done(`Rating ${r.value.rating.id} recorded: ${evidence.tag} × ${hyp.tag}.`);
      onRated();
      afterWrite();
      return null;
    },
  });
  return h(
    'details',
    { class: 'write rate-box' },
    h('summary', {}, `Rate ${evidence.tag} against ${hyp.tag}`),
    form,
  );
}

/** Retract / reinstate / audit controls under a claim (drawn for analysts and admins only). */
export function claimTools(c: ClaimItem, redraw: (c: ClaimItem) => void): HTMLElement | null {
  if (!canWrite()) return null;
  const box = h('div', { class: 'write claim-tools' });
  const show = (form: HTMLElement) => {
    box.querySelector('form')?.remove();
    box.append(form);
    form.querySelector<HTMLElement>('input, textarea')?.focus();
  };
  const retract = () =>
    show(
      buildForm({
        id: 'retract-form',
        fields: [
          { name: 'retractedAt', label: 'Retracted on', kind: 'date', hint: 'Today when empty.' },
          { name: 'reason', label: 'Why', kind: 'textarea', required: true, maxLength: 2000 },
        ],
        submitLabel: 'Retract the claim',
        submit: async (v) => {
          const r = await mutate<{ claim: { id: string; retractedAt: string } }>(
            'retractClaim',
            'RetractClaimInput',
            'claim { id retractedAt }',
            { id: c.id, retractedAt: v.retractedAt ?? null, reason: v.reason },
          );
          if (!r.value) return r.problems;
          done(`Claim ${c.id} retracted as of ${fmtDate(r.value.claim.retractedAt)}.`);
          redraw({ ...c, retractedAt: r.value.claim.retractedAt });
          afterWrite();
          return null;
        },
      }),
    );
  const reinstate = () =>
    show(
      buildForm({
        id: 'reinstate-form',
        fields: [
          {
            name: 'reason',
            label: 'Why the retraction was wrong',
            kind: 'textarea',
            required: true,
            maxLength: 2000,
          },
        ],
        submitLabel: 'Reinstate the claim',
        submit: async (v) => {
          const r = await mutate<{ claim: { id: string } }>(
            'reinstateClaim',
            'ReinstateClaimInput',
            'claim { id }',
            { id: c.id, reason: v.reason },
          );
          if (!r.value) return r.problems;
          done(`Claim ${c.id} reinstated.`);
          redraw({ ...c, retractedAt: null });
          afterWrite();
          return null;
        },
      }),
    );
  if (!c.retractedAt)
    box.append(h('button', { type: 'button', class: 'retract', onclick: retract }, 'Retract…'));
  else if (isAdmin())
    box.append(
      h('button', { type: 'button', class: 'reinstate', onclick: reinstate }, 'Reinstate…'),
    );
  box.append(
    h(
      'button',
      { type: 'button', class: 'audit', onclick: () => void showAudit(c.id, box) },
      'Audit trail',
    ),
  );
  return box;
}

interface AuditNode {
  at: string;
  principalName: string;
  role: string;
  operation: string;
  arguments: string;
}

/** An entity's audit trail (every write that created or changed it), oldest first, into `box`. */
export async function showAudit(id: string, box: HTMLElement): Promise<void> {
  box.querySelector('.audit-trail')?.remove();
  const data = await gql<{
    auditLog: { totalCount: number; edges: { node: AuditNode }[] };
  }>(
    `query Audit($id: ID!) { auditLog(entity: $id, first: 100) { totalCount
      edges { node { at principalName role operation arguments } } } }`,
    { id },
  );
  const entries = data.auditLog.edges.map((e) => e.node);
  box.append(
    h(
      'div',
      { class: 'audit-trail', 'data-entity': id },
      h(
        'p',
        { class: 'meta' },
        entries.length
          ? `${data.auditLog.totalCount} write(s) on record for ${id}, oldest first:`
          : `No write through the API on record for ${id} (it came with the seed).`,
      ),
      entries.length
        ? h(
            'ol',
            {},
            entries.map((e) =>
              h(
                'li',
                { class: 'audit-entry', 'data-operation': e.operation },
                h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')),
                ' ',
                h('strong', {}, e.operation),
                ` by ${e.principalName} (${e.role.toLowerCase()})`,
                h('details', {}, h('summary', {}, 'Arguments'), h('pre', {}, e.arguments)),
              ),
            ),
          )
        : '',
    ),
  );
}

/** The write bar under the case heading: drawn for analysts and admins, emptied otherwise. */
export function renderWriteBar(): void {
  const bar = byId('write-bar');
  if (!canWrite()) {
    bar.replaceChildren();
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  bar.replaceChildren(
    h('span', { class: 'muted' }, 'Record: '),
    h(
      'button',
      { type: 'button', id: 'add-source', class: 'write', onclick: openAddSource },
      'Add a source',
    ),
    h('span', { class: 'muted' }, ' · claims from each hypothesis, ratings from the ACH cells.'),
  );
}
