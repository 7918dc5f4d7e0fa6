import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { AppError, ErrorCode } from '../errors';
import type { RateLimitStatus } from '../graph/context';

/** Seconds a client should wait, for `Retry-After` (at least 1). */
function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

function limited(message: string, seconds: number): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, message, {
    retryAfter: seconds,
    http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) },
  });
}

/**
 * The server's rate limits, in memory per process (rate-limiter-flexible's RateLimiterMemory; a
 * cluster of servers would use its Redis store): requests per client address, and cost points
 * per caller (the API key when one is sent, otherwise the address) per window. Over either
 * limit: HTTP 429, code RATE_LIMITED, `Retry-After` in seconds. A refused request still counts.
 */
export class RateLimits {
  private readonly requests: RateLimiterMemory | null;
  private readonly points: RateLimiterMemory | null;
  readonly window: number;

  constructor(
    config: Pick<Config, 'RATE_LIMIT_WINDOW_S' | 'RATE_LIMIT_REQUESTS' | 'RATE_LIMIT_POINTS'>,
  ) {
    this.window = config.RATE_LIMIT_WINDOW_S;
    this.requests = config.RATE_LIMIT_REQUESTS
      ? new RateLimiterMemory({ points: config.RATE_LIMIT_REQUESTS, duration: this.window })
      : null;
    this.points = config.RATE_LIMIT_POINTS
      ? new RateLimiterMemory({ points: config.RATE_LIMIT_POINTS, duration: this.window })
      : null;
  }

  /** Express middleware: counts each request against its address; 429 past the limit. */
  perAddress(): RequestHandler {
    return async (req, res, next) => {
      if (!this.requests) return next();
      try {
        await this.requests.consume(addressOf(req.socket.remoteAddress));
        next();
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) return next(err);
        const seconds = retryAfter(err);
        res
          .status(429)
          .set('retry-after', String(seconds))
          .json({
            errors: [
              {
                message: `Too many requests from this address: at most ${this.requests.points} per ${this.window} s. Retry after ${seconds} s.`,
                extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: seconds },
              },
            ],
          });
      }
    };
  }

  /**
   * Charges `cost` points to `caller`; refuses with RATE_LIMITED (HTTP 429, `Retry-After`) when
   * the window has not that many left. Null when point limits are off.
   */
  async charge(caller: string, cost: number): Promise<RateLimitStatus | null> {
    if (!this.points) return null;
    const limit = this.points.points;
    try {
      const r = await this.points.consume(caller, cost);
      return {
        limit,
        cost,
        used: r.consumedPoints,
        remaining: r.remainingPoints,
        resetAt: new Date(Date.now() + r.msBeforeNext),
      };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = retryAfter(err);
      throw limited(
        `Rate limit exceeded: this query costs ${cost} points and ${Math.max(0, limit - (err.consumedPoints - cost))} of ${limit} are left in this ${this.window} s window. Retry after ${seconds} s.`,
        seconds,
      );
    }
  }
}

/** One caller per client address, IPv4-mapped IPv6 folded into IPv4. */
export function addressOf(remote: string | undefined): string {
  return `ip:${(remote ?? 'unknown').replace(/^::ffff:/, '')}`;
}
