// The ACH matrix view (Heuer, ch. 8): evidence rows by hypothesis columns as of the slider's
// date, cells coloured by the consensus rating, a diagnosticity column, weighted inconsistency
// per hypothesis, disagreements marked, and the critical items with the ranking they would give.
import { gql } from './api';
import { sourceItem } from './claims';
import { byId, clip, fmtDate, h, words } from './dom';
import { currentExclude, leaveOut, offer, type ExcludeKind } from './whatif';
import { rateForm, suggest } from './write';
import type {
  AchCellData,
  AchHypothesis,
  AchMatrixData,
  AchRatingWord,
  AchRowData,
  CriticalItemData,
} from './types';

const SOURCE = 'id title publisher url publishedAt';

/**
 * One request for the matrix and the critical items (no list argument here takes `first`).
 * Measured under the server's graphql-armor limits: depth 7, cost well under 5000.
 */
export const ACH_QUERY = `query Ach($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) {
    id
    ach(asOf: $asOf, exclude: $exclude) {
      hypotheses { id tag statement assessment { rank score probability likelihood } }
      rows {
        evidence { id tag kind title description credibility credibilityReason
          reportedAt reportedAtPrecision unverified sources { ${SOURCE} } }
        weight diagnosticity
        cells { consensus rating disagreement
          ratings { id rating ratedAt rationale ratedBy { id name kind } sources { ${SOURCE} } } }
      }
      columns { hypothesis { id } weightedInconsistency inconsistentItems }
    }
    criticalItems(asOf: $asOf, exclude: $exclude) {
      kind id
      item { __typename id ... on Source { title publisher url } ... on Actor { name }
        ... on Evidence { tag title } }
      top { id tag }
      ranking { hypothesis { id tag } rank score probability likelihood }
    }
  }
}`;

/** Heuer's rating words, long and short (the short codes show on narrow screens). */
const RATING: Record<AchRatingWord, { long: string; short: string; value: number | null }> = {
  VERY_CONSISTENT: { long: 'Very consistent', short: 'CC', value: 2 },
  CONSISTENT: { long: 'Consistent', short: 'C', value: 1 },
  NEUTRAL: { long: 'Neutral', short: 'N', value: 0 },
  INCONSISTENT: { long: 'Inconsistent', short: 'I', value: -1 },
  VERY_INCONSISTENT: { long: 'Very inconsistent', short: 'II', value: -2 },
  NOT_APPLICABLE: { long: 'Not applicable', short: 'NA', value: null },
};

/** Diverging scale (ColorBrewer RdBu, colour-blind safe): −2 red … 0 grey … +2 blue. */
const STOPS: [number, number, number][] = [
  [178, 24, 43],
  [239, 138, 98],
  [247, 247, 247],
  [103, 169, 207],
  [33, 102, 172],
];

/** The background for a consensus value in [−2, 2], and whether it needs light text. */
export function consensusColour(c: number): { background: string; light: boolean } {
  const x = Math.max(-2, Math.min(2, c)) + 2;
  const i = Math.min(3, Math.floor(x));
  const t = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  const rgb = a.map((v, k) => Math.round(v + (b[k] - v) * t));
  return { background: `rgb(${rgb.join(', ')})`, light: Math.abs(c) >= 1.5 };
}

const signed = (n: number, digits = 2) =>
  `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(digits)}`;

let incidentId = '';
let seq = 0;
let order: 'tag' | 'diagnosticity' = 'tag';
let current: { data: AchMatrixData; critical: CriticalItemData[]; asOf: string | null } | null =
  null;
/** The cell that had focus in the matrix (kept across redraws for the roving tabindex). */
let focusAt = { row: 0, col: 0 };

/** Wires the controls once (order select, dialog focus return). */
export function initAch(id: string): void {
  incidentId = id;
  const select = byId<HTMLSelectElement>('ach-order');
  select.addEventListener('change', () => {
    order = select.value === 'diagnosticity' ? 'diagnosticity' : 'tag';
    if (current) renderMatrix(current.data, current.critical, current.asOf);
  });
}

/** Shows that no matrix can be drawn (no such incident). */
export function achUnavailable(message: string): void {
  window.clearTimeout(timer);
  seq++;
  const table = byId('ach-matrix');
  table.replaceChildren(h('caption', {}, message));
  table.setAttribute('aria-busy', 'false');
}

