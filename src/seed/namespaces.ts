/**
 * Id namespaces the seed keeps for itself. Ids written through the API may not start with one:
 * an analyst who took `claim-...` or `sony-h6-...` would make a later seed release fail to load
 * (or merge seed facts into the analyst's node). `name-` is the alias-name node the server makes.
 * namespaces.test.ts checks that every seed record other than an actor lies in one of them.
 */
export const SEED_NAMESPACES = [
  'name-',
  'claim-',
  'ev-',
  'src-',
  'rating-',
  'aff-',
  'alias-',
  'sony-',
  'darkseoul-',
  'bangladesh-',
  'wannacry-',
  'outage-',
  'dprk-internet-outage-',
  // The technical half (artifacts and the claims linking them).
  'link-',
  'malware-',
  'tool-',
  'technique-',
  'infrastructure-',
  'indicator-',
  'vulnerability-',
  'file-',
  'ip-',
  'domain-',
  'code-',
] as const;

/** The seed namespace `id` falls in, or null when it is free for the API. */
export function seedNamespace(id: string): string | null {
  return SEED_NAMESPACES.find((p) => id.startsWith(p)) ?? null;
}
