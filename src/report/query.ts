/**
 * The case report's ONE GraphQL operation: the CLI (`attribution report`) runs it in-process,
 * the /report page over HTTP; both render the same data (Markdown here, HTML in web/src/report.ts).
 */
const SOURCE = 'id tag title publisher url publishedAt reliability reliabilityReason';
/** An artifact observed in the incident, who says so and when, citing what. */
const OBSERVED = `artifact { id name stixType externalIds unverified }
        claims { id stated claimant { name } } sources { ${SOURCE} }`;

export const REPORT_QUERY = `query Report($id: ID!, $asOf: LocalDate) {
  incident(id: $id) {
    id name summary kind startedAt
    ranking(asOf: $asOf) {
      asOf
      hypotheses {
        hypothesis { id tag statement }
        rank probability likelihood confidence
        assessment { score likelihoodBand confidenceReason singleOrigin
          explanation { kind points reason } }
        supporters { actor { id name } claims { id statedAt text sources { ${SOURCE} } } }
        opponents { actor { id name } claims { id statedAt text sources { ${SOURCE} } } }
      }
    }
    ach(asOf: $asOf) {
      rows {
        evidence { id tag title credibility sources { ${SOURCE} } }
        weight diagnosticity
        cells { hypothesis { id } consensus rating }
      }
      columns { hypothesis { id } weightedInconsistency }
    }
    trajectory(to: $asOf) {
      date changes
      hypotheses { hypothesis { id tag } rank probability likelihood }
    }
    timeline(asOf: $asOf, first: 100) {
      edges { node { date datePrecision event { id title kind } claim { id text claimant { name } } } }
    }
    technicalProfile(asOf: $asOf) {
      tactics { tactic techniques { ${OBSERVED} } }
      malware { ${OBSERVED} }
      tools { ${OBSERVED} }
      infrastructure { ${OBSERVED} }
      observables { ${OBSERVED} }
      other { ${OBSERVED} }
    }
  }
}`;

export interface ReportSource {
  id: string;
  tag: string;
  title: string;
  publisher: string;
  url: string | null;
  publishedAt: string | null;
  reliability: string;
  reliabilityReason: string;
}
/** An artifact observed in the incident (an `ArtifactEdge` of its technical profile). */
export interface ReportObserved {
  artifact: {
    id: string;
    name: string;
    stixType: string;
    externalIds: string[];
    unverified: boolean;
  };
  /** `stated`: as precise as the source (`2014-12-19`, `2014-12`, `2014`). */
  claims: { id: string; stated: string | null; claimant: { name: string } }[];
  sources: ReportSource[];
}
/** The technical profile's groups, in the order the report shows them. */
export const TECHNICAL_GROUPS = [
  ['malware', 'Malware'],
  ['tools', 'Tools'],
  ['infrastructure', 'Infrastructure'],
  ['observables', 'Observables'],
  ['other', 'Indicators and vulnerabilities'],
] as const;
interface ReportPosition {
  actor: { id: string; name: string };
  claims: { id: string; statedAt: string | null; text: string; sources: ReportSource[] }[];
}
export interface ReportData {
  incident: {
    id: string;
    name: string;
    summary: string;
    kind: string;
    startedAt: string | null;
    ranking: {
      asOf: string | null;
      hypotheses: {
        hypothesis: { id: string; tag: string; statement: string };
        rank: number;
        probability: number;
        likelihood: string;
        confidence: string;
        assessment: {
          score: number;
          likelihoodBand: string;
          confidenceReason: string;
          singleOrigin: boolean;
          explanation: { kind: string; points: number; reason: string }[];
        };
        supporters: ReportPosition[];
        opponents: ReportPosition[];
      }[];
    };
    ach: {
      rows: {
        evidence: {
          id: string;
          tag: string;
          title: string;
          credibility: number;
          sources: ReportSource[];
        };
        weight: number;
        diagnosticity: number;
        cells: {
          hypothesis: { id: string };
          consensus: number | null;
          rating: string | null;
        }[];
      }[];
      columns: { hypothesis: { id: string }; weightedInconsistency: number }[];
    };
    trajectory: {
      date: string;
      changes: number;
      hypotheses: {
        hypothesis: { id: string; tag: string };
        rank: number;
        probability: number;
        likelihood: string;
      }[];
    }[];
    timeline: {
      edges: {
        node: {
          date: string | null;
          datePrecision: string;
          event: { id: string; title: string; kind: string } | null;
          claim: { id: string; text: string; claimant: { name: string } } | null;
        };
      }[];
    };
    technicalProfile: {
      tactics: { tactic: string; techniques: ReportObserved[] }[];
      malware: ReportObserved[];
      tools: ReportObserved[];
      infrastructure: ReportObserved[];
      observables: ReportObserved[];
      other: ReportObserved[];
    };
  } | null;
}

/** Every artifact of the technical profile (techniques first), once per group it is in. */
export function observedArtifacts(data: NonNullable<ReportData['incident']>): ReportObserved[] {
  const p = data.technicalProfile;
  return [...p.tactics.flatMap((t) => t.techniques), ...TECHNICAL_GROUPS.flatMap(([k]) => p[k])];
}

/** Every source the report cites (claims, evidence, technical profile), once each, by tag then id. */
export function citedSources(data: NonNullable<ReportData['incident']>): ReportSource[] {
  const all = new Map<string, ReportSource>();
  const add = (s: ReportSource) => all.set(s.id, s);
  for (const h of data.ranking.hypotheses)
    for (const p of [...h.supporters, ...h.opponents])
      for (const c of p.claims) c.sources.forEach(add);
  for (const r of data.ach.rows) r.evidence.sources.forEach(add);
  for (const o of observedArtifacts(data)) o.sources.forEach(add);
  return [...all.values()].sort(
    (a, b) => a.tag.localeCompare(b.tag, 'en', { numeric: true }) || a.id.localeCompare(b.id),
  );
}