let timer: number | undefined;
/**
 * Follows the slider: marks the matrix busy at once and loads it once the date has stood still
 * for a moment (the leave-one-out analysis is heavier than the board; stepping through dates
 * with the arrow keys should not queue one analysis per step).
 */
export function scheduleAch(asOf: string | null, delayMs = 200): void {
  byId('ach-matrix').setAttribute('aria-busy', 'true');
  byId('critical').setAttribute('aria-busy', 'true');
  seq++; // an answer still on its way is for an older date
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void loadAch(asOf), delayMs);
}

/** Loads the matrix and critical items as of `asOf` (null: today) and redraws them. */
export async function loadAch(asOf: string | null): Promise<void> {
  if (!incidentId) return;
  const mine = ++seq;
  const table = byId('ach-matrix');
  const status = byId('ach-status');
  table.setAttribute('aria-busy', 'true');
  byId('critical').setAttribute('aria-busy', 'true');
  const exclude = currentExclude();
  try {
    const data = await gql<{
      incident: { ach: AchMatrixData; criticalItems: CriticalItemData[] } | null;
    }>(ACH_QUERY, { id: incidentId, asOf, exclude });
    if (mine !== seq) return; // a later date was asked for meanwhile
    if (!data.incident) return achUnavailable('No such incident.');
    current = { data: data.incident.ach, critical: data.incident.criticalItems, asOf };
    offerItems(current.data);
    renderMatrix(current.data, current.critical, asOf);
    renderCritical(current.data.hypotheses, current.critical, asOf);
    status.textContent = '';
  } catch (err) {
    if (mine !== seq) return;
    status.textContent = `Could not load the ACH matrix: ${(err as Error).message}`;
  }
  table.dataset.asof = asOf ?? 'today';
  byId('critical').dataset.asof = asOf ?? 'today';
  table.dataset.exclude = exclude ? JSON.stringify(exclude) : '';
  byId('critical').dataset.exclude = table.dataset.exclude;
  table.setAttribute('aria-busy', 'false');
  byId('critical').setAttribute('aria-busy', 'false');
}

/** Offers the matrix's sources, raters and evidence to the what-if panel. */
function offerItems(data: AchMatrixData): void {
  const src = (x: { id: string; title: string; publisher: string }) => ({
    id: x.id,
    label: `${x.title} (${x.publisher})`,
  });
  const evidence = data.rows.map((r) => ({
    id: r.evidence.id,
    label: `${r.evidence.tag}: ${clip(r.evidence.title, 60)}`,
  }));
  offer('evidence', evidence);
  suggest('known-evidence', evidence);
  offer(
    'sources',
    data.rows.flatMap((r) => [
      ...r.evidence.sources.map(src),
      ...r.cells.flatMap((c) => c.ratings.flatMap((g) => g.sources.map(src))),
    ]),
  );
  offer(
    'claimants',
    data.rows.flatMap((r) =>
      r.cells.flatMap((c) => c.ratings.map((g) => ({ id: g.ratedBy.id, label: g.ratedBy.name }))),
    ),
  );
}

const KIND_FIELD: Record<string, ExcludeKind> = {
  SOURCE: 'sources',
  CLAIMANT: 'claimants',
  EVIDENCE: 'evidence',
};

function ratingLabel(cell: AchCellData): string {
  if (!cell.rating || cell.consensus === null) return 'not rated';
  const n = cell.ratings.length;
  return `${RATING[cell.rating].long.toLowerCase()} (consensus ${signed(cell.consensus)}, ${n} rating${n === 1 ? '' : 's'}${cell.disagreement > 0 ? `, analysts disagree: spread ${cell.disagreement.toFixed(2)}` : ''})`;
}

