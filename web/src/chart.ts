// The consensus over time: each hypothesis's probability at every date where the record changes
// (Incident.trajectory), the ICD 203 likelihood bands shaded behind, the incident's events marked
// along the bottom, the as-of date drawn as a rule. A click (or Enter on a focused point) moves
// the as-of slider to that date. A data table below carries the same numbers for screen readers.
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { gql } from './api';
import { byId, clip, fmtDate, h, words } from './dom';
import type { TimelineEntry, TrajectoryPoint } from './types';

export const TRAJECTORY_QUERY = `query Trajectory($id: ID!, $to: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) {
    id
    trajectory(to: $to, exclude: $exclude) {
      date changes
      hypotheses { hypothesis { id tag statement } rank probability likelihood likelihoodBand }
    }
  }
}`;

/** ICD 203 bands, bottom to top (the same cut points as src/analysis). */
const BANDS: { word: string; min: number; max: number }[] = [
  { word: 'ALMOST_NO_CHANCE', min: 0, max: 0.05 },
  { word: 'VERY_UNLIKELY', min: 0.05, max: 0.2 },
  { word: 'UNLIKELY', min: 0.2, max: 0.45 },
  { word: 'ROUGHLY_EVEN_CHANCE', min: 0.45, max: 0.55 },
  { word: 'LIKELY', min: 0.55, max: 0.8 },
  { word: 'VERY_LIKELY', min: 0.8, max: 0.95 },
  { word: 'ALMOST_CERTAIN', min: 0.95, max: 1 },
];

/** Okabe-Ito: distinguishable with every common colour-vision deficiency. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const SVG = 'http://www.w3.org/2000/svg';
function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

let points: TrajectoryPoint[] = [];
let events: TimelineEntry[] = [];
let asOfNow: string | null = null;
let onPick: (date: string) => void = () => undefined;
let seq = 0;

/** Called with the date the reader clicked (the case view moves its slider there). */
export function setOnPick(fn: (date: string) => void): void {
  onPick = fn;
}

/** Keeps the incident's events for the markers (from the timeline the case view loads). */
export function setChartEvents(entries: TimelineEntry[]): void {
  events = entries.filter((e) => e.event && e.date);
  if (points.length) draw();
}

/** Moves the as-of rule (the slider moved). */
export function markChartAsOf(asOf: string | null): void {
  asOfNow = asOf;
  if (points.length) draw();
}

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => points.length && draw(), 150);
});

/** Loads the trajectory of `incidentId` (with the what-if exclusions) and draws it. */
export async function loadChart(
  incidentId: string,
  exclude: Record<string, string[]> | null = null,
  to: string | null = null,
): Promise<void> {
  const mine = ++seq;
  const box = byId('trajectory-chart');
  box.setAttribute('aria-busy', 'true');
  try {
    const data = await gql<{ incident: { trajectory: TrajectoryPoint[] } | null }>(
      TRAJECTORY_QUERY,
      { id: incidentId, exclude, to },
    );
    if (mine !== seq) return;
    points = data.incident?.trajectory ?? [];
    draw();
    byId('trajectory-status').textContent = '';
    box.dataset.to = to ?? 'today';
  } catch (err) {
    if (mine !== seq) return;
    const status = byId('trajectory-status');
    status.textContent = `Could not load the consensus over time: ${(err as Error).message}`;
    status.dataset.error = '';
  }
  box.setAttribute('aria-busy', 'false');
}

/** The x positions: one step per date (the record's change dates and the event dates, merged). */
function axisDates(): string[] {
  const all = new Set(points.map((p) => p.date));
  const first = points[0]?.date ?? '';
  for (const e of events) if (e.date! >= first) all.add(e.date!);
  if (asOfNow && asOfNow >= first) all.add(asOfNow);
  return [...all].sort();
}

/** The trajectory point in force on `date` (the last one on or before it). */
function pointAt(date: string): TrajectoryPoint | undefined {
  let found: TrajectoryPoint | undefined;
  for (const p of points) if (p.date <= date) found = p;
  return found;
}

