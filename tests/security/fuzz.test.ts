import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seededDb, testConfig } from '../helpers/app.js';

/**
 * Property-based attacks on every REST endpoint: whatever a client sends, the answer is never a 5xx, and
 * every 4xx has the API's error shape. A few hundred cases by default; `FUZZ_RUNS=5000 npx vitest run
 * tests/security/fuzz.test.ts` for a long run. A failure prints the shrunk request that broke it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const TOKEN = 'fuzz-admin-token-0123456789';

let app: FastifyInstance;
beforeAll(async () => {
  // load shedding off: a long run on a busy machine would (rightly) answer 503s, which are not input bugs
  app = await buildApp(testConfig({ ADMIN_TOKEN: TOKEN }), {
    db: seededDb(),
    loadShedding: { maxEventLoopDelay: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

/** Text a hostile or careless client might type. */
const SYNTAX = [
  '"',
  "'",
  'NEAR(',
  'a OR b AND NOT c',
  '*',
  '^',
  'col:val',
  "'; DROP TABLE facts; --",
  '1=1',
  '" OR ""="',
  '\\',
  '%',
  '%00',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '../',
  '..%2f',
  '#',
  '?',
  '&',
  '=',
  '+',
  '\u0000',
  '\u0007\u001b[31m',
  '\r\n',
  '\u202e',
  '\ufeff',
  '🙂',
  'ǅ',
  '\ud800',
  'ﬁ',
  '<script>alert(1)</script>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template injection is the point of this input
  '${7*7}',
  '__proto__',
  'constructor',
  'aws',
  'gke',
  'dns',
  'load-balancing',
  'cluster-dns-server',
  'gcp/dns/cluster-dns-server#kube-dns',
];
const NUMBERS = ['0', '-1', '1', '50', '200', '201', '1e309', '-0', 'NaN', 'Infinity', '0x10', '1.5', '9'.repeat(400), ' 7 ', ''];

const hostileText = fc.oneof(
  fc.constantFrom(...SYNTAX, ...NUMBERS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...SYNTAX), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' ')),
  fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '"', '*', '-', '/'), minLength: 400, maxLength: 3000 }),
);

/** Lone surrogates become U+FFFD, as a browser sends them (encodeURIComponent throws on them). */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Percent-encodes like a browser, except that the `%…` fragments of SYNTAX also go through raw sometimes. */
function encode(value: string, raw: boolean): string {
  if (raw && /%/.test(value)) return value.replace(/[^%A-Za-z0-9._~-]/g, (c) => encodeURIComponent(wellFormed(c)));
  return encodeURIComponent(wellFormed(value));
}

const queryOf = (names: readonly string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...names, 'unknown', ''), hostileText, fc.boolean()), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v, raw]) => `${k}=${encode(v, raw)}`).join('&'));

const READS: [string, string[]][] = [
  ['/v1/providers', []],
  ['/v1/topics', []],
  ['/v1/facts', ['provider', 'topic', 'dimension', 'tag', 'verified_before', 'limit', 'cursor']],
  ['/v1/compare', ['topic', 'providers']],
  ['/v1/diff', ['from', 'to', 'topic']],
  ['/v1/search', ['q', 'provider', 'topic', 'limit']],
  ['/v1/ask', ['q']],
  ['/v1/dataset', []],
  ['/v1/export', ['format']],
  ['/v1/changes', ['since', 'limit']],
];

function expectSafe(req: InjectOptions | string, res: LightMyRequestResponse): void {
  const label = JSON.stringify(req).slice(0, 500);
  expect(res.statusCode, label).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.headers['content-type'], label).toMatch(/^application\/json/);
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort(), label).toEqual(['error', 'message', 'statusCode']);
    expect(body.statusCode, label).toBe(res.statusCode);
    expect(typeof body.message, label).toBe('string');
  }
}

async function send(req: InjectOptions): Promise<void> {
  expectSafe(req, await app.inject(req));
}

