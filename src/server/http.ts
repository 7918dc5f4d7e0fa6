import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Admission } from '../cache';
import type { Config } from '../config';
import { AppError, ErrorCode } from '../errors';

/** What the GraphQL layer learned about a request, for its log line (see `app.ts`). */
export interface GraphQLOutcome {
  operationName?: string;
  /** Distinct error codes in the response; empty when the request succeeded. */
  errorCodes: string[];
  statements: number;
}

/** Per-request facts the middlewares share, kept on the request object. */
export interface RequestFacts {
  id?: string | number | object;
  graphql?: GraphQLOutcome;
  timedOut?: boolean;
  /** Aborted when the request's deadline passes or its client goes away (see {@link deadline}). */
  signal?: AbortSignal;
  /** Epoch ms of the request's deadline. */
  deadlineAt?: number;
}

export function facts(req: IncomingMessage): RequestFacts {
  return req as IncomingMessage & RequestFacts;
}

/** Header values a client may set as its request id: short, printable, no spaces. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Paths of secrets that must never be written to a log line. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * The process logger: JSON lines on stdout (or `stream`). Tests run silent unless they pass a
 * stream to read the lines.
 */
export function createLogger(config: Config, stream?: DestinationStream): Logger {
  const level = config.NODE_ENV === 'test' && !stream ? 'silent' : config.LOG_LEVEL;
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'attribution' } },
    stream,
  );
}

/**
 * One JSON log line per request: request id (the client's `x-request-id` when well-formed,
 * otherwise a new UUID, echoed in the response either way), method, path, status, duration,
 * the GraphQL operation name, outcome and error codes, and the number of Cypher statements.
 * Bodies and variables are never logged; credentials in headers are redacted.
 */
export function requestLogger(logger: Logger): RequestHandler {
  const outcome = (req: IncomingMessage, res: ServerResponse) => {
    const g = facts(req).graphql;
    const failed = res.statusCode >= 400 || (g?.errorCodes.length ?? 0) > 0;
    return {
      outcome: facts(req).timedOut ? 'timeout' : failed ? 'error' : 'ok',
      ...(g
        ? { operationName: g.operationName, errorCodes: g.errorCodes, statements: g.statements }
        : {}),
    };
  };
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: {
        id: unknown;
        method: string;
        url: string;
        headers: Record<string, unknown>;
      }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        headers: {
          'user-agent': req.headers['user-agent'],
          'content-type': req.headers['content-type'],
          'content-length': req.headers['content-length'],
        },
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessObject: (req, res, val: object) => ({ ...val, ...outcome(req, res) }),
    customErrorObject: (req, res, _err, val: object) => ({ ...val, ...outcome(req, res) }),
    customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${ms}ms`,
    customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
  });
}

/** The body of an error answered outside GraphQL execution, in the GraphQL error shape. */
export function errorBody(code: ErrorCode, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * A deadline for each request: when no response has started after `ms`, the client gets a 503
 * with code TIMEOUT, and the request's AbortSignal fires, so the work stops: `Db` starts no
 * statement after it and gives no transaction a timeout beyond the deadline (Neo4j stops a
 * running one there). The signal also fires once the response is sent (work still running then,
 * e.g. after a 503, is no longer wanted) and when the client goes away before its answer.
 */
export function deadline(ms: number): RequestHandler {
  return (req, res, next) => {
    const abort = new AbortController();
    facts(req).signal = abort.signal;
    facts(req).deadlineAt = Date.now() + ms;
    const timer = setTimeout(() => {
      abort.abort(new Error('deadline'));
      if (res.headersSent) return;
      facts(req).timedOut = true;
      res
        .status(503)
        .set('retry-after', '1')
        .json(
          errorBody(ErrorCode.TIMEOUT, `The request took longer than ${ms} ms and was stopped.`),
        );
    }, ms);
    timer.unref();
    // Once the response is sent or the client is gone, nothing of the request is still wanted.
    const done = () => {
      clearTimeout(timer);
      abort.abort(new Error(res.writableFinished ? 'answered' : 'client gone'));
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}

/**
 * Load shedding at the door: each GraphQL request holds a slot of `gate` until its response is
 * done; beyond the gate's running and queued bounds it is answered at once, before its body is
 * read, with HTTP 503 `SERVICE_UNAVAILABLE` and `Retry-After`. A request whose deadline passes
 * or whose client leaves while it waits leaves the queue (the deadline answers it).
 */
export function admit(gate: Admission): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    gate
      .run(
        () =>
          new Promise<void>((resolve) => {
            if (res.closed) return resolve();
            res.once('close', () => resolve());
            next();
          }),
        facts(req).signal,
      )
      .catch((err: unknown) => {
        if (res.headersSent || facts(req).timedOut) return;
        const e = err instanceof AppError ? err : undefined;
        const http = e?.extensions.http as { headers?: Map<string, string> } | undefined;
        res
          .status(503)
          .set('retry-after', http?.headers?.get('retry-after') ?? '1')
          .json(
            errorBody(
              (e?.extensions.code as ErrorCode) ?? ErrorCode.SERVICE_UNAVAILABLE,
              e?.message ?? 'The server is busy; try again shortly.',
            ),
          );
      });
  };
}

/**
 * The last error handler: malformed JSON is a 400 BAD_REQUEST, a body over the limit a 413
 * PAYLOAD_TOO_LARGE, other client errors keep their status; anything else is a 500
 * INTERNAL_SERVER_ERROR with no detail. Never a stack or an HTML page. An error after the
 * response started (e.g. a request that passed its deadline) is only logged.
 */
export function errorHandler(config: Config): ErrorRequestHandler {
  return (
    err: { type?: string; status?: number; statusCode?: number; message?: string },
    req,
    res,
    _next,
  ) => {
    if (res.headersSent || facts(req).timedOut) {
      req.log?.debug({ err }, 'error after the response started');
      if (!res.writableEnded) res.end();
      return;
    }
    const status = err.status ?? err.statusCode ?? 500;
    if (err.type === 'entity.too.large') {
      res
        .status(413)
        .json(
          errorBody(
            ErrorCode.PAYLOAD_TOO_LARGE,
            `The request body is larger than ${config.MAX_BODY_BYTES} bytes.`,
          ),
        );
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(ErrorCode.BAD_REQUEST, 'The request body is not valid JSON.'));
    } else if (status >= 400 && status < 500) {
      res
        .status(status)
        .json(errorBody(ErrorCode.BAD_REQUEST, err.message ?? 'The request is malformed.'));
    } else {
      req.log?.error({ err }, 'unexpected error');
      res.status(500).json(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
    }
  };
}
