import { ErrorCode } from '../errors';
import { Admission } from './admission';

/** A piece of work the test finishes by hand. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { work: () => done, finish };
}

const codeOf = (err: unknown) => (err as { extensions?: { code?: string } }).extensions?.code;
const tick = () => new Promise((r) => setImmediate(r));

describe('Admission (load shedding)', () => {
  it('runs at most maxRunning at once, queues maxQueued in order, refuses the rest with 503 + Retry-After', async () => {
    const gate = new Admission('analysis', 2, 1, 3);
    const works = [held(), held(), held()];
    const started: number[] = [];
    const runs = works.map((w, i) =>
      gate.run(async () => {
        started.push(i);
        await w.work();
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.stats()).toMatchObject({ running: 2, queued: 1, admitted: 2, shed: 0 });
    const refused = await gate.run(async () => 'never').catch((e: unknown) => e);
    expect(codeOf(refused)).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    const http = (
      refused as { extensions: { http: { status: number; headers: Map<string, string> } } }
    ).extensions.http;
    expect(http.status).toBe(503);
    expect(http.headers.get('retry-after')).toBe('3');
    expect(gate.stats().shed).toBe(1);
    works[0].finish();
    await runs[0];
    await tick();
    expect(started).toEqual([0, 1, 2]); // the queued one took the freed slot
    expect(gate.stats()).toMatchObject({ running: 2, queued: 0, admitted: 3 });
    works[1].finish();
    works[2].finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(gate.stats()).toMatchObject({ running: 0, queued: 0, admitted: 3, shed: 1 });
  });

  it('frees the slot when the work fails', async () => {
    const gate = new Admission('analysis', 1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
    expect(gate.stats()).toMatchObject({ running: 0, shed: 0, admitted: 2 });
  });

  it('drops waiting work whose request ended without running it (TIMEOUT), and keeps the queue for others', async () => {
    const gate = new Admission('analysis', 1, 2);
    const first = held();
    const running = gate.run(first.work);
    const ended = new AbortController();
    let ran = false;
    const gone = gate
      .run(async () => {
        ran = true;
      }, ended.signal)
      .catch((e: unknown) => e);
    const later = gate.run(async () => 'later');
    await tick();
    expect(gate.stats().queued).toBe(2);
    ended.abort();
    expect(codeOf(await gone)).toBe(ErrorCode.TIMEOUT);
    expect(gate.stats().queued).toBe(1);
    first.finish();
    await running;
    expect(await later).toBe('later');
    expect(ran).toBe(false);
    // Already ended before asking: refused at once, nothing queued.
    const busy = held();
    const again = gate.run(busy.work);
    expect(codeOf(await gate.run(async () => 1, ended.signal).catch((e: unknown) => e))).toBe(
      ErrorCode.TIMEOUT,
    );
    busy.finish();
    await again;
    expect(gate.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('is open (no limit, nothing shed) with maxRunning 0', async () => {
    const gate = new Admission('analysis', 0, 0);
    const works = Array.from({ length: 50 }, () => held());
    const runs = works.map((w) => gate.run(w.work));
    works.forEach((w) => w.finish());
    await Promise.all(runs);
    expect(gate.stats().shed).toBe(0);
  });
});
