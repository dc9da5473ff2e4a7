import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factId, PROVIDER_SLUGS } from '../../src/domain/seed.js';
import { GET_FACT_EXAMPLE } from '../../src/mcp/tools.js';
import { readSeed } from '../../src/seed/read.js';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';

// What an agent pays for the tools: the tool list is read at every session, so it must stay small.
const MAX_TOOLS_LIST_BYTES = 6000;

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = await fixtureApp({}, seededDb(REAL_SEED));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
});

/** The body of a JSON-RPC answer as an MCP client receives it over HTTP. */
async function rpc(method: string, params: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** Every fact id of the real seed, as the loader makes them. */
function realFactIds(): Set<string> {
  const ids = new Set<string>();
  for (const topic of readSeed(REAL_SEED).topics) {
    for (const dim of topic.dimensions) {
      for (const p of PROVIDER_SLUGS) for (const f of dim.facts[p]) ids.add(factId(p, topic.slug, dim.slug, f.variant));
    }
  }
  return ids;
}

/** Strings shaped like fact ids (provider/topic/dimension, optionally #variant). */
const FACT_ID = /\b(?:aws|azure|gcp)\/[a-z0-9-]+\/[a-z0-9-]+(?:#[a-z0-9-]+)?/g;

describe('MCP for agents', () => {
  it(`lists every tool in at most ${MAX_TOOLS_LIST_BYTES} bytes of JSON`, async () => {
    const body = await rpc('tools/list');
    const { result } = JSON.parse(body) as { result: { tools: { name: string }[] } };
    expect(result.tools.length).toBe(9);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_TOOLS_LIST_BYTES);
  });

  it('names only fact ids of the real seed, in the tool list and in docs/mcp.md', async () => {
    const ids = realFactIds();
    const tools = await rpc('tools/list');
    const docs = readFileSync(resolve(import.meta.dirname, '../../docs/mcp.md'), 'utf8');
    const named = [...tools.matchAll(FACT_ID), ...docs.matchAll(FACT_ID)].map((m) => m[0]);
    expect(named).toContain(GET_FACT_EXAMPLE);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("get_fact's example id is a fact a client can fetch", async () => {
    const client = new Client({ name: 'cloudiff-test', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    try {
      const result = await client.callTool({ name: 'get_fact', arguments: { id: GET_FACT_EXAMPLE } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { id: string }).id).toBe(GET_FACT_EXAMPLE);
    } finally {
      await client.close();
    }
  });
});
