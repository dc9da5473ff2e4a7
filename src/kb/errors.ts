import { STATUS_CODES } from 'node:http';

/**
 * A client asked for something wrong: REST answers 400, GraphQL BAD_USER_INPUT, the CLI exits 2. Each names the
 * parameter its own way (`query parameter "limit"`, the argument `first`), so `param` and `detail` stay apart.
 */
export class BadInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly param: string,
    /** What is wrong with the value, without the parameter's name. */
    readonly detail: string,
  ) {
    super(`${param}: ${detail}`);
    this.name = 'BadInputError';
  }
}

/** Something named does not exist: REST answers 404, GraphQL NOT_FOUND, the CLI exits 1. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Lists valid values in a message while the list stays short enough to read. */
export function listValues(values: readonly string[], max = 20): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown}, … (${values.length} in all)` : shown;
}

/**
 * Errors of the write API. `code` is what GraphQL and the CLI report; `statusCode` is the HTTP status the
 * REST error handler answers with (it keeps any 4xx `statusCode` of an error), so REST needs no mapping table.
 */
abstract class WriteError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The fact exists already, or the change would break a cell's rules. */
export class ConflictError extends WriteError {
  readonly code = 'CONFLICT';
  readonly statusCode = 409;
}

/** The client's `If-Match` names a version of the fact that is no longer current (someone else wrote first). */
export class PreconditionFailedError extends WriteError {
  readonly code = 'PRECONDITION_FAILED';
  readonly statusCode = 412;
}

/** The database cannot take writes (read-only, deleted, full disk): nothing was written, and the message says why. */
export class WritesUnavailableError extends WriteError {
  readonly code = 'UNAVAILABLE';
  readonly statusCode = 503;
}

/** A change to an existing fact must say which version it was based on (`If-Match`), so no edit is lost. */
export class PreconditionRequiredError extends WriteError {
  readonly code = 'PRECONDITION_REQUIRED';
  readonly statusCode = 428;
}

/**
 * The one error body every interface answers with: `{ statusCode, error, message }` (REST, the MCP endpoint's
 * HTTP errors). It lives here, below the interfaces, because every interface turns these errors into it.
 */
export function errorBody(statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
