import type { LocationType } from '../../model';
import { str } from '../context';
import type { Checked } from '../reader';
import { type Family, original } from './family';
import { keepRefs } from './generic';

/**
 * Places (STIX `location`) become `Location` nodes: name, description, region, country,
 * administrative area, city, coordinates, and what kind of place it is. The claims that link
 * actors, infrastructure and other places to them (`targets`, `located-at`) are the technical
 * family's; the location's own references (created_by_ref, markings) are kept as STIX_REF, as
 * for artifacts, and its JSON whole, so export gives it back unchanged.
 */

/** The producer's own type of place (OpenCTI's `x_opencti_location_type`), normalised. */
const PRODUCER_TYPES: Record<string, LocationType> = Object.assign(Object.create(null), {
  region: 'region',
  country: 'country',
  'administrative-area': 'administrative-area',
  administrativearea: 'administrative-area',
  city: 'city',
  position: 'point',
  point: 'point',
});

/** What kind of place: the producer's own type, else the most precise STIX property set. */
export function locationTypeOf(o: Checked): LocationType {
  const own = str(o.x_opencti_location_type)
    ?.toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (own && PRODUCER_TYPES[own]) return PRODUCER_TYPES[own];
  if (typeof o.latitude === 'number' || str(o.street_address)) return 'point';
  if (str(o.city)) return 'city';
  if (str(o.administrative_area)) return 'administrative-area';
  if (str(o.country)) return 'country';
  if (str(o.region)) return 'region';
  return 'place';
}

export const locations: Family = {
  name: 'location',
  remember(_ctx, o, e) {
    e.name = str(o.name) ?? str(o.city) ?? str(o.country) ?? str(o.region);
  },
  nodes(ctx, o, _file, add) {
    const e = ctx.index.get(o.id)!;
    const node = ctx.nodeOf(o);
    add(
      'Location',
      {
        id: node,
        ...ctx.stixProps(o, e.modified),
        ...original(o),
        name: e.name ?? o.id,
        description: str(o.description),
        locationType: locationTypeOf(o),
        region: str(o.region),
        country: str(o.country),
        administrativeArea: str(o.administrative_area),
        city: str(o.city),
        latitude: typeof o.latitude === 'number' ? o.latitude : undefined,
        longitude: typeof o.longitude === 'number' ? o.longitude : undefined,
      },
      o.id,
    );
    return node;
  },
  links(ctx, o, _file, t) {
    keepRefs(ctx, o, ctx.nodeOf(o), t);
  },
};
