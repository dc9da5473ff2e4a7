import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.js';
import { type AttackServer, attackServer, auth, raw } from './harness.js';

/** Generated requests per check; each is one HTTP round trip to loopback, bounded in time as well by interruptAfterTimeLimit. */
const RUNS = 300;
const TIME_LIMIT_MS = 25_000;

interface Operation {
  method: string;
  path: string;
  params: { in: string; name: string }[];
}

const spec = JSON.parse(readFileSync(join(ROOT, 'openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
};
const OPERATIONS: Operation[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, params: op.parameters ?? [] })),
);

const PROTO = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const SYNTAX = [
  '"',
  'NEAR(a b',
  'a OR b AND NOT',
  '*',
  '^x',
  'col:val',
  'title:x',
  "'; DROP TABLE facts; --",
  '" OR ""="',
  ')(',
  '{a b}',
  '\\',
  '%00',
  '\u0000',
  '\u001b[2J\u0007',
  '\u202e',
  '\ufeff',
  '\ud800',
  '🙂',
  '\u0002x\u0003',
];

/** What a hostile client puts in one parameter's place: random, unicode, huge, syntax, prototype keys. */
const value = fc.oneof(
  fc.constantFrom(...PROTO, ...SYNTAX, '', '0', '-1', '1e309', 'NaN', '9'.repeat(500)),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 2_000, maxLength: 6_000 }),
  fc.integer().map(String),
);
const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    // a lone surrogate: send its raw bytes percent-encoded as a sloppy client would
    return Buffer.from(v, 'latin1').toString('hex').replace(/../g, '%$&');
  }
};

/** A query string: each parameter absent, once, repeated, as an array (`a[]=`), or under a prototype key. */
const query = (names: string[]) =>
  fc
    .tuple(
      fc.array(
        fc.record({
          name: fc.oneof(
            fc.constantFrom(...names, ...PROTO),
            fc.constantFrom(...names).map((n) => `${n}[]`),
            fc.string({ maxLength: 10 }),
          ),
          values: fc.array(value, { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 6 },
      ),
    )
    .map(([pairs]) => pairs.flatMap(({ name, values }) => values.map((v) => `${encode(name)}=${encode(v)}`)).join('&'));

const request = fc.constantFrom(...OPERATIONS).chain((op) =>
  fc.record({
    op: fc.constant(op),
    path: fc.array(value, { minLength: 4, maxLength: 4 }).map((vs) => {
      let i = 0;
      return op.path.replace(/\{[^}]+\}/g, () => encode(vs[i++] ?? ''));
    }),
    query: query(
      op.params
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .concat(['fields', 'format']),
    ),
    body: fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom(...PROTO, 'value', 'q', 'sources'), value),
    ),
    withToken: fc.boolean(),
    ifMatch: fc.option(fc.constantFrom('*', '"x"', 'W/"x"', '', ...PROTO)),
  }),
);

