// The key judgment panel: the question most readers ask first (e.g. "was the North Korean state
// behind it?") as of the slider's date, with its ICD 203 word and the confidence on the
// judgment; the bits each item and each dependency group of findings added (a waterfall from the
// prior); how much of the ACH matrix is rated; and the sensitivity panel: the range of the
// judgment and of its words as the method's constants move over their documented ranges
// (docs/scoring.md §4-§5).
import { gql } from './api';
import { byId, fmtDate, h, words } from './dom';

export const JUDGMENT_QUERY = `query Judgment($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) {
    judgment(asOf: $asOf, exclude: $exclude) {
      method
      key { key label probability likelihood bits priorBits hypotheses { id tag } }
      marginals { key label probability likelihood }
      technicalOnly { probability likelihood }
      confidence confidenceReason
      coverage { cells rated missing share }
      steps { key label kind evidenceClass knownFrom bits leaveOutBits critical }
    }
  }
}`;

/** The sensitivity grid (108 runs of the method): asked for only when the panel is opened. */
export const SENSITIVITY_QUERY = `query Sensitivity($id: ID!, $asOf: LocalDate, $exclude: ExcludeInput) {
  incident(id: $id) {
    judgment(asOf: $asOf, exclude: $exclude) {
      key { probability }
      sensitivity { low high lowWord highWord words oneAtATimeWords blanksLow blanksHigh gridSize
        variants { name label value probability likelihood } }
    }
  }
}`;

interface MarginalView {
  key: string;
  label: string;
  probability: number;
  likelihood: string;
  bits?: number;
  priorBits?: number;
  hypotheses?: { id: string; tag: string }[];
}

interface JudgmentView {
  method: string;
  key: MarginalView | null;
  marginals: MarginalView[];
  technicalOnly: { probability: number; likelihood: string } | null;
  confidence: string;
  confidenceReason: string;
  coverage: { cells: number; rated: number; missing: number; share: number };
  steps: {
    key: string;
    label: string;
    kind: string;
    evidenceClass: string;
    knownFrom: string | null;
    bits: number;
    leaveOutBits: number;
    critical: boolean;
  }[];
}

interface Sensitivity {
  low: number;
  high: number;
  lowWord: string;
  highWord: string;
  words: string[];
  oneAtATimeWords: string[];
  blanksLow: number;
  blanksHigh: number;
  gridSize: number;
  variants: {
    name: string;
    label: string;
    value: number;
    probability: number;
    likelihood: string;
  }[];
}

/** The ICD 203 bands (src/analysis/constants.ts), lowest first. */
const BANDS: [string, number, number][] = [
  ['ALMOST_NO_CHANCE', 0, 0.05],
  ['VERY_UNLIKELY', 0.05, 0.2],
  ['UNLIKELY', 0.2, 0.45],
  ['ROUGHLY_EVEN_CHANCE', 0.45, 0.55],
  ['LIKELY', 0.55, 0.8],
  ['VERY_LIKELY', 0.8, 0.95],
  ['ALMOST_CERTAIN', 0.95, 1],
];

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
const signed = (b: number) => `${b >= 0 ? '+' : '−'}${Math.abs(b).toFixed(2)}`;

let incidentId = '';
/** The date the panel shows (what the sensitivity grid is asked for). */
let shownAsOf: string | null = null;
let seq = 0;
let timer: number | undefined;
let excludeOf: () => Record<string, string[]> | null = () => null;

/** Sets up the panel for an incident; `exclude` gives the what-if exclusions in force. */
export function initJudgment(id: string, exclude?: () => Record<string, string[]> | null): void {
  incidentId = id;
  if (exclude) excludeOf = exclude;
}

/** Reloads the panel for a date (debounced like the matrix). */
export function scheduleJudgment(asOf: string | null, delayMs = 200): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void loadJudgment(asOf), delayMs);
}

async function loadJudgment(asOf: string | null): Promise<void> {
  const mine = ++seq;
  const body = byId('judgment-body');
  const status = byId('judgment-status');
  body.setAttribute('aria-busy', 'true');
  status.textContent = 'Weighing the evidence…';
  try {
    const data = await gql<{ incident: { judgment: JudgmentView } | null }>(JUDGMENT_QUERY, {
      id: incidentId,
      asOf,
      exclude: excludeOf(),
    });
    if (mine !== seq) return;
    shownAsOf = asOf;
    const j = data.incident?.judgment;
    if (!j) {
      status.textContent = 'No judgment for this incident.';
      body.replaceChildren();
    } else {
      status.textContent = '';
      body.replaceChildren(...render(j));
    }
    body.dataset.asof = asOf ?? 'today';
  } catch (err) {
    if (mine !== seq) return;
    status.textContent = `Could not weigh the evidence: ${(err as Error).message}`;
  } finally {
    if (mine === seq) body.setAttribute('aria-busy', 'false');
  }
}

