import { GraphQLError } from 'graphql';
import { Neo4jError, isRetryableError } from 'neo4j-driver';

/** The one error vocabulary of the API: every error a client sees carries one of these codes. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  TIMEOUT = 'TIMEOUT',
  /** Too many requests or too much cost in the rate-limit window (HTTP 429, `Retry-After`). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The request asked the database for more than one request may (statements per request). */
  BUDGET_EXCEEDED = 'BUDGET_EXCEEDED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** HTTP-level: the body is not valid JSON, or the request is otherwise malformed (400). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** HTTP-level: the body is larger than MAX_BODY_BYTES (413). */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
}

/** A GraphQL error with a code from {@link ErrorCode} in `extensions.code`. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }
}

/** Shorthand for the most common client error: a bad argument, named. */
export function badInput(argument: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, `${argument}: ${message}`, { argument });
}

/**
 * Translates a database error into the API's vocabulary, in one place: outages become
 * SERVICE_UNAVAILABLE, transaction time-outs TIMEOUT, constraint violations CONFLICT.
 * Anything else is returned unchanged (and masked later outside development).
 */
export function translateDbError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof Error && /connection acquisition timed out/i.test(err.message)) {
    // Every pooled connection is busy: the database is saturated, not the request malformed.
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is busy; try again shortly.');
  }
  if (err instanceof Neo4jError) {
    const code = err.code ?? '';
    if (code === 'ServiceUnavailable' || code === 'SessionExpired' || isRetryableError(err)) {
      return new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'The database is unavailable; try again shortly.',
      );
    }
    if (
      code.includes('TransactionTimedOut') ||
      code.includes('TransactionTimedOutClientConfiguration')
    ) {
      return new AppError(ErrorCode.TIMEOUT, 'The query took too long and was stopped.');
    }
    if (
      code === 'Neo.ClientError.Procedure.ProcedureCallFailed' &&
      /queryparser|ParseException|TooManyClauses|Cannot parse/i.test(err.message)
    ) {
      // Lucene refused a full-text query: the words asked for, never the server, are at fault.
      return new AppError(
        ErrorCode.BAD_USER_INPUT,
        'text: the search text could not be searched; use plain words.',
        { argument: 'text' },
      );
    }
    if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      // Neo4j names the clashing value: "... with label `Entity` and property `id` = 'fbi'".
      const id = /property `id` = '((?:[^'\\]|\\.)*)'/.exec(err.message)?.[1];
      return new AppError(
        ErrorCode.CONFLICT,
        id ? `An entity with id "${id}" already exists.` : 'An entity with this id already exists.',
        id ? { id } : {},
      );
    }
  }
  return err;
}
