import { readSeed } from './read';
import { SEED_NAMESPACES, seedNamespace } from './namespaces';
import { SEED_DIR } from '.';

describe('seed namespaces', () => {
  const seed = readSeed(SEED_DIR);

  it('hold every seed record that is not an actor (actors are taken by id once loaded)', () => {
    const { actors: _actors, ...rest } = seed;
    const ids = Object.values(rest).flatMap((records) =>
      (records as { id: string; ratings?: { id: string }[] }[]).flatMap((r) => [
        r.id,
        ...(r.ratings ?? []).map((x) => x.id),
      ]),
    );
    expect(ids.length).toBeGreaterThan(250);
    expect(ids.filter((id) => seedNamespace(id) === null)).toEqual([]);
  });

  it('leave the README example ids and ordinary slugs free', () => {
    for (const id of ['example-cti-team', 'example-cti-sony-h1', 'mandiant', 'lazarus-2'])
      expect(seedNamespace(id)).toBeNull();
    expect(seedNamespace('claim-x')).toBe('claim-');
    expect(seedNamespace('sony-h6-someone')).toBe('sony-');
    expect(SEED_NAMESPACES).toContain('name-');
  });
});
