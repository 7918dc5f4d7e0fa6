import type { Checked } from '../reader';
import { actors } from './actors';
import { attribution } from './attribution';
import type { Family } from './family';
import { deprecated, generic } from './generic';
import { incidents } from './incidents';
import { opinions } from './opinions';
import { sources } from './sources';

export type { Family, LinkTools } from './family';
export { generic, refsOf } from './generic';

/** The one dispatch: STIX type -> family. Every other type is kept by the generic family. */
const BY_TYPE: Record<string, Family> = Object.assign(Object.create(null), {
  identity: actors,
  'threat-actor': actors,
  'intrusion-set': actors,
  incident: incidents,
  campaign: incidents,
  report: sources,
  note: sources,
  opinion: opinions,
});

/**
 * The family of an object. Revoked and deprecated objects are kept (generic, flagged), never
 * mapped into the model's views; relationships other than attributed-to are generic.
 */
export function familyOf(o: Checked): Family {
  if (o.revoked === true || deprecated(o)) return generic;
  if (o.type === 'relationship')
    return o.relationship_type === 'attributed-to' ? attribution : generic;
  return BY_TYPE[o.type] ?? generic;
}

export const FAMILIES: Record<string, Family> = Object.fromEntries(
  [actors, incidents, sources, opinions, attribution, generic].map((f) => [f.name, f]),
);
