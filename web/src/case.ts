import { gql } from './api';
import { CLAIM_FIELDS, openActorDialog } from './claims';
import { byId, clip, fmtDate, h, words } from './dom';
import type { Hypothesis, IncidentHead, Position, TimelineEntry } from './types';
import { canWrite } from './session';
import { currentExclude, offer } from './whatif';
import { openAddClaim, suggest } from './write';

const HEAD_QUERY = `query Case($id: ID!, $first: Int, $after: String) {
  incident(id: $id) {
    id name summary kind startedAt
    related { relation incident { id name } }
    timeline(first: $first, after: $after) { edges { node {
      date datePrecision
      event { id title kind description }
      claim { id }
    } } pageInfo { hasNextPage endCursor } }
  }
}`;

const BOARD_QUERY = `query Board($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) {
    id
    hypotheses(asOf: $asOf, exclude: $exclude) {
      id tag statement
      suspects { id name kind }
      supporters { actor { id name kind } claims { ${CLAIM_FIELDS} } }
      opponents { actor { id name kind } claims { ${CLAIM_FIELDS} } }
      assessment { rank likelihood likelihoodBand confidence confidenceReason score probability
        explanation { kind points } }
    }
  }
}`;

/** The dates the slider stops at: every dated entry of the timeline, then "today". */
let stops: (string | null)[] = [null];
let incidentId = '';
let requestSeq = 0;
let debounce: number | undefined;
/** Ids and names seen on the board (for the graph's id suggestions). */
export const knownActors = new Map<string, string>();
let onKnownChange: () => void = () => undefined;
export function setOnKnownChange(fn: () => void): void {
  onKnownChange = fn;
}
const asOfListeners: ((asOf: string | null) => void)[] = [];
/** Called whenever the record is replayed at a new date (the ACH matrix and the chart follow). */
export function setOnAsOf(fn: (asOf: string | null) => void): void {
  asOfListeners.push(fn);
}
const onAsOf = (asOf: string | null) => asOfListeners.forEach((fn) => fn(asOf));
let onTimeline: (entries: TimelineEntry[]) => void = () => undefined;
/** Called with the incident's timeline once loaded (the chart marks its events). */
export function setOnTimeline(fn: (entries: TimelineEntry[]) => void): void {
  onTimeline = fn;
}
/** The date the board shows (null: today). */
export let currentAsOf: string | null = null;