function draw(): void {
  const box = byId('trajectory-chart');
  const width = Math.max(320, box.clientWidth || 800);
  const narrow = width < 600;
  const height = narrow ? 220 : 280;
  const m = { top: 12, right: narrow ? 8 : 120, bottom: 46, left: 40 };
  const dates = axisDates();
  const x = scaleLinear()
    .domain([0, Math.max(1, dates.length - 1)])
    .range([m.left, width - m.right]);
  const xOf = (d: string) => x(Math.max(0, dates.indexOf(d)));
  const y = scaleLinear()
    .domain([0, 1])
    .range([height - m.bottom, m.top]);
  const hyps = points.length ? points[points.length - 1].hypotheses.map((e) => e.hypothesis) : [];
  const colour = new Map(hyps.map((hy, i) => [hy.id, PALETTE[i % PALETTE.length]]));

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-labelledby': 'trajectory-title trajectory-desc',
    class: 'trajectory-svg',
  });
  svg.append(
    s(
      'desc',
      { id: 'trajectory-desc' },
      `Probability of each hypothesis from ${fmtDate(points[0]?.date)} to ${fmtDate(points[points.length - 1]?.date)}; the table below has the numbers.`,
    ),
  );

  // Likelihood bands, shaded alternately, named on the right.
  const bands = s('g', { class: 'bands' });
  BANDS.forEach((b, i) => {
    bands.append(
      s('rect', {
        x: m.left,
        y: y(b.max),
        width: width - m.left - m.right,
        height: y(b.min) - y(b.max),
        class: `band band-${i % 2 ? 'odd' : 'even'}`,
        'data-band': b.word,
      }),
    );
    if (!narrow)
      bands.append(
        s(
          'text',
          { x: width - m.right + 6, y: (y(b.min) + y(b.max)) / 2 + 4, class: 'band-label' },
          words(b.word).toLowerCase(),
        ),
      );
  });
  svg.append(bands);

  // Y axis: 0, 25, 50, 75, 100 %.
  const yAxis = s('g', { class: 'axis y-axis' });
  for (const v of [0, 0.25, 0.5, 0.75, 1])
    yAxis.append(
      s('line', { x1: m.left - 4, x2: m.left, y1: y(v), y2: y(v) }),
      s('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, `${v * 100}%`),
    );
  svg.append(yAxis);

  // X axis: a few dates, spread over the steps.
  const xAxis = s('g', { class: 'axis x-axis' });
  const ticks = Math.min(dates.length, narrow ? 3 : 7);
  const seen = new Set<number>();
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k * (dates.length - 1)) / Math.max(1, ticks - 1));
    if (seen.has(i)) continue;
    seen.add(i);
    const anchor = k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle';
    xAxis.append(
      s('line', { x1: x(i), x2: x(i), y1: height - m.bottom, y2: height - m.bottom + 4 }),
      s('text', { x: x(i), y: height - m.bottom + 16, 'text-anchor': anchor }, fmtDate(dates[i])),
    );
  }
  svg.append(xAxis);

  // Events along the bottom: a short rule per event, its title on hover.
  const ev = s('g', { class: 'events-marks' });
  for (const e of events) {
    if (!dates.includes(e.date!)) continue;
    const mark = s('line', {
      x1: xOf(e.date!),
      x2: xOf(e.date!),
      y1: height - m.bottom + 22,
      y2: height - m.bottom + 32,
      class: `event-mark ev-${e.event!.kind}`,
      'data-date': e.date!,
    });
    mark.append(s('title', {}, `${fmtDate(e.date, e.datePrecision)}: ${clip(e.event!.title, 90)}`));
    ev.append(mark);
  }
  svg.append(ev);

  // The as-of rule.
  if (asOfNow && dates.includes(asOfNow))
    svg.append(
      s('line', {
        x1: xOf(asOfNow),
        x2: xOf(asOfNow),
        y1: m.top,
        y2: height - m.bottom,
        class: 'asof-rule',
      }),
    );

  // One step line per hypothesis (the record holds until the next change), then its points.
  const lines = s('g', { class: 'lines' });
  const dots = s('g', { class: 'dots' });
  const last = dates[dates.length - 1];
  for (const hy of hyps) {
    const series = points.map((p) => ({
      d: p.date,
      v: p.hypotheses.find((e) => e.hypothesis.id === hy.id)?.probability ?? 0,
    }));
    if (series.length && last > series[series.length - 1].d)
      series.push({ d: last, v: series[series.length - 1].v });
    const path = line<{ d: string; v: number }>()
      .x((p) => xOf(p.d))
      .y((p) => y(p.v))
      .curve(curveStepAfter)(series);
    lines.append(
      s('path', {
        d: path ?? '',
        class: 'series',
        stroke: colour.get(hy.id)!,
        'data-hyp': hy.id,
      }),
    );
    for (const p of points) {
      const e = p.hypotheses.find((q) => q.hypothesis.id === hy.id);
      if (!e) continue;
      const dot = s('circle', {
        cx: xOf(p.date),
        cy: y(e.probability),
        r: 3,
        fill: colour.get(hy.id)!,
        class: 'dot',
        'data-date': p.date,
        'data-hyp': hy.id,
      });
      dot.append(
        s(
          'title',
          {},
          `${fmtDate(p.date)} · ${hy.tag}: ${Math.round(e.probability * 100)} % (${words(e.likelihood).toLowerCase()}, #${e.rank})`,
        ),
      );
      dots.append(dot);
    }
  }
  svg.append(lines, dots);

  // A transparent hit area: a click anywhere picks the step under the pointer.
  const hit = s('rect', {
    x: m.left,
    y: m.top,
    width: width - m.left - m.right,
    height: height - m.top - m.bottom + 34,
    class: 'hit',
  });
  hit.addEventListener('click', (e: MouseEvent) => {
    const r = svg.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * width;
    const i = Math.max(0, Math.min(dates.length - 1, Math.round(x.invert(px))));
    onPick(dates[i]);
  });
  svg.append(hit);

  box.replaceChildren(svg);
  box.dataset.points = String(points.length);
  box.dataset.dates = JSON.stringify(dates);
  box.dataset.from = points[0]?.date ?? '';
  drawLegend(hyps, colour);
  drawTable(hyps);
}

