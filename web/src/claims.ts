import { gql } from './api';
import { byId, fmtDate, h, words } from './dom';
import type { ClaimItem, SourceRef } from './types';
import { claimTools } from './write';

export const CLAIM_FIELDS = `
  id text textKind statedAt statedAtPrecision stance retractedAt
  sources { id title publisher url publishedAt }
`;

/** One source as a list item: the title (linked when it has a URL), publisher and date. */
export function sourceItem(s: SourceRef): HTMLLIElement {
  const title = s.url
    ? h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.title)
    : h('span', {}, s.title);
  return h(
    'li',
    {},
    title,
    ` — ${s.publisher}`,
    s.publishedAt ? `, ${fmtDate(s.publishedAt)}` : '',
  );
}

/** One dated claim: the quote (or paraphrase), when, and its sources with links. */
export function claimView(c: ClaimItem): HTMLElement {
  const text =
    c.textKind === 'QUOTE'
      ? h('blockquote', { class: 'quote' }, `“${c.text}”`)
      : h('p', { class: 'paraphrase' }, c.text, h('span', { class: 'muted' }, ' (paraphrase)'));
  return h(
    'article',
    { class: 'claim', 'data-claim': c.id },
    h(
      'p',
      { class: 'claim-head' },
      h('time', { datetime: c.statedAt ?? '' }, fmtDate(c.statedAt, c.statedAtPrecision)),
      ' · ',
      h('span', { class: `stance stance-${c.stance}` }, words(c.stance)),
      c.hypothesis ? ` ${c.hypothesis.tag}` : '',
      c.retractedAt
        ? h('span', { class: 'retracted' }, ` · retracted ${fmtDate(c.retractedAt)}`)
        : '',
    ),
    text,
    c.sources.length
      ? h('ul', { class: 'sources', 'aria-label': 'Sources' }, c.sources.map(sourceItem))
      : h('p', { class: 'muted' }, 'No source recorded.'),
  );
}

/** A claim with the write tools (retract, reinstate, audit trail) a signed-in analyst gets. */
export function claimWithTools(c: ClaimItem): HTMLElement {
  const view = claimView(c);
  const tools = claimTools(c, (changed) => view.replaceWith(claimWithTools(changed)));
  if (tools) view.append(tools);
  return view;
}

let onShowInGraph: (id: string) => void = () => undefined;
/** What the dialog's "Show in graph" button does (set by the graph explorer). */
export function setShowInGraph(fn: (id: string) => void): void {
  onShowInGraph = fn;
}

/** Opens the actor dialog with a heading, an intro line and claims. */
export function openActorDialog(
  actor: { id: string; name: string; kind: string },
  intro: string,
  claims: ClaimItem[],
): void {
  const dialog = byId<HTMLDialogElement>('actor-dialog');
  byId('actor-dialog-title').textContent = actor.name;
  const body = byId('actor-dialog-body');
  body.replaceChildren(
    h('p', { class: 'meta' }, words(actor.kind), ' · ', h('code', {}, actor.id)),
    h('p', {}, intro),
    claims.length
      ? h('div', { class: 'claims' }, claims.map(claimWithTools))
      : h('p', {}, 'No claims.'),
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            dialog.close();
            onShowInGraph(actor.id);
          },
        },
        'Show in graph',
      ),
    ),
  );
  if (!dialog.open) dialog.showModal();
}

/** Opens the dialog with every claim the actor made, oldest first. */
export async function showAllClaims(id: string): Promise<void> {
  const data = await gql<{
    actor: {
      id: string;
      name: string;
      kind: string;
      description: string | null;
      claims: { totalCount: number; edges: { node: ClaimItem }[] };
    } | null;
  }>(
    `query ActorClaims($id: ID!, $first: Int) { actor(id: $id) { id name kind description
      claims(first: $first) { totalCount edges { node { ${CLAIM_FIELDS} hypothesis { id tag statement } } } } } }`,
    { id, first: 100 },
  );
  if (!data.actor) return;
  const a = data.actor;
  openActorDialog(
    a,
    `${a.description ? `${a.description} ` : ''}All ${a.claims.totalCount} claims on record, oldest first.`,
    a.claims.edges.map((e) => e.node),
  );
}
