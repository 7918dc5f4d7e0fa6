import { EVENT_TYPE, EVIDENCE_TYPE, EXTENSION_ID, TOOL_IDENTITY_ID } from '../model';
import type { Checked } from '../reader';
import { actors } from './actors';
import { ARTIFACT_STIX_TYPES, artifacts } from './artifacts';
import { attribution } from './attribution';
import { events } from './events';
import { evidence } from './evidence';
import type { Family } from './family';
import { deprecated, generic } from './generic';
import { incidents } from './incidents';
import { locations } from './locations';
import { observations } from './observations';
import { opinions } from './opinions';
import { sources } from './sources';
import { TECHNICAL_RELATIONSHIPS, technical } from './technical';

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
  grouping: sources,
  location: locations,
  'observed-data': observations,
  opinion: opinions,
  [EVIDENCE_TYPE]: evidence,
  [EVENT_TYPE]: events,
  ...Object.fromEntries(ARTIFACT_STIX_TYPES.map((t) => [t, artifacts])),
});

/**
 * The family of an object. Revoked and deprecated objects are kept (generic, flagged), never
 * mapped into the model's views; attributed-to relationships make hypotheses, technical ones
 * (uses, communicates-with, ...) technical-link claims, and the others are generic.
 */
export function familyOf(o: Checked): Family {
  if (o.id === EXTENSION_ID || o.id === TOOL_IDENTITY_ID) return own;
  if (o.revoked === true || deprecated(o)) return generic;
  if (o.type === 'relationship')
    return o.relationship_type === 'attributed-to' ||
      (o.relationship_type === 'related-to' && typeof o.x_attribution_hypothesis === 'string')
      ? attribution
      : TECHNICAL_RELATIONSHIPS[o.relationship_type as string] ||
          typeof o.x_attribution_link === 'string'
        ? technical
        : generic;
  return BY_TYPE[o.type] ?? generic;
}

/**
 * This tool's own extension definition and identity (in every export): they describe the
 * format, not the record, so an import holds nothing for them (counted unchanged).
 */
export const own: Family = {
  name: 'own',
  nodes: () => undefined,
  links() {},
};

export const FAMILIES: Record<string, Family> = Object.fromEntries(
  [
    actors,
    incidents,
    sources,
    opinions,
    attribution,
    evidence,
    events,
    artifacts,
    locations,
    observations,
    technical,
    generic,
    own,
  ].map((f) => [f.name, f]),
);
