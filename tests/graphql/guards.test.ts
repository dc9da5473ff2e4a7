import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { LIST_SIZES, MAX_QUERY_COST, MAX_RESPONSE_BYTES } from '../../src/graphql/cost.js';
import { MAX_QUERY_DEPTH, SCHEMA } from '../../src/graphql/index.js';
import { fixtureApp, NO_LOAD_SHEDDING, REAL_SEED, seededDb, testConfig } from '../helpers/app.js';
import { gql } from './client.js';

let app: FastifyInstance;
let real: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
  real = await fixtureApp({}, seededDb(REAL_SEED));
});
afterAll(async () => {
  await app.close();
  await real.close();
});

const EVERY_FACT_FIELD = `id provider { slug name kubernetesService kubernetesServiceShort aliases }
  topic { slug title summary aliases dimensionCount factCount }
  dimension { key slug title question baseline keywords divergence { summary severity example migration { direction from { slug } to { slug } note } } }
  variant default value details sources { url title } verified confidence tags`;

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** The refusal of a query over a limit: 400, no data, the limit named in the message and in extensions. */
function expectRefused(answer: Awaited<ReturnType<typeof gql>>, limit: string, code = 'GRAPHQL_VALIDATION_FAILED') {
  expect(answer.status).toBe(400);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors?.[0]?.message).toContain(limit);
  expect(answer.body.errors?.[0]?.extensions).toEqual({ code, limit });
}