function render(j: JudgmentView): Node[] {
  const out: Node[] = [];
  const k = j.key;
  if (!k) {
    out.push(
      h('p', { class: 'muted' }, 'No hypothesis names a sponsor: there is no key judgment.'),
    );
    return out;
  }
  out.push(
    h(
      'p',
      { class: 'judgment-head' },
      h('span', { class: 'judgment-label' }, k.label),
      ' ',
      h('strong', { class: 'judgment-p', id: 'judgment-probability' }, pct(k.probability)),
      ' ',
      h('span', { class: `likelihood lk-${k.likelihood}` }, words(k.likelihood)),
      ' · ',
      h(
        'span',
        { class: `confidence cf-${j.confidence}`, id: 'judgment-confidence' },
        `${words(j.confidence)} confidence`,
      ),
    ),
    h('p', { class: 'judgment-reason' }, j.confidenceReason),
  );
  const facts: (string | Node)[] = [
    `Adds up ${k.hypotheses?.map((x) => x.tag).join(' + ') ?? ''}. `,
    j.technicalOnly
      ? `From technical evidence alone: ${pct(j.technicalOnly.probability)} (${words(j.technicalOnly.likelihood).toLowerCase()}). `
      : '',
    h(
      'span',
      { id: 'judgment-coverage', class: j.coverage.missing ? 'coverage-gap' : '' },
      `The ACH matrix is ${Math.round(j.coverage.share * 100)} % rated (${j.coverage.missing} of ${j.coverage.cells} cells blank${j.coverage.missing ? ': blanks count as missing, not neutral' : ''}).`,
    ),
    ` Method ${j.method}.`,
  ];
  out.push(h('p', { class: 'judgment-facts' }, ...facts));
  const others = j.marginals.filter((m) => m.key !== k.key);
  if (others.length)
    out.push(
      h(
        'p',
        { class: 'judgment-facts' },
        'Other sponsors: ',
        ...others.flatMap((m, i) => [
          i ? ' · ' : '',
          `${m.label} ${pct(m.probability)} (${words(m.likelihood).toLowerCase()})`,
        ]),
      ),
    );
  out.push(waterfall(j, k));
  out.push(sensitivityDetails());
  return out;
}

/** The bits each unit added after those before it, from the prior to the posterior log-odds. */
function waterfall(j: JudgmentView, k: MarginalView): Node {
  const steps = j.steps.filter((s) => Math.abs(s.bits) >= 0.005);
  const max = Math.max(1, ...steps.map((s) => Math.abs(s.bits)), Math.abs(k.priorBits ?? 0));
  const bar = (bits: number) =>
    h(
      'span',
      { class: 'wf-track', 'aria-hidden': 'true' },
      h('span', {
        class: `wf-bar ${bits >= 0 ? 'wf-up' : 'wf-down'}`,
        style: `${bits >= 0 ? 'left' : 'right'}: 50%; width: ${((Math.abs(bits) / max) * 50).toFixed(1)}%`,
      }),
    );
  const rows = steps.map((s) =>
    h(
      'tr',
      { class: s.critical ? 'critical' : '', 'data-key': s.key },
      h('td', {}, s.knownFrom ? fmtDate(s.knownFrom) : ''),
      h(
        'th',
        { scope: 'row' },
        s.label,
        h('span', { class: 'muted' }, ` · ${words(s.evidenceClass).toLowerCase()}`),
        s.critical ? h('span', { class: 'badge' }, ' critical') : '',
      ),
      h('td', { class: 'num' }, signed(s.bits)),
      h('td', { class: 'wf' }, bar(s.bits)),
    ),
  );
  return h(
    'details',
    { class: 'judgment-steps', open: true },
    h('summary', {}, 'What moved it, in bits of log-odds (date order)'),
    h(
      'table',
      { class: 'waterfall', id: 'judgment-steps' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'on record'),
          h('th', { scope: 'col' }, 'item or dependency group'),
          h('th', { scope: 'col' }, 'bits'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'bar')),
        ),
      ),
      h(
        'tbody',
        {},
        h(
          'tr',
          {},
          h('td', {}, ''),
          h('th', { scope: 'row' }, 'prior'),
          h('td', { class: 'num' }, signed(k.priorBits ?? 0)),
          h('td', { class: 'wf' }, bar(k.priorBits ?? 0)),
        ),
        ...rows,
        h(
          'tr',
          { class: 'total' },
          h('td', {}, ''),
          h('th', { scope: 'row' }, 'posterior log-odds'),
          h('td', { class: 'num' }, signed(k.bits ?? 0)),
          h('td', {}, `= ${pct(k.probability)}`),
        ),
      ),
    ),
  );
}

