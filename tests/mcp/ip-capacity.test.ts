import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';

let app: FastifyInstance;
let client: Client;

beforeAll(async () => {
  app = await fixtureApp({}, seededDb(REAL_SEED));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'cloudiff-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
});

async function call(args: Record<string, unknown>): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name: 'ip_capacity', arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { ...result, text };
}

describe('MCP tool ip_capacity', () => {
  it('returns the REST answer as structuredContent, numbers accepted as JSON numbers', async () => {
    const result = await call({ provider: 'eks', subnet: '10.0.0.0/24', enis: 3, ips_per_eni: 10 });
    expect(result.isError).toBeFalsy();
    const rest = await app.inject('/v1/calculators/ip-capacity?provider=eks&subnet=10.0.0.0/24&enis=3&ips_per_eni=10');
    expect(result.structuredContent).toEqual(rest.json());
    expect(result.text).toContain('# IP capacity: aws secondary-ip — 8 nodes, 232 pods (limited by subnet)');
    expect(result.text).toContain('3 x (10 - 1) + 2 = 29');
    // each fact it applies is named with its status, verified date and confidence
    expect(result.text).toMatch(
      /\n- aws\/ip-allocation\/max-pods-per-node#secondary-ip-mode \(ga · verified \d{4}-\d\d-\d\d · confidence (high|medium|low)\)\n/,
    );
  });

  it('answers a tool error naming the parameter for bad input', async () => {
    const result = await call({ provider: 'gke', pod_range_prefix: 14, max_pods: 500 });
    expect(result.isError).toBe(true);
    expect(result.text).toBe('max_pods: "500" is out of range; GKE VPC-native takes an integer from 8 to 256');
  });

  it('answers a tool error naming mode, never an internal error, when the mode is a name of Object.prototype', async () => {
    for (const mode of ['__proto__', 'constructor', 'toString']) {
      const result = await call({ provider: 'aks', mode });
      expect(result.isError, mode).toBe(true);
      expect(result.text, mode).toBe(
        `mode: "${mode}" is not a mode of azure; use one of overlay, pod-subnet, pod-subnet-static, node-subnet, kubenet (default overlay)`,
      );
    }
  });

  it('answers a tool error naming provider when the provider is a name of Object.prototype', async () => {
    const result = await call({ provider: '__proto__', mode: 'overlay' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^provider: unknown provider "__proto__"; use one of aws, azure, gcp/);
  });
});
