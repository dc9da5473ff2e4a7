import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildSchema, type GraphQLField, type GraphQLObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_COST, queryCost } from '../../src/graphql/cost.js';
import { MAX_QUERY_DEPTH, SCHEMA } from '../../src/graphql/index.js';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';
import { gql } from './client.js';

let real: FastifyInstance;
beforeAll(async () => {
  real = await fixtureApp({}, seededDb(REAL_SEED));
});
afterAll(async () => {
  await real.close();
});

const schema = buildSchema(SCHEMA);

/** Values for the arguments a generated query passes (required ones always, optional ones sometimes). */
const ARGUMENTS: Record<string, string[]> = {
  slug: ['"dns"', '"ip-allocation"', '"load-balancing"'],
  topic: ['"dns"', '"pod-networking"', '"egress"'],
  id: ['"gcp/ip-allocation/per-node-pod-range"', '"aws/dns/cluster-dns-server"'],
  from: ['"aws"', '"azure"'],
  to: ['"gcp"'],
  q: ['"dns"', '"pod ip range"', '"how does pod IP allocation differ on GKE"'],
  provider: ['"gke"', '"aws"'],
  providers: ['["aws", "gcp"]', '["azure"]'],
  first: ['1', '7', '50', '200'],
};

const typeName = (t: { toString(): string }) => t.toString().replace(/[[\]!]/g, '');

/** A random selection of `type`'s fields, `depth` levels deep at most, some of them aliased. */
function selection(type: GraphQLObjectType, depth: number, pick: (n: number) => number): string {
  const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
  const chosen = Array.from({ length: 1 + pick(4) }, () => fields[pick(fields.length)] as GraphQLField<unknown, unknown>);
  return chosen
    .map((f, i) => {
      const args = f.args
        .filter((a) => a.type.toString().endsWith('!') || pick(3) === 0)
        .flatMap((a) => {
          const values = ARGUMENTS[a.name];
          return values ? [`${a.name}: ${values[pick(values.length)]}`] : [];
        });
      const call = `${pick(3) === 0 ? `x${i}: ` : ''}${f.name}${args.length ? `(${args.join(', ')})` : ''}`;
      const child = schema.getType(typeName(f.type));
      if (!child || !('getFields' in child) || !('getInterfaces' in child)) return call;
      const inner = depth > 1 ? selection(child as GraphQLObjectType, depth - 1, pick) : firstScalar(child as GraphQLObjectType);
      return `${call} { ${inner} }`;
    })
    .join(' ');
}

function firstScalar(type: GraphQLObjectType): string {
  const scalar = Object.values(type.getFields()).find((f) => !('getFields' in (schema.getType(typeName(f.type)) ?? {})));
  return scalar?.name ?? '__typename';
}

/** How deep the query's selections nest (Mercurius refuses more than MAX_QUERY_DEPTH before any cost is counted). */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '{') max = Math.max(max, ++depth);
    if (c === '}') depth--;
  }
  return max - 1;
}

/** Every key of an answer, at every level and in every list item: the fields the server resolved. */
function fieldsAnswered(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + fieldsAnswered(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce((n: number, v) => n + 1 + fieldsAnswered(v), 0);
}

describe('the GraphQL query cost', () => {
  it('is never below the number of fields the answer holds, for any query over the schema', async () => {
    const query = schema.getQueryType() as GraphQLObjectType;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), async (choices) => {
        let at = 0;
        const pick = (n: number) => (choices[at++ % choices.length] ?? 0) % n;
        const text = `{ ${selection(query, 2 + pick(4), pick)} }`;
        const cost = queryCost(schema, real.kb.snapshot(), parse(text));
        const { status, body } = await gql(real, text);
        // a query the generator made invalid (too deep, or aliases whose fields conflict) is refused by validation,
        // before any cost is counted: a client error, never an answer
        const refusedInvalid =
          body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && body.errors[0].extensions.limit === undefined;
        if (depthOf(text) > MAX_QUERY_DEPTH || refusedInvalid) {
          expect(status).toBe(400);
          expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
          return;
        }
        if (cost > MAX_QUERY_COST) {
          expect(status).toBe(400);
          expect(body.errors?.[0]?.extensions).toMatchObject({ limit: 'MAX_QUERY_COST' });
          return;
        }
        expect(status).toBeLessThan(500);
        expect(fieldsAnswered(body.data), text).toBeLessThanOrEqual(cost);
        if (body.data) answered++;
      }),
      { numRuns: 60 },
    );
    expect(answered).toBeGreaterThan(20);
  });
});