/** Loads the case: heading, summary, related incidents, events, slider, then the board. */
export async function loadCase(
  id: string,
  initialAsOf: string | null,
): Promise<IncidentHead | null> {
  incidentId = id;
  const status = byId('status');
  const data = await gql<{ incident: IncidentHead | null }>(HEAD_QUERY, { id, first: 100 });
  const inc = data.incident;
  // Pages hold at most 100 entries: read on while the timeline has more.
  for (let page = inc?.timeline; page?.pageInfo.hasNextPage;) {
    const next = await gql<{ incident: IncidentHead | null }>(HEAD_QUERY, {
      id,
      first: 100,
      after: page.pageInfo.endCursor,
    });
    page = next.incident?.timeline;
    if (page && inc) inc.timeline.edges.push(...page.edges);
  }
  if (!inc) {
    status.textContent = `No incident with id “${id}”.`;
    byId('board').setAttribute('aria-busy', 'false');
    return null;
  }
  document.title = `${inc.name}: attribution explorer`;
  byId('case-title').textContent = inc.name;
  byId('case-meta').replaceChildren(
    words(inc.kind.replace(/-/g, '_')),
    inc.startedAt ? ` · began ${fmtDate(inc.startedAt)}` : '',
    ' · ',
    h('code', {}, inc.id),
  );
  byId('case-summary').textContent = inc.summary;
  const seen = new Set<string>();
  const related = inc.related.filter((r) => {
    const key = `${r.incident.id}|${r.relation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  byId('case-related').replaceChildren(
    ...(related.length ? ['Related: '] : []),
    ...related.flatMap((r, i) => [
      i ? ' · ' : '',
      h('a', { href: `/?incident=${encodeURIComponent(r.incident.id)}` }, r.incident.name),
      h('span', { class: 'muted' }, ` (${r.relation})`),
    ]),
  );

  const entries = inc.timeline.edges.map((e) => e.node);
  const dates = [...new Set(entries.map((e) => e.date).filter((d): d is string => !!d))].sort();
  stops = [...dates, null];
  renderEvents(entries);
  onTimeline(entries);

  const slider = byId<HTMLInputElement>('asof');
  slider.max = String(stops.length - 1);
  slider.disabled = false;
  slider.dataset.dates = JSON.stringify(stops);
  let start = stops.length - 1;
  if (initialAsOf) {
    const i = stops.findIndex((d) => d !== null && d >= initialAsOf);
    start = i === -1 ? stops.length - 1 : i;
    if (i !== -1 && stops[i] !== initialAsOf) stops.splice(i, 0, initialAsOf);
    slider.max = String(stops.length - 1);
    slider.dataset.dates = JSON.stringify(stops);
  }
  slider.value = String(start);
  slider.addEventListener('input', () => onSlide(false));
  slider.addEventListener('keydown', () => (slider.dataset.picked = ''));
  slider.addEventListener('change', () => onSlide(true));
  byId('asof-latest').addEventListener('click', () => {
    slider.value = slider.max;
    onSlide(true);
    slider.focus();
  });
  // Cleared first: an error the first replay reports must stay on the page.
  status.textContent = '';
  await setAsOf(stops[start]);
  return inc;
}

/**
 * Moves the slider to `date` (a stop is added when the date is not one yet) and replays the
 * record there: the chart's click lands here.
 */
export function goToDate(date: string): void {
  const slider = byId<HTMLInputElement>('asof');
  let i = stops.indexOf(date);
  if (i === -1) {
    const after = stops.findIndex((d) => d === null || d > date);
    i = after === -1 ? stops.length : after;
    stops.splice(i, 0, date);
    slider.max = String(stops.length - 1);
    slider.dataset.dates = JSON.stringify(stops);
  }
  slider.value = String(i);
  slider.dataset.picked = date;
  onSlide(true);
}

/** Replays the current date again (after a write or a what-if change). */
export function refresh(): Promise<void> {
  return setAsOf(currentAsOf);
}

function onSlide(now: boolean): void {
  const slider = byId<HTMLInputElement>('asof');
  const asOf = stops[Number(slider.value)] ?? null;
  showAsOfLabel(asOf);
  window.clearTimeout(debounce);
  debounce = window.setTimeout(() => void setAsOf(asOf), now ? 0 : 120);
}

function showAsOfLabel(asOf: string | null): void {
  const text = asOf ? fmtDate(asOf) : 'today (the full record)';
  byId('asof-label').textContent = text;
  byId('asof').setAttribute('aria-valuetext', asOf ?? 'today');
}

/** Replays the record at `asOf` (null: today): refetches the hypotheses, redraws board and events. */
export async function setAsOf(asOf: string | null): Promise<void> {
  currentAsOf = asOf;
  showAsOfLabel(asOf);
  onAsOf(asOf);
  const seq = ++requestSeq;
  const board = byId('board');
  board.setAttribute('aria-busy', 'true');
  const url = new URL(window.location.href);
  if (asOf) url.searchParams.set('asOf', asOf);
  else url.searchParams.delete('asOf');
  window.history.replaceState(null, '', url);
  const exclude = currentExclude();
  try {
    const data = await gql<{ incident: { hypotheses: Hypothesis[] } | null }>(BOARD_QUERY, {
      id: incidentId,
      asOf,
      exclude,
    });
    if (seq !== requestSeq) return; // a later date was asked for meanwhile
    renderBoard(data.incident?.hypotheses ?? [], asOf);
    markEvents(asOf);
    board.dataset.asof = asOf ?? 'today';
    board.dataset.exclude = exclude ? JSON.stringify(exclude) : '';
    board.setAttribute('aria-busy', 'false');
  } catch (err) {
    if (seq !== requestSeq) return;
    byId('status').textContent = `Could not load the hypotheses: ${(err as Error).message}`;
    board.setAttribute('aria-busy', 'false');
  }
}

function sums(hyp: Hypothesis): { support: number; dispute: number } {
  let support = 0;
  let dispute = 0;
  for (const c of hyp.assessment.explanation) {
    if (c.points > 0) support += c.points;
    else dispute -= c.points;
  }
  return { support, dispute };
}

function bar(label: string, value: number, max: number, cls: string, text: string): HTMLElement {
  const fill = h('span', { class: `fill ${cls}` });
  fill.style.width = `${max > 0 ? Math.min(100, (value / max) * 100) : 0}%`;
  return h(
    'div',
    { class: 'bar-row' },
    h('span', { class: 'bar-label' }, label),
    h(
      'span',
      {
        class: 'bar',
        role: 'meter',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuemax': max.toFixed(2),
        'aria-valuenow': value.toFixed(2),
      },
      fill,
    ),
    h('span', { class: 'bar-value' }, text),
  );
}

function chips(
  hyp: Hypothesis,
  positions: Position[],
  role: 'supporter' | 'opponent',
): HTMLElement {
  const title = role === 'supporter' ? 'Supported by' : 'Disputed by';
  return h(
    'div',
    { class: `chips ${role}s` },
    h('h4', {}, `${title} (${positions.length})`),
    positions.length
      ? h(
          'ul',
          {},
          positions.map((p) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: `chip ${role}`,
                  'data-actor': p.actor.id,
                  title: `${p.actor.name}: ${p.claims.length} claim(s); click for the claims`,
                  onclick: () =>
                    openActorDialog(
                      p.actor,
                      `${role === 'supporter' ? 'Supports' : 'Disputes'} ${hyp.tag}: ${hyp.statement}`,
                      p.claims,
                    ),
                },
                p.actor.name,
                h('span', { class: 'count' }, String(p.claims.length)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No one on record.'),
  );
}

function renderBoard(hyps: Hypothesis[], asOf: string | null): void {
  const board = byId('board');
  const sorted = [...hyps].sort((a, b) => a.assessment.rank - b.assessment.rank);
  const totals = sorted.map(sums);
  const max = Math.max(0.001, ...totals.map((t) => Math.max(t.support, t.dispute)));
  for (const hyp of sorted)
    for (const p of [
      ...hyp.supporters,
      ...hyp.opponents,
      ...hyp.suspects.map((a) => ({ actor: a })),
    ])
      knownActors.set(p.actor.id, p.actor.name);
  onKnownChange();
  const positions = sorted.flatMap((x) => [...x.supporters, ...x.opponents]);
  offer(
    'claimants',
    positions.map((p) => ({ id: p.actor.id, label: p.actor.name })),
  );
  const sources = positions.flatMap((p) =>
    p.claims.flatMap((c) =>
      c.sources.map((src) => ({ id: src.id, label: `${src.title} (${src.publisher})` })),
    ),
  );
  offer('sources', sources);
  suggest('known-sources', sources);
  board.replaceChildren(
    ...sorted.map((hyp, i) => {
      const a = hyp.assessment;
      const t = totals[i];
      return h(
        'li',
        {
          class: 'hyp',
          'data-id': hyp.id,
          'data-tag': hyp.tag,
          'aria-label': `Rank ${a.rank}: ${hyp.tag}`,
        },
        h(
          'div',
          { class: 'hyp-head' },
          h('span', { class: 'rank' }, `#${a.rank}`),
          h('span', { class: 'tag' }, hyp.tag),
          h(
            'span',
            { class: `likelihood lk-${a.likelihood}` },
            words(a.likelihood),
            ` (${a.likelihoodBand})`,
          ),
          h(
            'span',
            { class: `confidence cf-${a.confidence}`, title: a.confidenceReason },
            `${words(a.confidence)} confidence`,
          ),
        ),
        h('p', { class: 'statement' }, hyp.statement),
        hyp.suspects.length
          ? h(
              'p',
              { class: 'suspects muted' },
              'Suspects: ',
              hyp.suspects.map((s) => s.name).join(', '),
            )
          : '',
        h(
          'div',
          { class: 'bars' },
          bar('Probability', a.probability, 1, 'prob', `${Math.round(a.probability * 100)} %`),
          bar('Support', t.support, max, 'sup', `+${t.support.toFixed(2)}`),
          bar('Dispute', t.dispute, max, 'dis', `−${t.dispute.toFixed(2)}`),
        ),
        h(
          'div',
          { class: 'positions' },
          chips(hyp, hyp.supporters, 'supporter'),
          chips(hyp, hyp.opponents, 'opponent'),
        ),
        canWrite()
          ? h(
              'p',
              { class: 'write hyp-tools' },
              h(
                'button',
                { type: 'button', class: 'add-claim', onclick: () => openAddClaim(hyp) },
                `Add a claim on ${hyp.tag}…`,
              ),
            )
          : '',
      );
    }),
  );
  if (!sorted.length)
    board.replaceChildren(
      h(
        'li',
        { class: 'muted' },
        asOf ? `No hypotheses on record by ${fmtDate(asOf)}.` : 'No hypotheses.',
      ),
    );
}

function renderEvents(entries: TimelineEntry[]): void {
  const list = byId('events');
  list.replaceChildren(
    ...entries
      .filter((e) => e.event)
      .map((e) =>
        h(
          'li',
          { class: 'event', 'data-date': e.date ?? '', title: e.event!.description },
          h('time', { datetime: e.date ?? '' }, fmtDate(e.date, e.datePrecision)),
          h(
            'span',
            { class: `ev-kind ev-${e.event!.kind.toLowerCase()}` },
            e.event!.kind.toLowerCase(),
          ),
          h('span', { class: 'ev-title' }, clip(e.event!.title, 110)),
        ),
      ),
  );
}

function markEvents(asOf: string | null): void {
  const list = byId('events');
  let lastPast: HTMLElement | null = null;
  for (const li of Array.from(list.children) as HTMLElement[]) {
    const d = li.dataset.date ?? '';
    const future = asOf !== null && (!d || d > asOf);
    li.classList.toggle('future', future);
    li.classList.toggle('current', asOf !== null && d === asOf);
    if (!future) lastPast = li;
  }
  if (lastPast)
    list.scrollTop = Math.max(0, lastPast.offsetTop - list.offsetTop - list.clientHeight / 2);
}
