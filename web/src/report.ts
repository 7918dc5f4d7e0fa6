// The printable case report (/report?incident=ID&asOf=DATE): the same GraphQL operation as
// `attribution report` (src/report/query.ts), rendered as HTML with a print style sheet.
import './style.css';
import {
  REPORT_QUERY,
  TECHNICAL_GROUPS,
  citedSources,
  type ReportData,
  type ReportObserved,
} from '../../src/report/query';
import { gql } from './api';
import { loadChart, setChartEvents, markChartAsOf } from './chart';
import { byId, fmtDate, h, words } from './dom';

const params = new URLSearchParams(window.location.search);
const incidentId = params.get('incident') ?? 'sony-pictures-2014';
const asOf = params.get('asOf');
const pct = (p: number) => `${Math.round(p * 100)} %`;
/** A partial date (`2014-12-19`, `2014-12`, `2014`) as the page writes dates. */
const fmtStated = (d: string) =>
  fmtDate(d, d.length === 4 ? 'YEAR' : d.length === 7 ? 'MONTH' : 'DAY');
const SHORT: Record<string, string> = {
  VERY_CONSISTENT: 'CC',
  CONSISTENT: 'C',
  NEUTRAL: 'N',
  INCONSISTENT: 'I',
  VERY_INCONSISTENT: 'II',
  NOT_APPLICABLE: 'NA',
};

byId('print').addEventListener('click', () => window.print());
byId<HTMLAnchorElement>('back-to-case').href =
  `/?incident=${encodeURIComponent(incidentId)}${asOf ? `&asOf=${asOf}` : ''}`;