function cellButton(
  row: AchRowData,
  cell: AchCellData,
  hyp: AchHypothesis,
  r: number,
  c: number,
): HTMLButtonElement {
  const rated = cell.rating !== null && cell.consensus !== null;
  const disagree = cell.disagreement > 0;
  const word = rated ? RATING[cell.rating!] : null;
  const button = h(
    'button',
    {
      type: 'button',
      class: `ach-cell${rated ? '' : ' unrated'}${disagree ? ' disagree' : ''}`,
      tabindex: -1,
      'data-row': r,
      'data-col': c,
      'data-hyp': hyp.id,
      'data-evidence': row.evidence.id,
      'data-rating': cell.rating ?? '',
      'data-count': cell.ratings.length,
      title: `${row.evidence.tag} × ${hyp.tag}: ${ratingLabel(cell)}`,
      onclick: () => openCell(row, cell, hyp),
    },
    word
      ? [
          h('span', { class: 'word long' }, word.long),
          h('span', { class: 'word short', 'aria-hidden': 'true' }, word.short),
        ]
      : h('span', { class: 'word' }, '—'),
    rated
      ? h(
          'span',
          { class: 'cell-meta' },
          signed(cell.consensus!),
          h(
            'span',
            { class: 'count' },
            ` · ${cell.ratings.length} rater${cell.ratings.length === 1 ? '' : 's'}`,
          ),
          disagree ? h('span', { class: 'disagree-mark', 'aria-hidden': 'true' }, ' ≠') : '',
        )
      : '',
  );
  // The name is the text the cell shows, then what it is (WCAG 2.5.3, label in name).
  button.append(
    h(
      'span',
      { class: 'visually-hidden' },
      `: ${row.evidence.tag} against ${hyp.tag}, ${ratingLabel(cell)}. Show the ratings.`,
    ),
  );
  if (rated) {
    const colour = consensusColour(cell.consensus!);
    button.style.background = colour.background;
    if (colour.light) button.classList.add('light');
  }
  return button;
}

function sortedRows(rows: AchRowData[]): AchRowData[] {
  if (order === 'tag') return rows;
  return [...rows].sort(
    (a, b) =>
      b.diagnosticity - a.diagnosticity ||
      a.evidence.tag.localeCompare(b.evidence.tag, 'en', { numeric: true }),
  );
}

