import { relationQuery } from '../graph/entities';
import {
  ID_KEY,
  dateKey,
  keysetStatement,
  keysetStatements,
  nameKey,
  recordedKey,
} from '../graph/keyset';

/** The incidents matching an `IncidentFilter`, bound as `x`. */
const INCIDENTS_MATCH = `MATCH (x:Incident)
   WHERE ($kinds IS NULL OR x.kind IN $kinds)
     AND ($startedFrom IS NULL OR x.startedAt >= $startedFrom)
     AND ($startedTo IS NULL OR x.knownFrom <= $startedTo)
     AND ($suspects IS NULL OR EXISTS { (x)<-[:ABOUT]-(:Hypothesis)-[:SUSPECTS]->(s:Actor) WHERE s.id IN $suspects })
     AND ($involving IS NULL
          OR EXISTS { (x)<-[:ABOUT]-(:Hypothesis)-[:SUSPECTS]->(a:Actor) WHERE a.id IN $involving }
          OR EXISTS { (x)<-[:ABOUT]-(:Hypothesis)<-[:SUPPORTS|DISPUTES]-(:Claim)-[:BY]->(a:Actor) WHERE a.id IN $involving }
          OR EXISTS { (x)<-[:ABOUT]-(:Hypothesis)<-[:AGAINST]-(:Rating)-[:BY]->(a:Actor) WHERE a.id IN $involving }
          OR EXISTS { (x)<-[:IN]-(:Event)-[:INVOLVES]->(a:Actor) WHERE a.id IN $involving })
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The incident list, one statement per order. */
export const INCIDENTS_LIST = keysetStatements({
  name: 'incidentsList',
  match: INCIDENTS_MATCH,
  orders: {
    STARTED_AT: dateKey('x.startedAt'),
    NAME: nameKey('x.name'),
    ID: ID_KEY,
    RECORDED_AT: recordedKey(),
  },
});

/** The events matching an `EventFilter`, bound as `x`. */
const EVENTS_MATCH = `MATCH (x:Event)
   WHERE ($incidents IS NULL OR EXISTS { (x)-[:IN]->(i:Incident) WHERE i.id IN $incidents })
     AND ($kinds IS NULL OR x.kind IN $kinds)
     AND ($participants IS NULL OR EXISTS { (x)-[:INVOLVES]->(a:Actor) WHERE a.id IN $participants })
     AND ($from IS NULL OR x.date >= $from)
     AND ($to IS NULL OR x.knownFrom <= $to)
     AND ($recordedAfter IS NULL OR x.createdAt > $recordedAfter)`;

/** The event list, one statement per order. */
export const EVENTS_LIST = keysetStatements({
  name: 'eventsList',
  match: EVENTS_MATCH,
  orders: { DATE: dateKey('x.date'), ID: ID_KEY, RECORDED_AT: recordedKey() },
});

/**
 * An incident's timeline as of a day: its events and the claims on its hypotheses, in date
 * order (undated last, events before claims on a day), keyset-paged, in one statement.
 * `$asOf` null: the whole record, undated claims included.
 */
export const TIMELINE_PAGE = keysetStatement(
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
   }`,
  `${dateKey('date')} + '|' + CASE WHEN x:Event THEN '0' ELSE '1' END`,
  'ASC',
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