describe('every endpoint under hostile input', () => {
  it('never answers 5xx to any query string on any read endpoint (repeated and unknown parameters included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...READS), fc.integer({ min: 0, max: 1000 }), async ([path, names], seed) => {
        const query = fc.sample(queryOf(names), { seed, numRuns: 1 })[0] ?? '';
        await send({ method: 'GET', url: `${path}?${query}` });
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('never answers 5xx to odd paths under /v1 (fact ids, history, slugs, traversal)', async () => {
    const segment = fc.tuple(hostileText, fc.boolean()).map(([v, raw]) => encode(v, raw));
    const prefix = fc.constantFrom('/v1/facts/', '/v1/topics/', '/v1/', '/v1/facts/aws/dns/', '/', '/docs/', '/graphiql/');
    const suffix = fc.constantFrom('', '/history', '/', '//', '/..', '?x=1');
    await fc.assert(
      fc.asyncProperty(prefix, fc.array(segment, { minLength: 1, maxLength: 5 }), suffix, async (p, segs, s) => {
        await send({ method: 'GET', url: `${p}${segs.join('/')}${s}` });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  const VALID_FACT = {
    provider: 'gcp',
    topic: 'dns',
    dimension: 'cluster-dns-server',
    variant: 'Fuzzed',
    value: 'v',
    details: 'd',
    sources: [{ url: 'https://example.com', title: 't' }],
    verified: '2026-01-01',
    confidence: 'high',
    tags: [],
  };
  const FIELDS = [...Object.keys(VALID_FACT), 'default', '__proto__', 'constructor', 'extra'];
  const mutatedFact = fc
    .array(fc.tuple(fc.constantFrom(...FIELDS), fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }))), { maxLength: 4 })
    .map((changes) => {
      const body: Record<string, unknown> = { ...VALID_FACT };
      for (const [k, v] of changes) Object.defineProperty(body, k, { value: v, enumerable: true, writable: true });
      return body;
    });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('never answers 5xx to any POST /v1/facts body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedFact, fc.jsonValue({ maxDepth: 4 })), async (body) => {
        await send({
          method: 'POST',
          url: '/v1/facts',
          headers: { ...auth, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('never answers 5xx to raw, broken or poisoned JSON bodies and odd content types', async () => {
    const raw = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        '{"value":',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        '{"a":1,"a":2}',
        'null',
        '""',
        '1e999999',
        '\ufeff{}',
      ),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'text/plain',
      'application/xml',
      'multipart/form-data',
      '',
    );
    await fc.assert(
      fc.asyncProperty(raw, type, fc.constantFrom('POST', 'PATCH', 'DELETE'), async (payload, contentType, method) => {
        const url = method === 'POST' ? '/v1/facts' : '/v1/facts/azure%2Fdns%2Fndots';
        await send({
          method: method as 'POST',
          url,
          headers: { ...auth, 'content-type': contentType, 'if-match': '*' },
          payload,
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('never answers 5xx to any PATCH or DELETE of any id with any If-Match', async () => {
    const ids = fc.oneof(
      fc.constantFrom(
        'azure/dns/ndots',
        'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
        'gcp/dns/cluster-dns-server#kube-dns',
        'aws/nope/x',
      ),
      hostileText,
    );
    const ifMatch = fc.option(
      fc.oneof(
        fc.constantFrom('*', '"f-x"', 'W/"f-x"', '', ',', '*, "a"'),
        hostileText.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      ),
    );
    const patch = fc.dictionary(
      fc.constantFrom('value', 'details', 'sources', 'verified', 'confidence', 'tags', 'default', 'variant', 'id'),
      fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 })),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(ids, ifMatch, patch, fc.boolean(), fc.boolean(), async (id, etag, body, isDelete, raw) => {
        const headers: Record<string, string> = { ...auth };
        if (etag !== null) headers['if-match'] = etag;
        const url = `/v1/facts/${encode(id, raw)}`;
        await send(isDelete ? { method: 'DELETE', url, headers } : { method: 'PATCH', url, headers, payload: body });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('never answers 5xx to hostile Authorization headers', async () => {
    const header = fc.oneof(
      fc.constantFrom(
        'Bearer',
        'Bearer ',
        `Bearer ${TOKEN}${TOKEN}`,
        `bearer ${TOKEN}`,
        `Bearer\t${TOKEN}`,
        'Basic',
        'Bearer \u0000',
      ),
      hostileText.map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        await send({ method: 'POST', url: '/v1/facts', headers: { authorization }, payload: {} });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('/mcp under hostile JSON-RPC', () => {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const TOOLS = ['search_facts', 'compare', 'diff', 'ask', 'get_fact', 'list_topics', 'ip_capacity', 'nope', '__proto__'];
  const value = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }));
  const call = fc.record(
    {
      jsonrpc: fc.constantFrom('2.0', '1.0', 2),
      id: fc.oneof(fc.nat(), fc.string({ maxLength: 10 }), fc.constant(null)),
      method: fc.constantFrom('tools/call', 'tools/list', 'initialize', 'ping', 'nope', '__proto__'),
      params: fc.oneof(
        fc.record({
          name: fc.constantFrom(...TOOLS),
          arguments: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), value), value),
        }),
        value,
      ),
    },
    { requiredKeys: [] },
  );

  it('never answers 5xx, and answers every JSON-RPC error with a code of the JSON-RPC specification', async () => {
    const body = fc.oneof(call, fc.array(call, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }));
    const codes = new Set([-32700, -32600, -32601, -32602, -32603, -32000]);
    await fc.assert(
      fc.asyncProperty(body, async (message) => {
        const payload = JSON.stringify(message) ?? 'null';
        const res = await app.inject({ method: 'POST', url: '/mcp', headers, payload });
        const label = payload.slice(0, 300);
        expect(res.statusCode, label).toBeLessThan(500);
        if (res.body === '') return; // notifications and responses only: 202, nothing to answer
        for (const answer of [res.json()].flat() as { error?: { code: number } }[]) {
          if (answer.error) expect(codes.has(answer.error.code), `${label} -> ${res.body.slice(0, 200)}`).toBe(true);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
