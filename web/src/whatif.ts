// What-if: tick sources, parties (claimants and raters) or items of evidence to leave out; the
// board, the ACH matrix, the critical items and the chart follow (`exclude` on every request),
// and the address keeps the choice (`?without-sources=a,b&without-claimants=c&without-evidence=d`)
// so it can be shared.
import { byId, h } from './dom';

export type ExcludeKind = 'sources' | 'claimants' | 'evidence';
export type ExcludeInput = Partial<Record<ExcludeKind, string[]>>;

const KINDS: { kind: ExcludeKind; param: string; title: string }[] = [
  { kind: 'sources', param: 'without-sources', title: 'Sources' },
  { kind: 'claimants', param: 'without-claimants', title: 'Parties (claimants and raters)' },
  { kind: 'evidence', param: 'without-evidence', title: 'Evidence' },
];

const excluded: Record<ExcludeKind, Set<string>> = {
  sources: new Set(),
  claimants: new Set(),
  evidence: new Set(),
};
/** Every item seen so far, per kind, with its label (the panel lists them all, ticked or not). */
const known: Record<ExcludeKind, Map<string, string>> = {
  sources: new Map(),
  claimants: new Map(),
  evidence: new Map(),
};
let onChange: () => void = () => undefined;

/** Reads the choice from the address (call once at start). */
export function initWhatIf(changed: () => void): void {
  onChange = changed;
  const params = new URLSearchParams(window.location.search);
  for (const k of KINDS)
    for (const id of (params.get(k.param) ?? '').split(',').filter(Boolean)) {
      excluded[k.kind].add(id);
      if (!known[k.kind].has(id)) known[k.kind].set(id, id);
    }
  byId('whatif-clear').addEventListener('click', () => {
    for (const k of KINDS) excluded[k.kind].clear();
    changedNow();
  });
  render();
}

/** The exclusions for a request, or null when nothing is left out. */
export function currentExclude(): ExcludeInput | null {
  const out: ExcludeInput = {};
  for (const k of KINDS) if (excluded[k.kind].size) out[k.kind] = [...excluded[k.kind]].sort();
  return Object.keys(out).length ? out : null;
}

/** Adds items to the panel (from the board and the matrix as they load). */
export function offer(kind: ExcludeKind, items: { id: string; label: string }[]): void {
  let added = false;
  for (const it of items) {
    const had = known[kind].get(it.id);
    if (had === undefined || had === it.id) {
      if (had !== it.label) added = true;
      known[kind].set(it.id, it.label);
    }
  }
  if (added) render();
}

/** Leaves one item out (the critical items' "leave it out" buttons). */
export function leaveOut(kind: ExcludeKind, id: string, label: string): void {
  offer(kind, [{ id, label }]);
  excluded[kind].add(id);
  changedNow();
}

function changedNow(): void {
  const url = new URL(window.location.href);
  for (const k of KINDS) {
    const ids = [...excluded[k.kind]].sort();
    if (ids.length) url.searchParams.set(k.param, ids.join(','));
    else url.searchParams.delete(k.param);
  }
  window.history.replaceState(null, '', url);
  render();
  onChange();
}

function render(): void {
  const count = KINDS.reduce((n, k) => n + excluded[k.kind].size, 0);
  const summary = byId('whatif-summary');
  summary.textContent = count
    ? `What-if: ${count} item${count === 1 ? '' : 's'} left out. The ranking, the matrix, the critical items and the chart show the record without ${count === 1 ? 'it' : 'them'}.`
    : 'Nothing left out: the full record.';
  summary.classList.toggle('active', count > 0);
  byId('whatif-clear').toggleAttribute('disabled', count === 0);
  byId('board-whatif').hidden = count === 0;
  byId('board-whatif').textContent = count
    ? `What-if: ${count} item${count === 1 ? '' : 's'} left out (see the ACH matrix to change).`
    : '';
  byId('whatif-groups').replaceChildren(
    ...KINDS.map((k) => {
      const items = [...known[k.kind]].sort((a, b) => a[1].localeCompare(b[1]));
      return h(
        'fieldset',
        { class: 'whatif-group', 'data-kind': k.kind },
        h('legend', {}, `${k.title} (${excluded[k.kind].size} of ${items.length} left out)`),
        h(
          'ul',
          {},
          items.map(([id, label]) => {
            const box = h('input', {
              type: 'checkbox',
              id: `wi-${k.kind}-${id}`,
              'data-id': id,
              checked: excluded[k.kind].has(id),
              onchange: (e: Event) => {
                if ((e.target as HTMLInputElement).checked) excluded[k.kind].add(id);
                else excluded[k.kind].delete(id);
                changedNow();
              },
            });
            return h('li', {}, box, h('label', { for: `wi-${k.kind}-${id}` }, label));
          }),
        ),
      );
    }),
  );
}
