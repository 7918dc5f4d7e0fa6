import { cypher } from '../db';
import { edgeCypher, type EdgeItem } from '../artifacts';

/** A place's links (TARGETS, LOCATED_AT), both ways, with the claims on record behind each. */
export const LOCATION_LINKS = cypher<{ id: string; items: EdgeItem[] }>(
  'locationLinks',
  edgeCypher('(n:Location)-[r:TARGETS|LOCATED_AT]-(m:Entity)'),
);

/** The places an actor is claimed to target or to be located at. */
export const ACTOR_LOCATIONS = cypher<{ id: string; items: EdgeItem[] }>(
  'actorLocations',
  edgeCypher('(n:Actor)-[r:TARGETS|LOCATED_AT]->(m:Location)'),
);
