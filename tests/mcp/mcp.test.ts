import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
let base: string;
let client: Client;

beforeAll(async () => {
  app = await fixtureApp();
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'cloudiff-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
});

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { ...result, text };
}

/** What the REST API answers for the same question: the tools must return exactly that object. */
async function rest(path: string): Promise<unknown> {
  const res = await app.inject({ method: 'GET', url: path });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('MCP /mcp', () => {
  it('lists the nine tools with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'ask',
      'compare',
      'diff',
      'get_fact',
      'ip_capacity',
      'list_facts',
      'list_topics',
      'search_facts',
      'timeline',
    ]);
    const compare = tools.find((t) => t.name === 'compare');
    expect(compare?.inputSchema.required).toEqual(['topic']);
    expect(Object.keys(compare?.inputSchema.properties ?? {})).toEqual(['topic', 'providers', 'dimensions', 'fields']);
    expect(Object.keys(tools.find((t) => t.name === 'ask')?.inputSchema.properties ?? {})).toEqual(['q', 'detail']);
    expect(compare?.outputSchema).toBeDefined();
    expect(compare?.annotations?.readOnlyHint).toBe(true);
  });

  it('compare returns the REST matrix as structuredContent and a per-dimension text with values and source URLs', async () => {
    const result = await call('compare', { topic: 'dns', providers: ['aws', 'gke'] });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(await rest('/v1/compare?topic=dns&providers=aws,gcp'));
    // the fixture's cluster-dns-server declares no compare_by: its cells are not compared
    expect(result.text).toContain('## Cluster DNS server (cluster-dns-server) — not comparable by key, severity medium');
    expect(result.text).toContain('## ndots (ndots) — same');
    // every fact line carries its id, status, verified date and confidence beside its value and sources
    expect(result.text).toContain(
      '- aws: CoreDNS as an EKS add-on — aws/dns/cluster-dns-server · ga · verified 2026-11-26 · confidence high — https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html',
    );
    expect(result.text).toContain(
      'kube-dns [kube-dns, default] — gcp/dns/cluster-dns-server#kube-dns · ga · verified 2026-11-26 · confidence high — https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns',
    );
    expect(result.text).not.toContain('azure');
  });

  it('compare also takes the providers comma-separated, as REST does', async () => {
    const result = await call('compare', { topic: 'dns', providers: 'gke,aws' });
    expect(result.structuredContent).toEqual(await rest('/v1/compare?topic=dns&providers=aws,gcp'));
  });

  it('compare with an unknown topic is a tool error naming the topic and the valid ones', async () => {
    const result = await call('compare', { topic: 'nope' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.text).toContain('unknown topic "nope"');
    expect(result.text).toContain('dns, load-balancing');
  });

  it('diff returns the REST diff with migration notes and source URLs', async () => {
    const result = await call('diff', { from: 'aws', to: 'gcp' });
    expect(result.structuredContent).toEqual(await rest('/v1/diff?from=aws&to=gcp'));
    expect(result.text).toContain('# Moving from aws to gcp: 2 differences (1 critical, 1 medium)');
    expect(result.text).toContain('Migration aws->gcp: Replace service.beta.kubernetes.io/aws-load-balancer-* annotations.');
    expect(result.text).toContain('https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer');
  });

  it('diff with an unknown provider is a tool error naming it', async () => {
    const result = await call('diff', { from: 'aws', to: 'oracle' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('to: unknown provider "oracle"');
  });

  it('search_facts returns the REST search result with plain-text snippets and fact source URLs', async () => {
    const result = await call('search_facts', { q: 'ndots', provider: 'gcp', limit: 5 });
    expect(result.structuredContent).toEqual(await rest('/v1/search?q=ndots&provider=gcp&limit=5'));
    expect(result.text).toContain(
      'gcp/dns/ndots: ndots 5 — ga · verified 2026-11-26 · confidence high — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
    );
    expect(result.text).not.toContain('<mark>');
  });

  it('get_fact returns the fact with its sources', async () => {
    const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    const result = await call('get_fact', { id });
    expect(result.structuredContent).toEqual(await rest(`/v1/facts/${encodeURIComponent(id)}`));
    expect(result.text).toContain('Value: Cloud DNS');
    expect(result.text).toContain('- Using Cloud DNS for GKE: https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns');
  });

  it('get_fact with an unknown id is a tool error naming the id', async () => {
    const result = await call('get_fact', { id: 'gcp/dns/no-such-dimension' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('fact "gcp/dns/no-such-dimension" not found');
  });

  it('list_topics returns the REST topic list', async () => {
    const result = await call('list_topics');
    expect(result.structuredContent).toEqual(await rest('/v1/topics'));
    expect(result.text).toContain('- dns: DNS (2 dimensions, 7 facts). How pods resolve names on each cloud.');
  });

  it('ask returns the compact REST answer by default, with fact ids, verified dates and citations in the text', async () => {
    const q = 'which load balancer does AKS create for a Service?';
    const result = await call('ask', { q });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(await rest(`/v1/ask?q=${encodeURIComponent(q)}`));
    const citations = (result.structuredContent as { citations: { url: string }[] }).citations;
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expect(result.text).toContain(c.url);
    // the compact row holds no verified date or confidence: the text takes them from the whole fact
    expect(result.text).toContain(
      '- azure: Standard SKU Azure Load Balancer — azure/load-balancing/default-lb-for-service · ga · verified 2026-11-26 · confidence high — https://learn.microsoft.com/en-us/azure/aks/egress',
    );
  });

  it('ask with detail full returns the whole comparison rows, as REST detail=full', async () => {
    const q = 'which load balancer does AKS create for a Service?';
    const full = await call('ask', { q, detail: 'full' });
    expect(full.structuredContent).toEqual(await rest(`/v1/ask?q=${encodeURIComponent(q)}&detail=full`));
    expect(full.text).toContain('Baseline (upstream Kubernetes):');
    const compact = await call('ask', { q });
    expect(Buffer.byteLength(JSON.stringify(compact))).toBeLessThan(Buffer.byteLength(JSON.stringify(full)));
  });

  it('compare with dimensions returns only those rows, as a list or comma-separated, as REST dimension=', async () => {
    const expected = await rest('/v1/compare?topic=dns&dimension=ndots');
    expect((await call('compare', { topic: 'dns', dimensions: ['ndots'] })).structuredContent).toEqual(expected);
    expect((await call('compare', { topic: 'dns', dimensions: 'ndots' })).structuredContent).toEqual(expected);
    const result = await call('compare', { topic: 'dns', dimensions: ['ndots'] });
    expect(result.text).toContain('## ndots (ndots)');
    expect(result.text).not.toContain('cluster-dns-server');
  });

  it('compare with fields leaves the other fact fields out, as REST fields=, in structuredContent and text', async () => {
    const result = await call('compare', { topic: 'dns', dimensions: 'ndots', fields: ['value', 'status', 'sources'] });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(await rest('/v1/compare?topic=dns&dimension=ndots&fields=value,status,sources'));
    expect(result.text).toContain(
      '- aws: ndots 5 — aws/dns/ndots · ga — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
    );
    expect(result.text).not.toContain('verified');
    const comma = await call('compare', { topic: 'dns', dimensions: 'ndots', fields: 'value,status,sources' });
    expect(comma.structuredContent).toEqual(result.structuredContent);
  });

  it('compare with an unknown dimension or field is a tool error naming the argument', async () => {
    const dim = await call('compare', { topic: 'dns', dimensions: ['nope'] });
    expect(dim.isError).toBe(true);
    expect(dim.text).toContain('dimensions: unknown dimension "nope" in topic dns; use one of cluster-dns-server, ndots');
    const field = await call('compare', { topic: 'dns', fields: ['nope'] });
    expect(field.isError).toBe(true);
    expect(field.text).toMatch(/^fields: unknown fact field "nope"/);
  });

  it('rejects arguments outside the input schema as a tool error naming the argument', async () => {
    const result = await call('search_facts', { q: 'dns', limit: 500 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('limit');
  });
});

/** A raw JSON-RPC POST to /mcp, as a client without the SDK sends it. */
const post = (payload: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    payload,
  });

describe('POST /mcp JSON-RPC errors', () => {
  it('answers an empty batch with -32600 Invalid Request', async () => {
    const res = await post('[]');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: expect.stringMatching(/^Invalid Request/) },
      id: null,
    });
  });

  it.each([
    ['an object that is not JSON-RPC', '{"hello":1}'],
    ['a number', '42'],
    ['a request without a method', '{"jsonrpc":"2.0","id":3}'],
  ])('answers %s with -32600 Invalid Request', async (_name, payload) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 }, id: null });
  });

  it('answers a body that is not JSON with -32700 Parse error', async () => {
    const res = await post('{"jsonrpc": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32700, message: expect.stringMatching(/^Parse error/) },
      id: null,
    });
  });

  it.each([
    ['string arguments', { name: 'get_fact', arguments: 'gcp/dns/ndots' }, 'params.arguments'],
    ['array arguments', { name: 'get_fact', arguments: [1] }, 'params.arguments'],
    ['no tool name', { arguments: {} }, 'params.name'],
  ])('answers tools/call with %s with -32602 Invalid params naming the field', async (_name, params, field) => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32602 } });
    expect(body.error.message).toContain(field);
  });

  it('answers tools/call without params with -32602, and an unknown method with -32601', async () => {
    expect((await post('{"jsonrpc":"2.0","id":8,"method":"tools/call"}')).json()).toMatchObject({
      id: 8,
      error: { code: -32602 },
    });
    expect((await post('{"jsonrpc":"2.0","id":9,"method":"nope/nope"}')).json()).toMatchObject({
      id: 9,
      error: { code: -32601 },
    });
  });
});

describe('POST /mcp headers', () => {
  it('carries the security headers and, for an allowed origin, the CORS headers of every other route', async () => {
    const cors = await fixtureApp({ CORS_ORIGINS: 'https://portal.example' });
    try {
      const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      for (const payload of [list, '[]']) {
        const res = await cors.inject({
          method: 'POST',
          url: '/mcp',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            origin: 'https://portal.example',
          },
          payload,
        });
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(res.headers['access-control-allow-origin']).toBe('https://portal.example');
        expect(res.headers['access-control-expose-headers']).toContain('ETag');
      }
    } finally {
      await cors.close();
    }
  });
});

describe('GET and DELETE /mcp', () => {
  it('answer 405 in the API error shape, since the endpoint is stateless', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/mcp' });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.json()).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    }
  });

  it('is left out of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/mcp');
  });
});
