import { badInput } from '../errors';
import type { Context } from '../graph/context';
import { asOfParam } from '../graph/dates';
import { Entity, fromRow } from '../graph/entities';
import { connection, decodeCursor, pageSize } from '../graph/paging';
import { Exclude, assessedHypotheses } from '../hypotheses';
import {
  EVENT_INCIDENT,
  EVENT_PARTICIPANTS,
  EVENT_SOURCES,
  INCIDENTS_PAGE,
  INCIDENT_SOURCES,
  RELATED_INCIDENTS,
  TIMELINE_PAGE,
} from './queries';

function checkDate(name: string, d: Date | null | undefined): void {
  if (d && Number.isNaN(d.getTime())) throw badInput(name, 'is not a valid date');
}

export const incidentResolvers = {
  Query: {
    incident: async (_: unknown, { id }: { id: string }, ctx: Context) => {
      const e = await ctx.loaders.entity.load(id);
      return e?.__typename === 'Incident' ? e : null;
    },
    incidents: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: Context,
    ) => {
      const size = pageSize(args.first, 20, 100);
      const skip = decodeCursor(args.after);
      const rows = await ctx.db.read(INCIDENTS_PAGE, { skip, limit: size });
      const total = rows[0]?.total ?? skip;
      return connection(
        rows.map((r) => fromRow(r.node)),
        skip,
        size,
        total,
      );
    },
  },
  Incident: {
    hypotheses: (
      i: Entity,
      args: { asOf?: Date | null; exclude?: Exclude | null },
      ctx: Context,
    ) => {
      checkDate('asOf', args.asOf);
      return assessedHypotheses(ctx, i.id, args.asOf, args.exclude);
    },
    timeline: async (
      i: Entity,
      args: { asOf?: Date | null; first?: number | null; after?: string | null },
      ctx: Context,
    ) => {
      checkDate('asOf', args.asOf);
      const size = pageSize(args.first, 100, 500);
      const skip = decodeCursor(args.after);
      const [row] = await ctx.db.read(TIMELINE_PAGE, {
        incident: i.id,
        asOf: asOfParam(args.asOf),
        skip,
        limit: size,
      });
      const entries = (row?.entries ?? []).map((e) => {
        const node = fromRow(e.node);
        ctx.loaders.prime([node]);
        const isEvent = node.__typename === 'Event';
        return {
          date: isEvent ? (node.date ?? null) : (node.statedAt ?? null),
          datePrecision: (isEvent ? node.datePrecision : node.statedAtPrecision) ?? 'unknown',
          event: isEvent ? node : null,
          claim: isEvent ? null : node,
        };
      });
      return connection(entries, skip, size, row?.total ?? 0);
    },
    related: async (i: Entity, _: unknown, ctx: Context) =>
      (await ctx.loaders.relation(RELATED_INCIDENTS, i.id)).map((x) => ({
        incident: x.node,
        relation: x.rel.relation,
      })),
    sources: (i: Entity, _: unknown, ctx: Context) => ctx.loaders.nodes(INCIDENT_SOURCES, i.id),
    startedAtPrecision: (i: Entity) => i.startedAtPrecision ?? 'unknown',
  },
  Event: {
    datePrecision: (e: Entity) => e.datePrecision ?? 'unknown',
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