/** The range of the judgment as the constants vary, on the ICD 203 scale. */
function sensitivityPanel(s: Sensitivity, estimate: number): Node[] {
  const at = (p: number) => `${(p * 100).toFixed(2)}%`;
  const scale = h(
    'div',
    {
      class: 'icd-scale',
      role: 'img',
      'aria-label': `Over ${s.gridSize} combinations of constants the judgment runs from ${pct(s.low)} to ${pct(s.high)}; with the blank cells read against or for it, ${pct(s.blanksLow)} to ${pct(s.blanksHigh)}; the estimate is ${pct(estimate)}.`,
    },
    ...BANDS.map(([w, lo, hi]) =>
      h(
        'span',
        {
          class: `icd-band lk-${w}${s.words.includes(w) ? ' taken' : ''}`,
          style: `left: ${at(lo)}; width: ${at(hi - lo)}`,
          title: `${words(w)} (${Math.round(lo * 100)}-${Math.round(hi * 100)} %)`,
        },
        '',
      ),
    ),
    h('span', { class: 'icd-range', style: `left: ${at(s.low)}; width: ${at(s.high - s.low)}` }),
    h('span', {
      class: 'icd-blanks',
      style: `left: ${at(s.blanksLow)}; width: ${at(Math.max(0.002, s.blanksHigh - s.blanksLow))}`,
    }),
    h('span', { class: 'icd-point', style: `left: ${at(estimate)}` }),
  );
  const rows = s.variants.map((v) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, v.label),
      h('td', { class: 'num' }, String(v.value)),
      h('td', { class: 'num' }, pct(v.probability)),
      h('td', {}, words(v.likelihood)),
    ),
  );
  return [
    h(
      'p',
      {},
      `${pct(s.low)} to ${pct(s.high)} (${words(s.lowWord).toLowerCase()} to ${words(s.highWord).toLowerCase()}) over ${s.gridSize} combinations of the constants.`,
    ),
    scale,
    h(
      'p',
      { class: 'hint' },
      `Shaded: the ICD 203 bands the judgment takes over the whole grid (${s.gridSize} combinations); bar: its range; thin bar: every blank cell read one step against it, then for it (${pct(s.blanksLow)} to ${pct(s.blanksHigh)}); tick: the estimate. One constant at a time it takes ${s.oneAtATimeWords.map((w) => words(w).toLowerCase()).join(', ')}.`,
    ),
    h(
      'table',
      { class: 'variants', id: 'sensitivity-variants' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'constant (one at a time)'),
          h('th', { scope: 'col' }, 'value'),
          h('th', { scope: 'col' }, 'judgment'),
          h('th', { scope: 'col' }, 'ICD 203'),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  ];
}

/**
 * The sensitivity panel, closed: opening it asks for the grid (for the date and exclusions the
 * panel shows) and draws it.
 */
function sensitivityDetails(): Node {
  const asOf = shownAsOf;
  const body = h('div', { class: 'sensitivity-body', 'aria-busy': 'false' });
  const details = h(
    'details',
    { class: 'sensitivity', id: 'sensitivity' },
    h('summary', {}, "Sensitivity: how far the judgment moves as the method's constants vary"),
    body,
  );
  let asked = false;
  details.addEventListener('toggle', () => {
    if (!details.open || asked) return;
    asked = true;
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(
      h('p', { class: 'hint' }, 'Running the method over the grid of constants…'),
    );
    type Answer = {
      incident: {
        judgment: { key: { probability: number } | null; sensitivity: Sensitivity | null };
      } | null;
    };
    void gql<Answer>(SENSITIVITY_QUERY, { id: incidentId, asOf, exclude: excludeOf() })
      .then((data) => {
        const j = data.incident?.judgment;
        body.replaceChildren(
          ...(j?.sensitivity && j.key
            ? sensitivityPanel(j.sensitivity, j.key.probability)
            : [h('p', { class: 'muted' }, 'No sensitivity for this judgment.')]),
        );
      })
      .catch((err: Error) => {
        asked = false;
        body.replaceChildren(h('p', { class: 'status' }, `Could not run the grid: ${err.message}`));
      })
      .finally(() => body.setAttribute('aria-busy', 'false'));
  });
  return details;
}
