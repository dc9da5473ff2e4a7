import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, attackServer } from './harness.js';

const ORIGIN = 'https://portal.example.com';
const PROTO = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty'];

let server: AttackServer;
beforeAll(async () => {
  server = await attackServer({ CORS_ORIGINS: ORIGIN });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

async function mcp(body: string) {
  const res = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: ORIGIN },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { res, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

interface RpcError {
  jsonrpc: '2.0';
  id: unknown;
  error: { code: number; message: string };
}

/** Every /mcp answer carries the API's security headers and, for a listed origin, its CORS headers. */
function expectHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBeTruthy();
  expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
}

const call = (id: unknown, method: unknown, params?: unknown) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params === undefined ? {} : { params }),
});
const TOOLS = ['search_facts', 'compare', 'ask', 'get_fact', 'timeline', 'ip_capacity', 'diff', 'nope', '__proto__'];
const hostile = fc.oneof(
  fc.constantFrom(...PROTO, '', 'x'.repeat(50_000)),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

describe('MCP abuse against the real server', () => {
  it('answers unknown, prototype and string-typed calls with JSON-RPC errors per spec', async () => {
    const message = fc.oneof(
      fc
        .tuple(fc.integer(), fc.oneof(fc.constantFrom(...PROTO, 'nope/none', 'tools/cal', ''), fc.string({ maxLength: 20 })))
        .map(([id, m]) => ({
          kind: 'unknown method',
          body: call(id, m),
          codes: [-32601, -32602, -32600],
        })),
      fc.tuple(fc.integer(), fc.constantFrom(...TOOLS), hostile).map(([id, name, s]) => ({
        kind: 'string arguments',
        body: call(id, 'tools/call', { name, arguments: s }),
        codes: [-32602],
      })),
      fc
        .tuple(
          fc.integer(),
          fc.constantFrom(...TOOLS),
          fc.dictionary(fc.constantFrom(...PROTO, 'q', 'topic', 'id', 'mode'), hostile),
        )
        .map(([id, name, args]) => ({
          kind: 'hostile arguments',
          body: call(id, 'tools/call', { name, arguments: args }),
          codes: [-32602, -32601],
        })),
    );
    await fc.assert(
      fc.asyncProperty(message, async ({ kind, body, codes }) => {
        const { res, text, json } = await mcp(JSON.stringify(body));
        const label = `${kind} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, label).toBeLessThan(500);
        expectHeaders(res);
        const answer = json as RpcError & { result?: { isError?: boolean } };
        expect(answer.jsonrpc, label).toBe('2.0');
        if (/"__proto__":/.test(JSON.stringify(body))) {
          // Fastify's JSON parser refuses prototype-poisoning keys outright: the body is not parsed, a Parse error
          expect([res.status, answer.error?.code], label).toEqual([400, -32700]);
          return;
        }
        expect(answer.id, label).toBe(body.id);
        // a tool that rejects its (well-typed) arguments may answer a result with isError instead; never -32603
        if (answer.error) expect(codes, label).toContain(answer.error.code);
        else expect(answer.result, label).toBeDefined();
      }),
      { numRuns: 80, interruptAfterTimeLimit: 30_000 },
    );
  });

  it('answers batches, empty batches and non-JSON-RPC bodies with the spec codes', async () => {
    const empty = await mcp('[]');
    expect(empty.res.status).toBe(400);
    expect((empty.json as RpcError).error.code).toBe(-32600);
    expectHeaders(empty.res);

    const parse = await mcp('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect((parse.json as RpcError).error.code).toBe(-32700);
    expectHeaders(parse.res);

    for (const size of fc.sample(fc.integer({ min: 2, max: 300 }), 5)) {
      const batch = Array.from({ length: size }, (_, i) =>
        i % 3 === 0 ? { not: 'rpc' } : call(i, i % 3 === 1 ? '__proto__' : 'tools/call', { name: 'x', arguments: 'str' }),
      );
      const { res, json } = await mcp(JSON.stringify(batch));
      expect(res.status).toBeLessThan(500);
      expectHeaders(res);
      for (const answer of json as RpcError[]) expect([-32600, -32601, -32602]).toContain(answer.error.code);
    }
  });

  it('answers a huge argument within the body limit with a client error or a result, never an internal error', async () => {
    const { res, text } = await mcp(
      JSON.stringify(call(7, 'tools/call', { name: 'search_facts', arguments: { q: 'ndots '.repeat(40_000) } })),
    );
    expect(res.status).toBeLessThan(500);
    expect(text).not.toMatch(/-32603/);
    const tooBig = await mcp(JSON.stringify(call(8, 'tools/call', { name: 'ask', arguments: { q: 'x'.repeat(300_000) } })));
    expect(tooBig.res.status).toBe(413);
    expectHeaders(tooBig.res);
  });

  it('answers the preflight and the call with the same CORS headers', async () => {
    const pre = await fetch(`${server.url}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const { res } = await mcp(JSON.stringify(call(1, 'tools/list', {})));
    expect(res.status).toBe(200);
    expectHeaders(res);
  });
});
