import { cypher } from '../db';
import { NodeRow, relationQuery } from '../graph/entities';

export const INCIDENTS_PAGE = cypher<{ node: NodeRow; total: number }>(
  'incidentsPage',
  `MATCH (i:Incident)
   WITH i ORDER BY i.startedAt, i.id
   WITH collect(i) AS everything
   UNWIND everything[$skip..$skip + $limit] AS i
   RETURN {labels: labels(i), props: properties(i)} AS node, size(everything) AS total`,
);

export const INCIDENTS_COUNT = cypher<{ total: number }>(
  'incidentsCount',
  'MATCH (i:Incident) RETURN count(i) AS total',
);

/**
 * An incident's timeline as of a day: its events and the claims on its hypotheses, in date
 * order (undated last), one page and the total, in one statement.
 */
export const TIMELINE_PAGE = cypher<{ entries: { date: unknown; node: NodeRow }[]; total: number }>(
  'incidentTimeline',
  `MATCH (i:Incident {id: $incident})
   CALL (i) {
     MATCH (e:Event)-[:IN]->(i)
     WHERE $asOf IS NULL OR e.knownFrom <= $asOf
     RETURN e AS x, e.date AS date
     UNION
     MATCH (x:Claim)-[:SUPPORTS|DISPUTES]->(:Hypothesis)-[:ABOUT]->(i)
     WHERE $asOf IS NULL OR x.knownFrom <= $asOf
     RETURN x, x.statedAt AS date
   }
   WITH x, date ORDER BY date IS NULL, date, CASE WHEN x:Event THEN 0 ELSE 1 END, x.id
   WITH collect({date: date, node: {labels: labels(x), props: properties(x)}}) AS everything
   RETURN everything[$skip..$skip + $limit] AS entries, size(everything) AS total`,
);

export const RELATED_INCIDENTS = relationQuery(
  'incidentRelated',
  '(n)-[r:RELATED_TO]->(m:Incident)',
  'm.startedAt',
  true,
);
export const INCIDENT_SOURCES = relationQuery(
  'incidentSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt',
);
export const EVENT_SOURCES = relationQuery(
  'eventSources',
  '(n)-[:CITES]->(m:Source)',
  'm.publishedAt',
);
export const EVENT_INCIDENT = relationQuery('eventIncident', '(n)-[:IN]->(m:Incident)');
export const EVENT_PARTICIPANTS = relationQuery(
  'eventParticipants',
  '(n)-[r:INVOLVES]->(m:Actor)',
  'm.name',
  true,
);