describe('POST /graphql cost and size limits', () => {
  it('refuses twelve aliases of a nested cycle before running it, naming MAX_QUERY_COST', async () => {
    const cycle =
      'topics { dimensions { facts { dimension { facts { dimension { facts { dimension { facts { details } } } } } } } } }';
    const answer = await gql(real, aliases(12, cycle));
    expectRefused(answer, 'MAX_QUERY_COST');
    expect(answer.body.errors?.[0]?.message).toMatch(
      new RegExp(`the query would cost \\d+, more than the limit of ${MAX_QUERY_COST}`),
    );
  });

  it('refuses sixty aliases of a full page of facts with their cells', async () => {
    const page = 'facts(first: 200) { edges { node { dimension { facts { id value details } } } } }';
    expectRefused(await gql(real, aliases(60, page)), 'MAX_QUERY_COST');
  });

  it('counts a page by the first it is given, a variable included, on every run of the same query', async () => {
    const query = `query($n: Int) { ${Array.from({ length: 4 }, (_, i) => `a${i}: facts(first: $n) { edges { node { ${EVERY_FACT_FIELD} } } }`).join(' ')} }`;
    const small = await gql(real, query, { n: 2 });
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
    expectRefused(await gql(real, query, { n: 200 }), 'MAX_QUERY_COST');
    expect((await gql(real, query, { n: 2 })).body).toEqual(small.body);
  });

  it('counts fragments where they are spread, however they nest', async () => {
    // each level spreads the one below twice: 2^12 copies of a full fact page in under 200 tokens
    const levels = Array.from(
      { length: 12 },
      (_, i) => `fragment F${i + 1} on Query { ...F${i} b${i}: facts(first: 200) { totalCount } ...F${i} }`,
    );
    const query = `{ ...F12 } fragment F0 on Query { facts(first: 200) { edges { node { id details } } } } ${levels.join(' ')}`;
    expectRefused(await gql(real, query), 'MAX_QUERY_COST');
  });

  it.each([
    [
      'the compare matrix of a topic with every field of its facts',
      `{ compare(topic: "load-balancing") { topic { slug title } providers { slug }
      rows { differs dimension { slug title baseline } divergence { severity summary example migration { direction note } }
        cells { provider { slug name } facts { ${EVERY_FACT_FIELD} } } } } }`,
    ],
    [
      'a page of 200 facts with every field',
      `{ facts(first: 200) { totalCount edges { cursor node { ${EVERY_FACT_FIELD} } } } }`,
    ],
    [
      'every topic with the facts of its dimensions',
      '{ topics { slug dimensions { slug facts { id value sources { url } } } } }',
    ],
    [
      'a question with its rows and citations',
      `{ ask(q: "how does pod IP allocation differ on GKE") { answer
      matches { dimension { title } cells { provider { slug } facts { ${EVERY_FACT_FIELD} } } } citations { url } } }`,
    ],
  ])('answers %s on the real seed', async (_name, query) => {
    const { status, body } = await gql(real, query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('sizes every list of objects in the schema from the snapshot', () => {
    const schema = buildSchema(SCHEMA);
    const objectLists = Object.values(schema.getTypeMap())
      .filter((t) => !t.name.startsWith('__') && 'getInterfaces' in t)
      .flatMap((t) =>
        Object.values((t as { getFields: () => Record<string, { name: string; type: { toString(): string } }> }).getFields())
          .filter(
            (f) =>
              f.type.toString().includes('[') && 'getFields' in (schema.getType(f.type.toString().replace(/[[\]!]/g, '')) ?? {}),
          )
          .map((f) => `${t.name}.${f.name}`),
      );
    expect(objectLists.length).toBeGreaterThan(15);
    expect(objectLists.filter((f) => !(f in LIST_SIZES))).toEqual([]);
  });

  it(`refuses an answer larger than ${MAX_RESPONSE_BYTES} bytes under the cost limit, naming MAX_RESPONSE_BYTES`, async () => {
    const query = aliases(20, 'facts(first: 200) { edges { node { value details } } }');
    const answer = await gql(real, query);
    expectRefused(answer, 'MAX_RESPONSE_BYTES', 'RESPONSE_TOO_LARGE');
    // the same page once is well within both limits
    expect((await gql(real, aliases(1, 'facts(first: 200) { edges { node { value details } } }'))).status).toBe(200);
  });
});

describe('POST /graphql subscriptions', () => {
  it('refuses a subscription as a client error (400, validation) and logs nothing at error level', async () => {
    const lines: { level: number }[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logged = await buildApp(testConfig(), {
      db: seededDb(),
      logger: { level: 'info', stream },
      loadShedding: NO_LOAD_SHEDDING,
    });
    try {
      for (const method of ['POST', 'GET'] as const) {
        const res =
          method === 'POST'
            ? await logged.inject({ method, url: '/graphql', payload: { query: 'subscription { x }' } })
            : await logged.inject({ method, url: `/graphql?query=${encodeURIComponent('subscription { x }')}` });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({
          errors: [
            {
              message: 'subscriptions are not supported: this API answers queries and mutations only',
              locations: [{ line: 1, column: 1 }],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        });
      }
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await logged.close();
    }
  });
});

/** `topic { dimensions { topic { dimensions ... slug } } }` nested to the given depth. */
function cyclicQuery(depth: number): string {
  let inner = 'slug';
  for (let level = depth - 1; level >= 2; level--) inner = `${level % 2 === 0 ? 'dimensions' : 'topic'} { ${inner} }`;
  return `{ topic(slug: "dns") { ${inner} } }`;
}

describe('POST /graphql guards', () => {
  it('runs the deepest query the schema needs', async () => {
    const { status, body } = await gql(
      app,
      '{ compare(topic: "load-balancing") { rows { cells { facts { dimension { divergence { migration { from { slug } } } } } } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('"from":{"slug":"aws"}');
  });

  it(`refuses a query nested deeper than ${MAX_QUERY_DEPTH} levels with 400 and a validation error`, async () => {
    expect((await gql(app, cyclicQuery(MAX_QUERY_DEPTH))).status).toBe(200);
    const { status, body } = await gql(app, cyclicQuery(MAX_QUERY_DEPTH + 1));
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: `unnamedQuery query depth (${MAX_QUERY_DEPTH + 1}) exceeds the query depth limit of ${MAX_QUERY_DEPTH}`,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
  });

  it.each([
    ['facts(first: 201) { totalCount }', 'first: must be an integer from 1 to 200'],
    ['facts(first: 0) { totalCount }', 'first: must be an integer from 1 to 200'],
    ['search(q: "dns", first: 51) { query }', 'first: must be an integer from 1 to 50'],
  ])('caps list sizes: %s is refused naming first', async (field, message) => {
    const { status, body } = await gql(app, `{ ${field} }`);
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT', argument: 'first' } }),
    ]);
  });

  it('answers a syntax error with 400 and GRAPHQL_PARSE_FAILED, without data', async () => {
    const { status, body } = await gql(app, '{ topics { slug ');
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: 'Syntax Error: Expected Name, found <EOF>.',
          locations: [{ line: 1, column: 17 }],
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ],
    });
  });

  it('answers an unknown field with 400 and GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await gql(app, '{ topics { nope } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "nope" on type "Topic".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('answers a variable of the wrong type with 400 and BAD_USER_INPUT', async () => {
    const { status, body } = await gql(app, 'query($n: Int) { facts(first: $n) { totalCount } }', { n: 'many' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('Variable "$n" got invalid value "many"');
  });

  it.each([
    ['a query that is JSON rather than GraphQL', { query: '{}' }],
    ['a JSON null query', { query: 'null' }],
    ['a query that is not a string', { query: 42 }],
    ['variables that are not an object', { query: '{ dataset { version } }', variables: 'x' }],
    ['a body that is not an object', [1, 2]],
  ])('answers %s with 400', async (_name, payload) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: payload as object });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toHaveLength(1);
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errors: [{ message: expect.stringContaining('not valid JSON'), extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers 429 RATE_LIMITED past the per-client rate limit, as REST does', async () => {
    const limited = await fixtureApp({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await gql(limited, '{ providers { slug } }')).status);
      const last = await gql(limited, '{ providers { slug } }');
      expect(statuses).toEqual([200, 200, 429]);
      expect(last.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED' });
    } finally {
      await limited.close();
    }
  });

  it('never answers 5xx to whatever a client sends as a query', async () => {
    const fragments = [
      '{',
      '}',
      '(',
      ')',
      ':',
      '"',
      '$',
      '...',
      'topic',
      'topics',
      'facts',
      'first: ',
      '-1',
      '99999999999',
      'slug',
      '#',
      '@skip',
      'query',
      'mutation',
      'fragment F on Topic',
      '__schema',
      ' ',
      '\n',
      'null',
      '[',
      ']',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((a) => a.join('')),
        ),
        async (query) => {
          const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query } });
          expect(res.statusCode).toBeLessThan(500);
          expect(Array.isArray(res.json().errors) || res.json().data !== undefined).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('GET /graphql', () => {
  it('answers a query in the query string as POST does', async () => {
    const query = '{ compare(topic: "dns", providers: ["aws"]) { rows { differs cells { facts { id } } } } }';
    const get = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}` });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual((await gql(app, query)).body);
  });

  it('takes variables as JSON in the query string', async () => {
    const query = 'query($id: ID!) { fact(id: $id) { value } }';
    const url = `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ id: 'aws/dns/ndots' }))}`;
    const res = await app.inject({ method: 'GET', url });
    expect(res.json()).toEqual({ data: { fact: { value: 'ndots 5' } } });
  });

  it('answers a repeated query parameter with 400', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphql?query=%7Btopics%7Bslug%7D%7D&query=x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe('querystring "query" must be given once');
  });

  it('is not served from the REST response cache and carries no ETag', async () => {
    const url = `/graphql?query=${encodeURIComponent('{ dataset { version } }')}`;
    const before = app.responseCache.size();
    const first = await app.inject({ method: 'GET', url });
    const second = await app.inject({ method: 'GET', url });
    expect(second.json()).toEqual(first.json());
    expect(first.headers.etag).toBeUndefined();
    expect(app.responseCache.size()).toBe(before);
  });
});

describe('GraphQL schema', () => {
  it('keeps introspection on, with the write mutations', async () => {
    const { body } = await gql(
      app,
      '{ __schema { queryType { name } mutationType { name } } __type(name: "Fact") { fields { name } } }',
    );
    expect(body.data).toEqual({
      __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } },
      __type: {
        fields: [
          'id',
          'provider',
          'topic',
          'dimension',
          'variant',
          'default',
          'value',
          'status',
          'key',
          'applies',
          'changes',
          'details',
          'sources',
          'verified',
          'confidence',
          'tags',
        ].map((name) => ({ name })),
      },
    });
  });

  it('answers the same with the compiled (jit) query as on its first, interpreted run', async () => {
    const query = `{ compare(topic: "dns") { rows { differs cells { provider { slug } facts { id sources { url } } } } }
      nope: compare(topic: "nope") { rows { differs } } }`;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await gql(app, query));
    expect(runs[0]?.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'topic' });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('serves GraphiQL at /graphiql', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphiql' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('keeps /graphql and /graphiql out of the OpenAPI document', async () => {
    const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths);
    expect(paths).toContain('/v1/compare');
    expect(paths.filter((p) => p.includes('graph'))).toEqual([]);
  });
});
