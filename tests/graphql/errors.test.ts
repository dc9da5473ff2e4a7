import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { describe, expect, it, vi } from 'vitest';
import { formatErrors } from '../../src/graphql/errors.js';

function context() {
  const log = { error: vi.fn() } as unknown as FastifyBaseLogger & { error: ReturnType<typeof vi.fn> };
  return { log, ctx: { app: { log } } as unknown as MercuriusContext };
}

const located = (original: Error) => new GraphQLError(original.message, { path: ['fact'], originalError: original });

describe('GraphQL errorFormatter', () => {
  it('hides the message of a fault of ours, logs it, and keeps the data of the other fields', () => {
    const { log, ctx } = context();
    const out = formatErrors(
      { data: { fact: null, dataset: { version: 'v' } }, errors: [located(new Error('SQLITE_CORRUPT at /srv/db'))] },
      ctx,
    );
    expect(out).toEqual({
      statusCode: 200,
      response: {
        data: { fact: null, dataset: { version: 'v' } },
        errors: [
          { message: 'internal error; the failure was logged', path: ['fact'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
      },
    });
    expect(log.error).toHaveBeenCalledOnce();
  });

  it('reports a kb error that carries a code and a 4xx status under its own code', () => {
    const { log, ctx } = context();
    const conflict = Object.assign(new Error('fact "aws/dns/x" already exists'), { code: 'CONFLICT', statusCode: 409 });
    const out = formatErrors({ data: { createFact: null }, errors: [located(conflict)] }, ctx);
    expect(out.statusCode).toBe(200);
    expect(out.response.errors).toEqual([
      { message: 'fact "aws/dns/x" already exists', path: ['fact'], extensions: { code: 'CONFLICT' } },
    ]);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('answers 500 when a request fails before running for a reason of ours', () => {
    const { ctx } = context();
    const out = formatErrors({ errors: [located(new TypeError('x is undefined'))] }, ctx);
    expect(out.statusCode).toBe(500);
    expect(out.response).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
  });
});