function renderMatrix(data: AchMatrixData, critical: CriticalItemData[], asOf: string | null) {
  const table = byId('ach-matrix');
  const hyps = data.hypotheses;
  const criticalEvidence = new Set(critical.filter((c) => c.kind === 'EVIDENCE').map((c) => c.id));
  const rows = sortedRows(data.rows);
  const maxDiag = 4;
  const wi = data.columns.map((c) => c.weightedInconsistency);
  const least = Math.min(...wi);

  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('th', { scope: 'col', class: 'ev-col' }, 'Evidence'),
      h(
        'th',
        {
          scope: 'col',
          class: 'num-col weight-col',
          title: 'Source reliability × information credibility',
        },
        'Weight',
      ),
      h(
        'th',
        {
          scope: 'col',
          class: 'num-col diag-col',
          title: 'Spread of the consensus across hypotheses (0: bears on all alike)',
        },
        h('span', { class: 'long' }, 'Diagnosticity'),
        h('span', { class: 'short', 'aria-hidden': 'true' }, 'Diag.'),
      ),
      hyps.map((hyp) =>
        h(
          'th',
          { scope: 'col', class: 'hyp-col', 'data-hyp': hyp.id, title: hyp.statement },
          h('span', { class: 'rank' }, `#${hyp.assessment.rank} `),
          h('span', { class: 'tag' }, hyp.tag),
          h('span', { class: 'hyp-statement' }, clip(hyp.statement, 48)),
        ),
      ),
    ),
  );

  const body = h(
    'tbody',
    {},
    rows.map((row, r) => {
      const ev = row.evidence;
      const isCritical = criticalEvidence.has(ev.id);
      const diag = h('span', { class: 'diag-fill' });
      diag.style.width = `${(row.diagnosticity / maxDiag) * 100}%`;
      return h(
        'tr',
        {
          'data-evidence': ev.id,
          'data-tag': ev.tag,
          class: `${isCritical ? 'critical' : ''}${row.diagnosticity === 0 ? ' nondiag' : ''}`,
        },
        h(
          'th',
          { scope: 'row', class: 'ev-col', title: ev.description },
          h('span', { class: 'tag' }, ev.tag),
          ' ',
          clip(ev.title, 70),
          isCritical ? h('span', { class: 'critical-badge' }, 'critical') : '',
          h(
            'span',
            { class: 'ev-meta' },
            `${words(ev.kind.replace(/-/g, '_'))} · credibility ${ev.credibility} · ${fmtDate(ev.reportedAt, ev.reportedAtPrecision)}`,
            ev.unverified ? ' · unverified' : '',
          ),
        ),
        h('td', { class: 'num-col weight-col' }, row.weight.toFixed(2)),
        h(
          'td',
          { class: 'num-col diag-col' },
          h('span', { class: 'diag-value' }, row.diagnosticity.toFixed(2)),
          h('span', { class: 'diag-bar', 'aria-hidden': 'true' }, diag),
        ),
        row.cells.map((cell, c) =>
          h('td', { class: 'cell-td' }, cellButton(row, cell, hyps[c], r, c)),
        ),
      );
    }),
  );

  const foot = h(
    'tfoot',
    {},
    h(
      'tr',
      {},
      h(
        'th',
        {
          scope: 'row',
          colspan: 3,
          title:
            'Σ over inconsistent cells of |consensus| × weight: Heuer ranks by the evidence against',
        },
        'Weighted inconsistency',
        h('span', { class: 'ev-meta' }, 'lower is better: the least refuted hypothesis'),
      ),
      data.columns.map((col, i) =>
        h(
          'td',
          {
            class: `wi${col.weightedInconsistency === least ? ' least' : ''}`,
            'data-hyp': col.hypothesis.id,
          },
          h('strong', {}, col.weightedInconsistency.toFixed(2)),
          h(
            'span',
            { class: 'ev-meta' },
            `${col.inconsistentItems} item${col.inconsistentItems === 1 ? '' : 's'} against ${hyps[i]?.tag ?? ''}`,
          ),
        ),
      ),
    ),
  );

  const caption = h(
    'caption',
    { class: 'visually-hidden' },
    `ACH matrix as of ${asOf ? fmtDate(asOf) : 'today'}: ${rows.length} items of evidence by ${hyps.length} hypotheses.`,
  );
  table.replaceChildren(caption, head, body, foot);
  table.dataset.rows = String(rows.length);
  table.dataset.columns = String(hyps.length);
  if (!rows.length) {
    body.append(
      h(
        'tr',
        {},
        h(
          'td',
          { colspan: 3 + hyps.length, class: 'muted' },
          asOf ? `No evidence on record by ${fmtDate(asOf)}.` : 'No evidence on record.',
        ),
      ),
    );
    return;
  }
  focusAt = {
    row: Math.min(focusAt.row, rows.length - 1),
    col: Math.min(focusAt.col, hyps.length - 1),
  };
  cellAt(focusAt.row, focusAt.col)?.setAttribute('tabindex', '0');
}

function cellAt(row: number, col: number): HTMLButtonElement | null {
  return byId('ach-matrix').querySelector<HTMLButtonElement>(
    `.ach-cell[data-row="${row}"][data-col="${col}"]`,
  );
}