function drawLegend(
  hyps: TrajectoryPoint['hypotheses'][number]['hypothesis'][],
  colour: Map<string, string>,
) {
  byId('trajectory-legend').replaceChildren(
    ...hyps.map((hy) => {
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = colour.get(hy.id)!;
      return h(
        'li',
        { 'data-hyp': hy.id },
        sw,
        h('strong', {}, hy.tag),
        ' ',
        clip(hy.statement, 60),
      );
    }),
  );
}

/** The same numbers as a table (the chart's text alternative), with a button per date. */
function drawTable(hyps: TrajectoryPoint['hypotheses'][number]['hypothesis'][]) {
  const table = h(
    'table',
    { class: 'trajectory-table' },
    h('caption', {}, 'Probability of each hypothesis on each date where the record changed'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Date'),
        hyps.map((hy) => h('th', { scope: 'col' }, hy.tag)),
        h('th', { scope: 'col' }, 'Changes'),
      ),
    ),
    h(
      'tbody',
      {},
      points.map((p) =>
        h(
          'tr',
          { 'data-date': p.date },
          h(
            'th',
            { scope: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'linklike',
                title: `Replay the record as of ${fmtDate(p.date)}`,
                onclick: () => onPick(p.date),
              },
              fmtDate(p.date),
            ),
          ),
          hyps.map((hy) => {
            const e = p.hypotheses.find((q) => q.hypothesis.id === hy.id);
            return h('td', {}, e ? `${Math.round(e.probability * 100)} % (#${e.rank})` : '—');
          }),
          h('td', {}, String(p.changes)),
        ),
      ),
    ),
  );
  byId('trajectory-data').replaceChildren(table);
}

/** The point in force on a date (for the report and tests). */
export function standingOn(date: string): TrajectoryPoint | undefined {
  return pointAt(date);
}
