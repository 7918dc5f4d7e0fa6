import type { Context } from '../graph/context';
import type { Entity } from '../graph/entities';
import { loadEdges } from '../artifacts';
import { LocationType } from '../model';
import { ACTOR_LOCATIONS, LOCATION_LINKS } from './queries';

type AsOf = { asOf?: string | null };

/** `Location` (a STIX place) and the places of an actor. */
export const locationResolvers = {
  Location: {
    locationType: (l: Entity) => l.locationType ?? LocationType.enum.place,
    links: (l: Entity, args: AsOf, ctx: Context) => loadEdges(ctx, LOCATION_LINKS, l.id, args.asOf),
  },
  Actor: {
    locations: (a: Entity, args: AsOf, ctx: Context) =>
      loadEdges(ctx, ACTOR_LOCATIONS, a.id, args.asOf),
  },
};
