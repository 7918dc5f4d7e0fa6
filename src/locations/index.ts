export { locationResolvers } from './resolvers';
export { ACTOR_LOCATIONS, LOCATION_LINKS } from './queries';
