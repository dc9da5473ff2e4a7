import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_DEPTH } from '../../src/graphql/index.js';
import { fixtureApp } from '../helpers/app.js';
import { gql } from './client.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
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
