import { gql } from './api';
import { byId, clip, h } from './dom';

interface Hit {
  score: number;
  node: {
    __typename: string;
    id: string;
    name?: string;
    title?: string;
    text?: string;
    statement?: string;
    tag?: string;
  };
}

const SEARCH_QUERY = `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) { nodes {
    score
    node {
      __typename id
      ... on Actor { name }
      ... on Incident { name }
      ... on Hypothesis { tag statement }
      ... on Event { title }
      ... on Evidence { title }
      ... on Source { title }
      ... on Claim { text }
      ... on Alias { name }
    }
  } }
}`;

function label(n: Hit['node']): string {
  if (n.__typename === 'Hypothesis') return `${n.tag}: ${n.statement}`;
  return n.name ?? n.title ?? n.text ?? n.id;
}

/** The search box: results open under it; a result opens in the graph (or its case). */
export function initSearch(open: (type: string, id: string) => void): void {
  const form = byId<HTMLFormElement>('search-form');
  const input = byId<HTMLInputElement>('search-input');
  const box = byId('search-results');
  const close = () => {
    box.hidden = true;
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return close();
    box.hidden = false;
    box.replaceChildren(h('p', { class: 'muted' }, 'Searching…'));
    try {
      const search = (await gql<{ search: { nodes: Hit[] } }>(SEARCH_QUERY, { text, first: 12 }))
        .search.nodes;
      box.replaceChildren(
        search.length
          ? h(
              'ul',
              { 'aria-label': `Results for ${text}` },
              search.map((hit) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'result',
                      onclick: () => {
                        close();
                        open(hit.node.__typename, hit.node.id);
                      },
                    },
                    h('span', { class: 'result-type' }, hit.node.__typename),
                    clip(label(hit.node), 120),
                  ),
                ),
              ),
            )
          : h('p', {}, `Nothing found for “${text}”.`),
      );
      box.querySelector<HTMLButtonElement>('button.result')?.focus();
    } catch (err) {
      box.replaceChildren(h('p', { class: 'error' }, (err as Error).message));
    }
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      close();
      input.focus();
    }
  });
  document.addEventListener('click', (ev) => {
    if (!form.contains(ev.target as Node)) close();
  });
}