function render(data: NonNullable<ReportData['incident']>): void {
  const sources = citedSources(data);
  const ref = new Map(sources.map((s, i) => [s.id, i + 1]));
  const cite = (ss: { id: string }[]) =>
    ss.length
      ? h(
          'sup',
          { class: 'cite' },
          '[',
          [...new Set(ss.map((s) => ref.get(s.id)!))].flatMap((n, i) => [
            i ? ', ' : '',
            h('a', { href: `#src-${n}` }, String(n)),
          ]),
          ']',
        )
      : '';
  document.title = `Attribution report: ${data.name}`;
  byId('report-title').textContent = `Attribution report: ${data.name}`;
  byId('report-meta').textContent =
    `${words(data.kind.replace(/-/g, '_'))} · ${data.id} · the record ${asOf ? `as of the end of ${fmtDate(asOf)}` : 'as it stands today'} · generated ${fmtDate(new Date().toISOString().slice(0, 10))}`;
  byId('report-summary').textContent = data.summary;

  const hyps = data.ranking.hypotheses;
  const tagOf = new Map(hyps.map((x) => [x.hypothesis.id, x.hypothesis.tag]));
  byId('report-ranking-body').replaceChildren(
    h(
      'table',
      { class: 'report-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Rank', 'Hypothesis', 'Probability', 'Likelihood (ICD 203)', 'Confidence'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        hyps.map((x) =>
          h(
            'tr',
            { 'data-hyp': x.hypothesis.id },
            h('td', {}, `#${x.rank}`),
            h('td', {}, h('strong', {}, x.hypothesis.tag), ' ', x.hypothesis.statement),
            h('td', {}, pct(x.probability)),
            h('td', {}, `${words(x.likelihood)} (${x.assessment.likelihoodBand})`),
            h('td', {}, words(x.confidence)),
          ),
        ),
      ),
    ),
    ...hyps.map((x) =>
      h(
        'article',
        { class: 'report-hyp', 'data-hyp': x.hypothesis.id },
        h('h3', {}, `${x.hypothesis.tag}: score ${x.assessment.score.toFixed(2)}`),
        h(
          'p',
          { class: 'meta' },
          `Confidence ${words(x.confidence).toLowerCase()}: ${x.assessment.confidenceReason}`,
        ),
        x.assessment.explanation.length
          ? h(
              'ul',
              { class: 'explanation' },
              x.assessment.explanation.map((c) =>
                h(
                  'li',
                  {},
                  h('strong', {}, `${c.points >= 0 ? '+' : '−'}${Math.abs(c.points).toFixed(2)}`),
                  ` ${c.reason}`,
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'Nothing on record bears on it.'),
        h(
          'p',
          {},
          'Supported by: ',
          x.supporters.length
            ? x.supporters.flatMap((p, i) => [
                i ? '; ' : '',
                p.actor.name,
                cite(p.claims.flatMap((c) => c.sources)),
              ])
            : 'no one on record',
          '.',
        ),
        h(
          'p',
          {},
          'Disputed by: ',
          x.opponents.length
            ? x.opponents.flatMap((p, i) => [
                i ? '; ' : '',
                p.actor.name,
                cite(p.claims.flatMap((c) => c.sources)),
              ])
            : 'no one on record',
          '.',
        ),
      ),
    ),
  );

  const cols = data.ach.columns.map((c) => tagOf.get(c.hypothesis.id) ?? c.hypothesis.id);
  byId('report-ach-body').replaceChildren(
    h(
      'table',
      { class: 'report-table report-ach' },
      h('caption', { class: 'visually-hidden' }, 'Evidence (rows) against hypotheses (columns)'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Evidence'),
          h('th', { scope: 'col' }, 'Weight'),
          h('th', { scope: 'col' }, 'Diagnosticity'),
          cols.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        data.ach.rows.map((r) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              h('strong', {}, r.evidence.tag),
              ' ',
              r.evidence.title,
              cite(r.evidence.sources),
            ),
            h('td', {}, r.weight.toFixed(2)),
            h('td', {}, r.diagnosticity.toFixed(2)),
            r.cells.map((c) =>
              h(
                'td',
                { 'data-rating': c.rating ?? '' },
                c.rating ? `${SHORT[c.rating]} (${c.consensus!.toFixed(2)})` : '—',
              ),
            ),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'row', colspan: 3 }, 'Weighted inconsistency (lower is better)'),
          data.ach.columns.map((c) => h('td', {}, c.weightedInconsistency.toFixed(2))),
        ),
      ),
    ),
    h(
      'p',
      { class: 'meta' },
      'CC very consistent · C consistent · N neutral · I inconsistent · II very inconsistent · NA not applicable; the consensus (−2 … +2) in brackets.',
    ),
  );

  byId('report-timeline-body').replaceChildren(
    ...data.timeline.edges.map(({ node: e }) =>
      h(
        'li',
        {},
        h('time', { datetime: e.date ?? '' }, fmtDate(e.date, e.datePrecision)),
        ' ',
        e.event
          ? [e.event.title, h('span', { class: 'muted' }, ` (${e.event.kind.toLowerCase()})`)]
          : e.claim
            ? [h('strong', {}, e.claim.claimant.name), `: “${e.claim.text}”`]
            : '',
      ),
    ),
  );

  const tech = data.technicalProfile;
  const observed = (o: ReportObserved) =>
    h(
      'li',
      { 'data-artifact': o.artifact.id },
      ...(o.artifact.externalIds.length
        ? [h('code', {}, o.artifact.externalIds.join(', ')), ' ']
        : []),
      h('strong', {}, o.artifact.name),
      h('span', { class: 'muted' }, ` (${o.artifact.stixType})`),
      ...(o.artifact.unverified ? [' ', h('span', { class: 'flag' }, 'unverified')] : []),
      ': observed per ',
      o.claims.length
        ? o.claims.flatMap((c, i) => [
            i ? '; ' : '',
            c.claimant.name,
            ...(c.stated ? [', ', h('time', { datetime: c.stated }, fmtStated(c.stated))] : []),
          ])
        : 'no dated claim',
      cite(o.sources),
    );
  const groups = [
    ...tech.tactics.map((t) => ({
      key: `tactic-${t.tactic}`,
      title: `Techniques: ${t.tactic.replace(/-/g, ' ')}`,
      list: t.techniques,
    })),
    ...TECHNICAL_GROUPS.map(([k, title]) => ({ key: k, title, list: tech[k] })),
  ].filter((g) => g.list.length > 0);
  byId('report-technical-body').replaceChildren(
    ...(groups.length
      ? groups.map((g) =>
          h(
            'div',
            { class: 'report-tech-group', 'data-group': g.key },
            h('h3', {}, `${g.title} (${g.list.length})`),
            h('ul', { class: 'report-tech' }, g.list.map(observed)),
          ),
        )
      : [h('p', { class: 'muted' }, 'Nothing technical on record on this day.')]),
  );

  byId('report-sources-body').replaceChildren(
    ...sources.map((s, i) =>
      h(
        'li',
        { id: `src-${i + 1}`, 'data-source': s.id },
        s.url ? h('a', { href: s.url, rel: 'noopener noreferrer' }, s.title) : s.title,
        `, ${s.publisher}${s.publishedAt ? `, ${fmtDate(s.publishedAt)}` : ''}. `,
        h('span', { class: 'reliability' }, `Reliability ${s.reliability}`),
        `: ${s.reliabilityReason}`,
      ),
    ),
  );
  setChartEvents(
    data.timeline.edges
      .map((e) => e.node)
      .filter((n) => n.event)
      .map((n) => ({ ...n, claim: null, event: { ...n.event!, description: '' } })),
  );
  markChartAsOf(asOf);
}

void (async () => {
  const main = byId('main');
  const status = byId('report-status');
  try {
    const data = await gql<ReportData>(REPORT_QUERY, { id: incidentId, asOf });
    if (!data.incident) {
      status.textContent = `No incident with id “${incidentId}”.`;
      status.dataset.error = '';
    } else {
      render(data.incident);
      await loadChart(incidentId, null, asOf);
      status.textContent = '';
    }
  } catch (err) {
    status.textContent = `Could not load the report: ${(err as Error).message}`;
    status.dataset.error = '';
  }
  main.setAttribute('aria-busy', 'false');
})();
