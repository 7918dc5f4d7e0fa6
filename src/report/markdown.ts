import { ReportData, type ReportObserved, TECHNICAL_GROUPS, citedSources } from './query';

const pct = (p: number) => `${Math.round(p * 100)} %`;
const words = (v: string) => v.toLowerCase().replace(/_/g, ' ');
/** Escapes the characters that would break a Markdown table cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const RATING_SHORT: Record<string, string> = {
  VERY_CONSISTENT: 'CC',
  CONSISTENT: 'C',
  NEUTRAL: 'N',
  INCONSISTENT: 'I',
  VERY_INCONSISTENT: 'II',
  NOT_APPLICABLE: 'NA',
};

/**
 * The case report as Markdown: ranking with its explanation, the ACH matrix, the consensus over
 * time, the timeline, the technical profile (techniques by ATT&CK tactic, malware, tools,
 * infrastructure, observables, each with who observed it, when, citing what), and every source
 * cited with its reliability. Pure: data in, text out.
 */
export function reportMarkdown(data: ReportData, generatedOn: string): string {
  const inc = data.incident;
  if (!inc) throw new Error('no such incident');
  const asOf = inc.ranking.asOf;
  const out: string[] = [];
  const hyps = inc.ranking.hypotheses;
  const tagOf = new Map(hyps.map((h) => [h.hypothesis.id, h.hypothesis.tag]));
  const sources = citedSources(inc);
  const ref = new Map(sources.map((s, i) => [s.id, i + 1]));
  const cite = (ss: { id: string }[]) =>
    ss.length ? ` [${ss.map((s) => ref.get(s.id)).join(', ')}]` : '';

  out.push(`# Attribution report: ${inc.name}`, '');
  out.push(
    `Incident \`${inc.id}\` (${inc.kind.toLowerCase().replace(/_/g, ' ')}${inc.startedAt ? `, began ${inc.startedAt}` : ''}). ` +
      `The record ${asOf ? `as of the end of ${asOf}` : 'as it stands today (the whole record)'}; generated ${generatedOn}.`,
    '',
    inc.summary,
    '',
  );

  out.push('## Ranking', '');
  out.push('| Rank | Hypothesis | Probability | Likelihood (ICD 203) | Confidence |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const h of hyps)
    out.push(
      `| ${h.rank} | **${h.hypothesis.tag}** ${cell(h.hypothesis.statement)} | ${pct(h.probability)} | ${words(h.likelihood)} (${h.assessment.likelihoodBand}) | ${words(h.confidence)} |`,
    );
  out.push('');
  for (const h of hyps) {
    out.push(`### ${h.hypothesis.tag}: why it scores ${h.assessment.score.toFixed(2)}`, '');
    out.push(`${h.hypothesis.statement}`, '');
    out.push(`Confidence ${words(h.confidence)}: ${h.assessment.confidenceReason}`, '');
    if (!h.assessment.explanation.length) out.push('Nothing on record bears on it.', '');
    for (const c of h.assessment.explanation)
      out.push(`- ${c.points >= 0 ? '+' : '−'}${Math.abs(c.points).toFixed(2)} ${c.reason}`);
    const who = (ps: typeof h.supporters) =>
      ps.map((p) => `${p.actor.name}${cite(p.claims.flatMap((c) => c.sources))}`).join('; ') ||
      'no one on record';
    out.push(
      '',
      `Supported by: ${who(h.supporters)}.`,
      '',
      `Disputed by: ${who(h.opponents)}.`,
      '',
    );
  }

  out.push('## ACH matrix', '');
  const cols = inc.ach.columns.map((c) => tagOf.get(c.hypothesis.id) ?? c.hypothesis.id);
  out.push(`| Evidence | Weight | Diagnosticity | ${cols.join(' | ')} |`);
  out.push(`| --- | --- | --- | ${cols.map(() => '---').join(' | ')} |`);
  for (const r of inc.ach.rows)
    out.push(
      `| **${r.evidence.tag}** ${cell(r.evidence.title)}${cite(r.evidence.sources)} | ${r.weight.toFixed(2)} | ${r.diagnosticity.toFixed(2)} | ${r.cells
        .map((c) =>
          c.rating ? `${RATING_SHORT[c.rating] ?? c.rating} (${c.consensus!.toFixed(2)})` : '—',
        )
        .join(' | ')} |`,
    );
  out.push(
    `| Weighted inconsistency | | | ${inc.ach.columns.map((c) => c.weightedInconsistency.toFixed(2)).join(' | ')} |`,
    '',
    'CC very consistent, C consistent, N neutral, I inconsistent, II very inconsistent, NA not applicable; the consensus (−2 … +2) in brackets.',
    '',
  );

  out.push('## The consensus over time', '');
  const tags = hyps.map((h) => h.hypothesis.tag);
  out.push(`| Date | ${tags.join(' | ')} | Leader |`);
  out.push(`| --- | ${tags.map(() => '---').join(' | ')} | --- |`);
  for (const p of inc.trajectory) {
    const by = new Map(p.hypotheses.map((e) => [e.hypothesis.tag, e]));
    out.push(
      `| ${p.date} | ${tags.map((t) => (by.get(t) ? pct(by.get(t)!.probability) : '—')).join(' | ')} | ${p.hypotheses[0]?.hypothesis.tag ?? '—'} |`,
    );
  }
  out.push('');

  out.push('## Timeline', '');
  for (const { node: e } of inc.timeline.edges) {
    const when = e.date
      ? e.date.slice(0, e.datePrecision === 'YEAR' ? 4 : e.datePrecision === 'MONTH' ? 7 : 10)
      : 'undated';
    if (e.event) out.push(`- ${when}: ${e.event.title} (${e.event.kind.toLowerCase()})`);
    else if (e.claim) out.push(`- ${when}: ${e.claim.claimant.name}: “${e.claim.text}”`);
  }
  out.push('');

  out.push('## Technical profile', '');
  const tech = inc.technicalProfile;
  const observed = (o: ReportObserved) => {
    const ids = o.artifact.externalIds.length ? `**${o.artifact.externalIds.join(', ')}** ` : '';
    const who = o.claims
      .map((c) => `${c.claimant.name}${c.stated ? `, ${c.stated}` : ''}`)
      .join('; ');
    return `- ${ids}${o.artifact.name} (${o.artifact.stixType})${o.artifact.unverified ? ' UNVERIFIED' : ''}: observed per ${who || 'no dated claim'}${cite(o.sources)}`;
  };
  const groups: [string, ReportObserved[]][] = [
    ...tech.tactics.map((t): [string, ReportObserved[]] => [
      `Techniques: ${t.tactic.replace(/-/g, ' ')}`,
      t.techniques,
    ]),
    ...TECHNICAL_GROUPS.map(([k, title]): [string, ReportObserved[]] => [title, tech[k]]),
  ].filter(([, list]) => list.length > 0);
  if (!groups.length) out.push('Nothing technical on record on this day.', '');
  for (const [title, list] of groups) out.push(`### ${title}`, '', ...list.map(observed), '');

  out.push('## Sources', '');
  sources.forEach((s, i) =>
    out.push(
      `${i + 1}. ${s.tag ? `${s.tag} ` : ''}${s.url ? `[${s.title}](${s.url})` : s.title}, ${s.publisher}${s.publishedAt ? `, ${s.publishedAt}` : ''}. Reliability **${s.reliability}**: ${s.reliabilityReason}`,
    ),
  );
  out.push('');
  return out.join('\n');
}
