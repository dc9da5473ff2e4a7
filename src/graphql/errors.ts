import type { FastifyBaseLogger } from 'fastify';
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { BadInputError, NotFoundError } from '../kb/errors.js';
import { QueryLimitError } from './cost.js';

/**
 * GraphQL errors in one shape: `{ message, locations?, path?, extensions: { code, argument? } }`.
 * - A request Cloudiff cannot run (syntax, validation, depth, bad variables, bad body) answers HTTP 400 with
 *   no `data`; a body too large or of the wrong type keeps Fastify's 413/415.
 * - Errors while executing answer HTTP 200 with `data` (the failed field null): BAD_USER_INPUT naming the
 *   argument for a bad value (the kb's BadInputError), NOT_FOUND for an unknown id or slug, and the `code`
 *   of any other kb error that carries a 4xx `statusCode` (CONFLICT, PRECONDITION_FAILED … for mutations).
 * - Anything else is a fault of ours: logged, and its message replaced so nothing internal leaks.
 */

export const CODES = {
  parse: 'GRAPHQL_PARSE_FAILED',
  validation: 'GRAPHQL_VALIDATION_FAILED',
  badInput: 'BAD_USER_INPUT',
  badRequest: 'BAD_REQUEST',
  rateLimited: 'RATE_LIMITED',
  responseTooLarge: 'RESPONSE_TOO_LARGE',
  notFound: 'NOT_FOUND',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

const INTERNAL_MESSAGE = 'internal error; the failure was logged';

interface Classified {
  status: number;
  error: GraphQLFormattedError;
}

type WithStatus = Error & { statusCode?: number; code?: string; errors?: unknown[] };

// Mercurius loads graphql's CommonJS build and ESM code may load the other one: no `instanceof GraphQLError`.
const isGraphQLError = (err: Error): err is GraphQLError => err.name === 'GraphQLError';

function formatted(err: GraphQLError | Error, message: string, extensions: Record<string, unknown>): GraphQLFormattedError {
  const gql = isGraphQLError(err) ? err : undefined;
  return {
    message,
    ...(gql?.locations ? { locations: gql.locations } : {}),
    ...(gql?.path ? { path: gql.path } : {}),
    extensions,
  };
}

/** The answer to a request refused by a limit: 400, no `data`, the limit named in the message and the extensions. */
export function limitErrorBody(err: QueryLimitError): ExecutionResult {
  return { errors: [limitError(err) as unknown as GraphQLError] };
}

const limitError = (err: QueryLimitError) =>
  formatted(err, err.message, {
    code: err.limit === 'MAX_QUERY_COST' ? CODES.validation : CODES.responseTooLarge,
    limit: err.limit,
  });

/** One error of a request that did not run (what Mercurius gathers before execution). */
function requestError(err: WithStatus): GraphQLFormattedError {
  if (err instanceof QueryLimitError) return limitError(err);
  if (err.code === 'MER_ERR_GQL_QUERY_DEPTH') return formatted(err, err.message.replaceAll('`', ''), { code: CODES.validation });
  if (isGraphQLError(err)) {
    if (err.message.startsWith('Syntax Error')) return formatted(err, err.message, { code: CODES.parse });
    if (err.message.startsWith('Variable "$')) return formatted(err, err.message, { code: CODES.badInput });
    return formatted(err, err.message, { code: CODES.validation });
  }
  return formatted(err, err.message, { code: err.statusCode === 429 ? CODES.rateLimited : CODES.badRequest });
}

/**
 * A kb error that states its own code and a 4xx status (the write API's ConflictError and its kind), or 503 for
 * a write the database cannot take (WritesUnavailableError: its message says why and leaks nothing).
 */
function isClientError(err: WithStatus | undefined): err is WithStatus & { code: string } {
  const status = err?.statusCode;
  return typeof err?.code === 'string' && typeof status === 'number' && ((status >= 400 && status < 500) || status === 503);
}

function classify(err: GraphQLError, executed: boolean, log: FastifyBaseLogger): Classified[] {
  const original = err.originalError as WithStatus | undefined;
  if (original instanceof BadInputError) {
    return [{ status: 200, error: formatted(err, err.message, { code: CODES.badInput, argument: original.param }) }];
  }
  if (original instanceof NotFoundError) return [{ status: 200, error: formatted(err, err.message, { code: CODES.notFound }) }];
  if (executed && isClientError(original)) return [{ status: 200, error: formatted(err, err.message, { code: original.code }) }];
  if (!executed) {
    // Mercurius wraps what fails before execution (syntax, validation, depth, body schema) in one error
    const inner = Array.isArray(original?.errors) ? (original.errors as WithStatus[]) : [original ?? err];
    // a bare GraphQLError here is the client's (syntax, variables); an Error without a status is ours
    const status = original ? (original.statusCode ?? 500) : 400;
    if (status >= 400 && status < 500) return inner.map((e) => ({ status, error: requestError(e) }));
  }
  log.error({ err: original ?? err }, 'graphql request failed');
  return [{ status: executed ? 200 : 500, error: formatted(err, INTERNAL_MESSAGE, { code: CODES.internal }) }];
}

/** Mercurius' `errorFormatter`: the HTTP status and body of any answer that carries errors. */
export function formatErrors(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  context: MercuriusContext,
): { statusCode: number; response: ExecutionResult } {
  const log = context.reply?.log ?? context.app.log;
  // `data` is absent when the request never ran, present (maybe null) once it did
  const executed = 'data' in execution && execution.data !== undefined;
  const classified = execution.errors.flatMap((e) => classify(e, executed, log));
  const statusCode = classified.reduce((max, c) => Math.max(max, c.status), 200);
  const errors = classified.map((c) => c.error) as unknown as GraphQLError[];
  return { statusCode, response: executed ? { data: execution.data, errors } : { errors } };
}
