import type { Context } from '../graph/context';
import { asOfParam, partialDate } from '../graph/dates';
import type { Entity } from '../graph/entities';
import { OrderBy, dayParam, idsParam, instantParam, listPage } from '../graph/lists';
import { PageArgs, keysetConnection, keysetParams } from '../graph/paging';
import { Exclude, assessedHypotheses } from '../hypotheses';
import { EvidenceListArgs, evidencePage } from '../evidence';
import { EventKind, graphqlEnum } from '../model';
import {
  EVENTS_LIST,
  EVENT_INCIDENT,
  EVENT_PARTICIPANTS,
  EVENT_SOURCES,
  INCIDENTS_LIST,
  INCIDENT_SOURCES,
  RELATED_INCIDENTS,
  TIMELINE_PAGE,
} from './queries';

type IncidentListArgs = PageArgs & {
  filter?: {
    kinds?: string[] | null;
    startedFrom?: string | null;
    startedTo?: string | null;
    involving?: string[] | null;
    suspects?: string[] | null;
    recordedAfter?: Date | null;
  } | null;
  orderBy?: OrderBy<keyof typeof INCIDENTS_LIST> | null;
};

/** An `EventFilter` as the GraphQL layer passes it (kinds already mapped to stored values). */
export interface EventFilter {
  kinds?: string[] | null;
  incidents?: string[] | null;
  participants?: string[] | null;
  from?: string | null;
  to?: string | null;
  recordedAfter?: Date | null;
}

type EventListArgs = PageArgs & {
  filter?: EventFilter | null;
  orderBy?: OrderBy<keyof typeof EVENTS_LIST> | null;
};

/** One page of events; `incident` narrows it to one incident's. */
function eventsPage(ctx: Context, args: EventListArgs, incident?: string) {
  const f = args.filter ?? {};
  return listPage(
    ctx,
    EVENTS_LIST,
    {
      kinds: idsParam(f.kinds),
      incidents: incident
        ? [incident].filter((i) => !f.incidents || f.incidents.includes(i))
        : idsParam(f.incidents),
      participants: idsParam(f.participants),
      from: dayParam(f.from),
      to: dayParam(f.to),
      recordedAfter: instantParam(f.recordedAfter),
    },
    args.orderBy,
    { field: 'DATE' },
    args,
  );
}

/** Timeline page sizes: a documented exception to the 50/100 of other lists. */
const TIMELINE_LIMITS = { def: 100, max: 100 };

export const incidentResolvers = {
  EventKind: graphqlEnum(EventKind),
  Query: {
    incident: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Incident' ? e : null;
    },
    incidents: (_: unknown, args: IncidentListArgs, ctx: Context) => {
      const f = args.filter ?? {};
      return listPage(
        ctx,
        INCIDENTS_LIST,
        {
          kinds: idsParam(f.kinds),
          startedFrom: dayParam(f.startedFrom),
          startedTo: dayParam(f.startedTo),
          involving: idsParam(f.involving),
          suspects: idsParam(f.suspects),
          recordedAfter: instantParam(f.recordedAfter),
        },
        args.orderBy,
        { field: 'STARTED_AT' },
        args,
      );
    },
    events: (_: unknown, args: EventListArgs, ctx: Context) => eventsPage(ctx, args),
  },
  Incident: {
    evidence: (i: Entity, args: EvidenceListArgs, ctx: Context) => evidencePage(ctx, args, i.id),
    events: (i: Entity, args: EventListArgs, ctx: Context) => eventsPage(ctx, args, i.id),

    hypotheses: async (
      i: Entity,
      args: { asOf?: string | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      // The deprecated replay arguments make what lies beneath depend on this path.
      return assessedHypotheses(ctx, i.id, args.asOf, args.exclude);
    },
    timeline: async (i: Entity, args: PageArgs & { asOf?: string | null }, ctx: Context) => {
      const paging = keysetParams(args, TIMELINE_LIMITS);
      const [row] = await ctx.db.read(TIMELINE_PAGE, {
        incident: i.id,
        asOf: asOfParam(args.asOf),
        ...paging,
      });
      return keysetConnection(row, paging, (node) => {
        ctx.loaders.prime([node]);
        const isEvent = node.__typename === 'Event';
        return {
          date: isEvent ? (node.date ?? null) : (node.statedAt ?? null),
          datePrecision: (isEvent ? node.datePrecision : node.statedAtPrecision) ?? 'unknown',
          event: isEvent ? node : null,
          claim: isEvent ? null : node,
        };
      });
    },
    related: async (i: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(RELATED_INCIDENTS, i.id)).map((x) => ({
        incident: x.node,
        relation: x.rel.relation,
      })),
    sources: (i: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(INCIDENT_SOURCES, i.id),
    startedAtPrecision: (i: Entity) => i.startedAtPrecision ?? 'unknown',
    started: (i: Entity) => partialDate(i.startedAt, i.startedAtPrecision),
  },
  Event: {
    datePrecision: (e: Entity) => e.datePrecision ?? 'unknown',
    occurred: (e: Entity) => partialDate(e.date, e.datePrecision),
    sources: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(EVENT_SOURCES, e.id),
    incident: (e: Entity, _: unknown, ctx: Context) => ctx.loaders.one(EVENT_INCIDENT, e.id),
    participants: async (e: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(EVENT_PARTICIPANTS, e.id)).map((x) => ({
        actor: x.node,
        roles: x.rel.roles ?? [],
      })),
    unverified: (e: Entity) => e.unverified === true,
  },
};