/** Arrow keys, Home/End and PageUp/PageDown move between cells (one tab stop for the grid). */
export function initAchKeys(): void {
  const table = byId('ach-matrix');
  table.addEventListener('keydown', (e: KeyboardEvent) => {
    const target = (e.target as HTMLElement).closest<HTMLButtonElement>('.ach-cell');
    if (!target) return;
    const rows = Number(table.dataset.rows ?? 0);
    const cols = Number(table.dataset.columns ?? 0);
    let r = Number(target.dataset.row);
    let c = Number(target.dataset.col);
    switch (e.key) {
      case 'ArrowRight':
        c = Math.min(cols - 1, c + 1);
        break;
      case 'ArrowLeft':
        c = Math.max(0, c - 1);
        break;
      case 'ArrowDown':
        r = Math.min(rows - 1, r + 1);
        break;
      case 'ArrowUp':
        r = Math.max(0, r - 1);
        break;
      case 'Home':
        c = 0;
        if (e.ctrlKey) r = 0;
        break;
      case 'End':
        c = cols - 1;
        if (e.ctrlKey) r = rows - 1;
        break;
      case 'PageUp':
        r = 0;
        break;
      case 'PageDown':
        r = rows - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    moveFocus(r, c);
  });
  table.addEventListener('focusin', (e) => {
    const cell = (e.target as HTMLElement).closest<HTMLButtonElement>('.ach-cell');
    if (cell) moveFocus(Number(cell.dataset.row), Number(cell.dataset.col), false);
  });
}

function moveFocus(row: number, col: number, focus = true): void {
  const next = cellAt(row, col);
  if (!next) return;
  byId('ach-matrix')
    .querySelectorAll('.ach-cell[tabindex="0"]')
    .forEach((b) => b !== next && b.setAttribute('tabindex', '-1'));
  next.setAttribute('tabindex', '0');
  focusAt = { row, col };
  if (focus) {
    next.focus();
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

/** The dialog of one cell: the item, the consensus, and every rating with rater, why and where. */
function openCell(row: AchRowData, cell: AchCellData, hyp: AchHypothesis): void {
  const dialog = byId<HTMLDialogElement>('cell-dialog');
  const opener = document.activeElement as HTMLElement | null;
  const ev = row.evidence;
  byId('cell-dialog-title').textContent = `${ev.tag} × ${hyp.tag}: ${ev.title}`;
  const consensus =
    cell.consensus === null || !cell.rating
      ? h('p', { class: 'muted' }, 'No one has rated this item against this hypothesis.')
      : h(
          'p',
          { class: 'cell-consensus' },
          'Consensus ',
          h('strong', {}, RATING[cell.rating].long),
          ` (${signed(cell.consensus)} from ${cell.ratings.length} rating${cell.ratings.length === 1 ? '' : 's'})`,
          cell.disagreement > 0
            ? h(
                'span',
                { class: 'disagree-note' },
                ` · analysts disagree (standard deviation ${cell.disagreement.toFixed(2)})`,
              )
            : '',
        );
  byId('cell-dialog-body').replaceChildren(
    h('p', { class: 'meta' }, h('span', { class: 'tag' }, hyp.tag), ' ', hyp.statement),
    h('p', {}, ev.description),
    h(
      'p',
      { class: 'meta' },
      `Weight ${row.weight.toFixed(2)} · credibility ${ev.credibility}: ${ev.credibilityReason} · diagnosticity ${row.diagnosticity.toFixed(2)}`,
    ),
    consensus,
    cell.ratings.length
      ? h(
          'ol',
          { class: 'ratings' },
          cell.ratings.map((r) => {
            const word = RATING[r.rating];
            const badge = h('span', { class: 'rating-word' }, word.long);
            if (word.value !== null) {
              const colour = consensusColour(word.value);
              badge.style.background = colour.background;
              if (colour.light) badge.classList.add('light');
            }
            return h(
              'li',
              { class: 'rating', 'data-rater': r.ratedBy.id },
              h(
                'p',
                { class: 'rating-head' },
                h('strong', { class: 'rater' }, r.ratedBy.name),
                ' ',
                badge,
                ' · ',
                h('time', { datetime: r.ratedAt ?? '' }, fmtDate(r.ratedAt)),
              ),
              h('p', { class: 'rationale' }, r.rationale),
              r.sources.length
                ? h('ul', { class: 'sources', 'aria-label': 'Sources' }, r.sources.map(sourceItem))
                : h('p', { class: 'muted' }, 'No source recorded.'),
            );
          }),
        )
      : '',
    ev.sources.length
      ? h(
          'details',
          {},
          h('summary', {}, `Sources reporting ${ev.tag} (${ev.sources.length})`),
          h('ul', { class: 'sources' }, ev.sources.map(sourceItem)),
        )
      : '',
    rateForm(ev, hyp, () => dialog.close()) ?? '',
  );
  dialog.addEventListener('close', () => opener?.focus(), { once: true });
  if (!dialog.open) dialog.showModal();
}

function itemName(c: CriticalItemData): Node | string {
  const item = c.item;
  if (item && 'title' in item && 'publisher' in item)
    return item.url
      ? h(
          'a',
          { href: item.url, target: '_blank', rel: 'noopener noreferrer' },
          `${item.title} (${item.publisher})`,
        )
      : `${item.title} (${item.publisher})`;
  if (item && 'name' in item) return item.name;
  if (item && 'tag' in item) return `${item.tag}: ${item.title}`;
  return c.id;
}

const KIND: Record<string, string> = { SOURCE: 'Source', CLAIMANT: 'Party', EVIDENCE: 'Evidence' };

/** Highlights the cells and rows a critical item touches (its ratings, sources or row). */
function highlight(c: CriticalItemData | null): void {
  const table = byId('ach-matrix');
  table.querySelectorAll('.hl').forEach((el) => el.classList.remove('hl'));
  if (!c || !current) return;
  const rows = sortedRows(current.data.rows);
  rows.forEach((row, r) => {
    const rowHit =
      (c.kind === 'EVIDENCE' && row.evidence.id === c.id) ||
      (c.kind === 'SOURCE' && row.evidence.sources.some((s) => s.id === c.id));
    if (rowHit) table.querySelector(`tr[data-evidence="${row.evidence.id}"]`)?.classList.add('hl');
    row.cells.forEach((cell, i) => {
      const hit = cell.ratings.some((rt) =>
        c.kind === 'CLAIMANT'
          ? rt.ratedBy.id === c.id
          : c.kind === 'SOURCE' && rt.sources.some((s) => s.id === c.id),
      );
      if (hit) cellAt(r, i)?.classList.add('hl');
    });
  });
}

function renderCritical(
  hyps: AchHypothesis[],
  critical: CriticalItemData[],
  asOf: string | null,
): void {
  const box = byId('critical');
  const when = asOf ? fmtDate(asOf) : 'today';
  const leader = hyps.find((x) => x.assessment.rank === 1);
  const rankNow = new Map(hyps.map((x) => [x.id, x.assessment.rank]));
  if (!critical.length) {
    box.replaceChildren(
      h(
        'p',
        { class: 'critical-none' },
        `None as of ${when}: no single source, party or item of evidence, left out alone, changes the leader`,
        leader ? ` (${leader.tag})` : '',
        '.',
      ),
    );
    return;
  }
  box.replaceChildren(
    h(
      'p',
      {},
      `As of ${when}, ${critical.length} item${critical.length === 1 ? '' : 's'} each alone hold${critical.length === 1 ? 's' : ''} ${leader ? `${leader.tag}'s` : 'the'} lead: leave one out and the ranking becomes the one shown. Hover or focus an item to see where it sits in the matrix.`,
    ),
    h(
      'ul',
      { class: 'critical-list' },
      critical.map((c) =>
        h(
          'li',
          {
            class: 'critical-item',
            'data-kind': c.kind,
            'data-id': c.id,
            'data-top': c.top.id,
            tabindex: 0,
            onmouseenter: () => highlight(c),
            onmouseleave: () => highlight(null),
            onfocus: () => highlight(c),
            onblur: () => highlight(null),
          },
          h(
            'p',
            { class: 'critical-head' },
            h('span', { class: `kind kind-${c.kind}` }, KIND[c.kind] ?? c.kind),
            ' ',
            h('strong', {}, itemName(c)),
            ' → without it ',
            h('span', { class: 'tag' }, c.top.tag),
            ' leads ',
            h(
              'button',
              {
                type: 'button',
                class: 'leave-out',
                'data-kind': c.kind,
                'data-id': c.id,
                onclick: () => {
                  const name = itemName(c);
                  leaveOut(
                    KIND_FIELD[c.kind],
                    c.id,
                    typeof name === 'string' ? name : (name.textContent ?? c.id),
                  );
                },
              },
              'Leave it out',
            ),
          ),
          h(
            'ol',
            { class: 'what-if', 'aria-label': 'The ranking without it' },
            c.ranking.map((r) => {
              const before = rankNow.get(r.hypothesis.id) ?? r.rank;
              const move =
                r.rank < before
                  ? h('span', { class: 'up', title: `up from #${before}` }, `▲${before - r.rank}`)
                  : r.rank > before
                    ? h(
                        'span',
                        { class: 'down', title: `down from #${before}` },
                        `▼${r.rank - before}`,
                      )
                    : '';
              return h(
                'li',
                { class: r.rank === 1 ? 'first' : '' },
                h('span', { class: 'tag' }, r.hypothesis.tag),
                ` ${signed(r.score)} · ${Math.round(r.probability * 100)} % `,
                move,
                h(
                  'span',
                  { class: 'visually-hidden' },
                  r.rank === before ? ' (rank unchanged)' : ` (was #${before})`,
                ),
              );
            }),
          ),
        ),
      ),
    ),
  );
}
