import { CacheSet, SingleFlightCache } from './cache';

const value = (n: number) => ({ n });

describe('SingleFlightCache', () => {
  it('loads once for concurrent misses on one key and counts hits, misses and coalesced waits', async () => {
    const c = new SingleFlightCache<{ n: number }>('t', 1000);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 10));
      return { value: value(loads), bytes: 10 };
    };
    const got = await Promise.all([c.get('k', load), c.get('k', load), c.get('k', load)]);
    expect(loads).toBe(1);
    expect(got.map((g) => g.n)).toEqual([1, 1, 1]);
    expect((await c.get('k', load)).n).toBe(1);
    expect(c.stats()).toMatchObject({ hits: 1, misses: 1, coalesced: 2, entries: 1, bytes: 10 });
  });

  it('evicts the least recently used entries to stay within its bytes', async () => {
    const c = new SingleFlightCache<{ n: number }>('t', 100);
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => ({ value: value(1), bytes: 40 }));
    expect(c.stats()).toMatchObject({ entries: 2, bytes: 80, evictions: 1 });
    let reloaded = false;
    await c.get('a', async () => {
      reloaded = true;
      return { value: value(2), bytes: 40 };
    });
    expect(reloaded).toBe(true);
    // An entry bigger than the whole budget is served but not kept.
    await c.get('huge', async () => ({ value: value(3), bytes: 500 }));
    expect(c.stats().entries).toBe(2);
  });

  it('keeps a value under the key its loader names, or nowhere', async () => {
    const c = new SingleFlightCache<{ n: number }>('t', 1000);
    await c.get('x|r1', async () => ({ value: value(1), bytes: 1, key: 'x|r2' }));
    let loaded = false;
    expect(
      (await c.get('x|r2', async () => ((loaded = true), { value: value(9), bytes: 1 }))).n,
    ).toBe(1);
    expect(loaded).toBe(false);
    await c.get('y', async () => ({ value: value(1), bytes: 1, key: null }));
    expect(c.stats().entries).toBe(1);
  });

  it('does not keep a failed load, and the next caller loads again', async () => {
    const c = new SingleFlightCache<{ n: number }>('t', 1000);
    await expect(c.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await c.get('k', async () => ({ value: value(2), bytes: 1 }))).n).toBe(2);
  });

  it('caches nothing with a budget of 0, but still coalesces concurrent loads', async () => {
    const set = new CacheSet(0);
    expect(set.enabled).toBe(false);
    const c = set.of<{ n: number }>('off', 1);
    let loads = 0;
    const load = async () => ({ value: value((loads += 1)), bytes: 1 });
    await Promise.all([c.get('k', load), c.get('k', load)]);
    await c.get('k', load);
    expect(loads).toBe(2);
    expect(set.stats()[0]).toMatchObject({ name: 'off', entries: 0, maxBytes: 0 });
  });
});