let server: AttackServer;
beforeAll(async () => {
  server = await attackServer();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

describe('REST parameters fuzzed against the real server', () => {
  it('never answers 5xx to any generated parameter of any route in openapi.json', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ op, path, query, body, withToken, ifMatch }) => {
        const url = `${server.url}${path}${query ? `?${query}` : ''}`;
        const headers: Record<string, string> = { ...(withToken ? auth : {}) };
        if (ifMatch !== null) headers['if-match'] = ifMatch;
        const hasBody = body !== undefined && op.method !== 'GET' && op.method !== 'HEAD';
        if (hasBody) headers['content-type'] = 'application/json';
        const res = await fetch(url, {
          method: op.method,
          headers,
          body: hasBody ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        expect(res.status, `${op.method} ${url.slice(0, 300)} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(text)).toMatchObject({ statusCode: res.status });
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    expect(server.child.exitCode).toBeNull();
  });

  it('answers FTS5 and SQL syntax in search and ask without a 5xx', async () => {
    const text = fc.oneof(
      fc
        .array(fc.constantFrom(...SYNTAX, 'AND', 'OR', 'NOT', 'NEAR', '(', ')', '"', '*', 'ndots', ':', '-', '+'), {
          minLength: 1,
          maxLength: 8,
        })
        .map((a) => a.join(' ')),
      fc.array(fc.constantFrom(...SYNTAX), { minLength: 1, maxLength: 5 }).map((a) => a.join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/search', '/v1/ask'), text, async (route, q) => {
        const res = await fetch(`${server.url}${route}?q=${encode(q)}`, { signal: AbortSignal.timeout(10_000) });
        expect(res.status, `${route} q=${JSON.stringify(q)}: ${await res.text()}`).toBeLessThan(500);
      }),
      { numRuns: 120, interruptAfterTimeLimit: 15_000 },
    );
  });

  it('answers oversize URLs and headers with a 4xx (414/431), never a 5xx', async () => {
    const sizes = fc.sample(fc.integer({ min: 17_000, max: 200_000 }), 6);
    for (const n of sizes) {
      const long = await raw(server.port, `GET /v1/search?q=${'a'.repeat(n)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(long.statuses.length, long.text.slice(0, 200)).toBeLessThanOrEqual(1);
      if (long.statuses[0] !== undefined) expect(long.statuses[0]).toBeGreaterThanOrEqual(400);
      if (long.statuses[0] !== undefined) expect(long.statuses[0]).toBeLessThan(500);
      const header = await raw(server.port, `GET /v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(n)}\r\n\r\n`);
      expect(header.statuses, header.text.slice(0, 200)).toEqual([431]);
      const many = await raw(
        server.port,
        `GET /v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: Math.ceil(n / 4) }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
      );
      expect(many.statuses, many.text.slice(0, 200)).toEqual([431]);
    }
    // a long path within the header limit: the router's bound, a 4xx in the error shape
    const res = await fetch(`${server.url}/v1/facts/${'x'.repeat(12_000)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

/** Framings that make a front proxy and the server disagree on where a request ends. */
const SMUGGLE = {
  'CL+TE': (cl: number, body: string) => `Content-Length: ${cl}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${body}`,
  'TE+CL': (cl: number, body: string) => `Transfer-Encoding: chunked\r\nContent-Length: ${cl}\r\n\r\n0\r\n\r\n${body}`,
  'duplicate CL': (cl: number, body: string) => `Content-Length: ${cl}\r\nContent-Length: ${cl + 7}\r\n\r\n${body}`,
  'CL list': (cl: number, body: string) => `Content-Length: ${cl}, ${cl + 7}\r\n\r\n${body}`,
  'obs-fold TE': (_cl: number, body: string) => `Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${body}`,
  'obs-fold header': (cl: number, body: string) => `X-Folded: a\r\n b\r\nContent-Length: ${cl}\r\n\r\n${body}`,
  'TE obfuscated': (cl: number, body: string) =>
    `Transfer-Encoding: chunked, identity\r\nContent-Length: ${cl}\r\n\r\n0\r\n\r\n${body}`,
  'space before colon': (cl: number, body: string) => `Content-Length : ${cl}\r\n\r\n${body}`,
  'bare LF': (cl: number, body: string) => `Content-Length: ${cl}\nTransfer-Encoding: chunked\n\n0\n\n${body}`,
};

describe('HTTP request smuggling over raw sockets', () => {
  it('answers every ambiguous framing with 400 or a closed connection, never two answers', async () => {
    const smuggled = fc.record({
      technique: fc.constantFrom(...(Object.keys(SMUGGLE) as (keyof typeof SMUGGLE)[])),
      method: fc.constantFrom('POST', 'PATCH', 'GET'),
      path: fc.constantFrom('/v1/ask', '/v1/facts/aws%2Fdns%2Fndots', '/graphql', '/mcp'),
      cl: fc.integer({ min: 0, max: 64 }),
      inner: fc.constantFrom('/v1/providers', '/v1/dataset', '/health', '/v1/topics'),
    });
    await fc.assert(
      fc.asyncProperty(smuggled, async ({ technique, method, path, cl, inner }) => {
        const second = `GET ${inner} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
        const bytes = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${SMUGGLE[technique](cl, second)}`;
        const answer = await raw(server.port, bytes, 1_500);
        const label = `${technique} ${method} ${path} cl=${cl}: ${answer.text.slice(0, 300)}`;
        expect(answer.responses, label).toBeLessThanOrEqual(1);
        if (answer.responses === 1) expect(answer.statuses[0], label).toBe(400);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 40_000 },
    );
  });
});
