import { AppError, ErrorCode } from '../errors';

/** Counters of one {@link Admission} since the process started. */
export interface AdmissionStats {
  name: string;
  /** Work running now. */
  running: number;
  /** Work waiting for a slot now. */
  queued: number;
  /** Work that ran (at once or after waiting). */
  admitted: number;
  /** Work refused because the queue was full (answered SERVICE_UNAVAILABLE, HTTP 503). */
  shed: number;
  maxRunning: number;
  maxQueued: number;
}

/**
 * Load shedding for expensive work (an incident's analysis on a cache miss): at most
 * `maxRunning` run at once, at most `maxQueued` wait for a slot, and beyond that the work is
 * refused at once with SERVICE_UNAVAILABLE (HTTP 503, `Retry-After`), so an overload costs a
 * short answer instead of memory and latency for everyone: what waits is bounded, hence the
 * memory it holds and the time it waits (queue length / throughput). Waiting work whose request
 * ended (deadline passed, client gone) leaves the queue without running. `maxRunning` 0 turns
 * the gate off (everything runs at once, nothing is shed).
 */
export class Admission {
  private running = 0;
  private readonly waiting: { start: () => void }[] = [];
  private readonly counts = { admitted: 0, shed: 0 };

  constructor(
    readonly name: string,
    readonly maxRunning: number,
    readonly maxQueued: number,
    /** Seconds a refused client is told to wait (`Retry-After`). */
    readonly retryAfterS = 1,
  ) {}

  static readonly open = new Admission('open', 0, 0);

  /** Runs `work` when a slot is free; refuses it (503) when the queue is full. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.maxRunning <= 0) return work();
    if (this.running >= this.maxRunning) {
      if (signal?.aborted) throw ended();
      if (this.waiting.length >= this.maxQueued) {
        this.counts.shed += 1;
        throw overloaded(this.name, this.retryAfterS);
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(ended());
        };
        const entry = {
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        this.waiting.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else this.running += 1;
    this.counts.admitted += 1;
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the next waiter (the slot stays taken), or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running -= 1;
  }

  stats(): AdmissionStats {
    return {
      name: this.name,
      running: this.running,
      queued: this.waiting.length,
      ...this.counts,
      maxRunning: this.maxRunning,
      maxQueued: this.maxQueued,
    };
  }
}

function overloaded(name: string, retryAfterS: number): AppError {
  return new AppError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The server is busy (too much work waiting); try again shortly.',
    {
      limit: name,
      http: { status: 503, headers: new Map([['retry-after', String(retryAfterS)]]) },
    },
  );
}

function ended(): AppError {
  return new AppError(
    ErrorCode.TIMEOUT,
    'The request ended (deadline or client gone) while its work waited; it was not run.',
    { http: { status: 503, headers: new Map([['retry-after', '1']]) } },
  );
}
