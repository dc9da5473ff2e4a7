import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { addMonths } from '../../src/kb/timeline.js';
import { gql } from '../graphql/client.js';
import { FIXTURE_SEED, fixtureApp, seededDb, tempDir } from '../helpers/app.js';

const DAY_MS = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

/** Dates relative to the day the test runs, so that the default window (today + 12 months) has something in it. */
const SOON = isoDay(30);
const NEXT_YEAR = isoDay(500);
const PAST = isoDay(-30);

/**
 * The fixture with lifecycle and changes: GKE's Cloud DNS variant in preview with a dated change, dated changes on
 * two load balancers on the same day (ties go by provider), changes tied only to a version, and cluster-dns-server
 * declared `compare_by: none`.
 */
function trustSeed(): string {
  const dir = tempDir();
  cpSync(FIXTURE_SEED, dir, { recursive: true });
  const dnsFile = join(dir, 'dns.yaml');
  const dns = parse(readFileSync(dnsFile, 'utf8'));
  const server = dns.dimensions[0];
  server.compare_by = 'none';
  Object.assign(server.facts.gcp[1], {
    status: 'preview',
    confidence: 'medium',
    changes: [{ on: SOON, what: 'Cloud DNS becomes the default for new clusters', replaced_by: 'kube-dns' }],
  });
  server.facts.aws[0].changes = [
    { version: '1.10', what: 'CoreDNS 1.11 becomes the add-on default' },
    { version: '1.9', what: 'kube-dns is no longer offered' },
  ];
  dns.dimensions[1].facts.azure[0].changes = [{ version: '1.33', what: 'ndots moves to 2', on: '2031-01-01' }];
  writeFileSync(dnsFile, stringify(dns));
  const lbFile = join(dir, 'load-balancing.yaml');
  const lb = parse(readFileSync(lbFile, 'utf8'));
  const cells = lb.dimensions[0].facts;
  cells.gcp[0].changes = [
    { on: NEXT_YEAR, what: 'Backend services replace target pools' },
    { on: PAST, what: 'Target pools are deprecated' },
  ];
  cells.aws[0].changes = [
    { on: NEXT_YEAR, what: 'The in-tree controller is retired', replaced_by: 'AWS Load Balancer Controller' },
  ];
  cells.azure[0].changes = [{ version: '1.9', what: 'Basic SKU no longer created' }];
  writeFileSync(lbFile, stringify(lb));
  return dir;
}

const SEED = trustSeed();
let app: FastifyInstance;
let client: Client;
beforeAll(async () => {
  app = await fixtureApp({}, seededDb(SEED));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new Client({ name: 'cloudiff-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
});
afterAll(async () => {
  await client?.close();
  await app?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });
const json = async (url: string) => {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
async function expectError(url: string, param: string, message: RegExp) {
  const res = await get(url);
  expect(res.statusCode).toBe(400);
  expect(res.json().message).toMatch(new RegExp(`query parameter "${param}": ${message.source}`));
}
async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { ...result, text: result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n') };
}
type Entry = { on?: string; version?: string; what: string; fact: { id: string } };
const brief = (items: Entry[]) => items.map((e) => [e.on ?? e.version, e.fact.id, e.what]);

describe('differs and groups for a dimension that cannot be compared', () => {
  it('answers differs null and groups null for compare_by none, and diff keeps the row', async () => {
    const row = (await json('/v1/compare?topic=dns')).rows[0];
    expect(row.dimension.slug).toBe('cluster-dns-server');
    expect(row.differs).toBeNull();
    expect(row.groups).toBeNull();
    const diff = await json('/v1/diff?from=aws&to=azure&topic=dns');
    // aws and azure both run CoreDNS, but nothing compares them: the row stays in the diff
    expect(diff.items.map((i: { dimension: { slug: string } }) => i.dimension.slug)).toEqual(['cluster-dns-server']);
  });

  it('answers the same differs and groups in GraphQL', async () => {
    const { body } = await gql(app, '{ compare(topic: "load-balancing") { rows { differs groups { slug } } } }');
    expect(body.data?.compare).toEqual({
      rows: [{ differs: true, groups: [[{ slug: 'aws' }], [{ slug: 'azure' }, { slug: 'gcp' }]] }],
    });
  });
});

describe('GET /v1/facts?status=', () => {
  it('keeps the facts in one status, or in any of a comma-separated list', async () => {
    const ids = async (q: string) => (await json(`/v1/facts?${q}`)).items.map((f: { id: string }) => f.id);
    expect(await ids('status=preview')).toEqual(['gcp/dns/cluster-dns-server#cloud-dns-for-gke']);
    expect(await ids('status=retired,preview&provider=gke')).toEqual(['gcp/dns/cluster-dns-server#cloud-dns-for-gke']);
    const ga = await ids('status=ga&provider=gcp');
    expect(ga).toEqual(['gcp/dns/cluster-dns-server#kube-dns', 'gcp/dns/ndots', 'gcp/load-balancing/default-lb-for-service']);
    expect(await ids('status=deprecated')).toEqual([]);
  });

  it('filters the same in GraphQL, and names filter.status when a status is unknown', async () => {
    const { body } = await gql(app, '{ facts(filter: { status: ["preview"] }) { totalCount edges { node { id status } } } }');
    expect(body.data?.facts).toEqual({
      totalCount: 1,
      edges: [{ node: { id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke', status: 'preview' } }],
    });
    const bad = await gql(app, '{ facts(filter: { status: "beta" }) { totalCount } }');
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.status' });
    expect(bad.body.errors?.[0]?.message).toMatch(
      /unknown status "beta"; use one of ga, preview, deprecated, retired, unavailable/,
    );
  });

  it('filters the same in the MCP list_facts tool, whose text shows the status', async () => {
    const result = await call('list_facts', { status: 'preview' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(await json('/v1/facts?status=preview'));
    expect(result.text).toContain(
      '- gcp/dns/cluster-dns-server#cloud-dns-for-gke: Cloud DNS [Cloud DNS for GKE] — preview · verified 2026-11-26 · confidence medium — ',
    );
    const bad = await call('list_facts', { status: 'beta' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^status: unknown status "beta"/);
  });

  it('shows the status in the MCP text of a fact', async () => {
    const result = await call('get_fact', { id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke' });
    expect(result.text).toContain('\nStatus: preview\n');
  });
});

describe('GET /v1/timeline', () => {
  it('lists dated changes in the window soonest first, ties by provider, with the fact and its sources', async () => {
    const body = await json(`/v1/timeline?from=${PAST}&to=${NEXT_YEAR}`);
    expect(body.from).toBe(PAST);
    expect(body.to).toBe(NEXT_YEAR);
    expect(brief(body.items)).toEqual([
      [PAST, 'gcp/load-balancing/default-lb-for-service', 'Target pools are deprecated'],
      [SOON, 'gcp/dns/cluster-dns-server#cloud-dns-for-gke', 'Cloud DNS becomes the default for new clusters'],
      [NEXT_YEAR, 'aws/load-balancing/default-lb-for-service', 'The in-tree controller is retired'],
      [NEXT_YEAR, 'gcp/load-balancing/default-lb-for-service', 'Backend services replace target pools'],
    ]);
    expect(body.items[1]).toEqual({
      on: SOON,
      what: 'Cloud DNS becomes the default for new clusters',
      replaced_by: 'kube-dns',
      fact: {
        id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
        provider: 'gcp',
        topic: 'dns',
        dimension: 'cluster-dns-server',
        value: 'Cloud DNS',
        status: 'preview',
      },
      sources: [{ url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns', title: 'Using Cloud DNS for GKE' }],
    });
    expect(body.dataset.version).toBe((await json('/v1/dataset')).version);
  });

  it('keeps only the days of the window, both ends included, and a dated change with a version among the dated', async () => {
    expect(brief((await json(`/v1/timeline?from=${SOON}&to=${SOON}`)).items)).toEqual([
      [SOON, 'gcp/dns/cluster-dns-server#cloud-dns-for-gke', 'Cloud DNS becomes the default for new clusters'],
    ]);
    const later = await json('/v1/timeline?from=2031-01-01&to=2031-01-01');
    expect(later.items).toEqual([expect.objectContaining({ on: '2031-01-01', version: '1.33', what: 'ndots moves to 2' })]);
  });

  it('defaults to the twelve months from today', async () => {
    const before = isoDay(0);
    const body = await json('/v1/timeline');
    const today = body.from;
    expect([before, isoDay(0)]).toContain(today);
    const [y, md] = [Number(today.slice(0, 4)), today.slice(5)];
    expect(body.to).toBe(md === '02-29' ? `${y + 1}-02-28` : `${y + 1}-${md}`);
    // PAST is before the window, NEXT_YEAR (500 days on) after it
    expect(brief(body.items)).toEqual([
      [SOON, 'gcp/dns/cluster-dns-server#cloud-dns-for-gke', 'Cloud DNS becomes the default for new clusters'],
    ]);
    expect((await json(`/v1/timeline?from=${SOON}`)).to).toBe(addMonths(SOON, 12));
  });

  it('lists version-only changes apart, by version as numbers, filtered by provider and topic but not the window', async () => {
    const body = await json(`/v1/timeline?from=${SOON}&to=${SOON}`);
    expect(brief(body.by_version)).toEqual([
      ['1.9', 'aws/dns/cluster-dns-server', 'kube-dns is no longer offered'],
      ['1.9', 'azure/load-balancing/default-lb-for-service', 'Basic SKU no longer created'],
      ['1.10', 'aws/dns/cluster-dns-server', 'CoreDNS 1.11 becomes the add-on default'],
    ]);
    expect(body.by_version[0]).not.toHaveProperty('on');
    expect(brief((await json(`/v1/timeline?provider=aks&from=${SOON}`)).by_version)).toEqual([
      ['1.9', 'azure/load-balancing/default-lb-for-service', 'Basic SKU no longer created'],
    ]);
    const dns = await json(`/v1/timeline?topic=dns&from=${PAST}&to=${NEXT_YEAR}`);
    expect(brief(dns.by_version).map((e) => e[1])).toEqual(['aws/dns/cluster-dns-server', 'aws/dns/cluster-dns-server']);
    expect(brief(dns.items).map((e) => e[1])).toEqual(['gcp/dns/cluster-dns-server#cloud-dns-for-gke']);
  });

  it('filters by provider, aliases included', async () => {
    const body = await json(`/v1/timeline?provider=eks&from=${PAST}&to=${NEXT_YEAR}`);
    expect(brief(body.items)).toEqual([
      [NEXT_YEAR, 'aws/load-balancing/default-lb-for-service', 'The in-tree controller is retired'],
    ]);
  });

  it('returns 400 naming the parameter for a bad date, a reversed or too long window, an unknown provider or topic', async () => {
    await expectError('/v1/timeline?from=2027-02-30', 'from', /must be an ISO date \(YYYY-MM-DD\)/);
    await expectError('/v1/timeline?from=2027-01-01&to=next%20year', 'to', /must be an ISO date/);
    await expectError('/v1/timeline?from=2027-06-01&to=2027-05-31', 'to', /must not be before from \(2027-06-01\)/);
    await expectError('/v1/timeline?from=2027-01-01&to=2037-01-02', 'to', /the window may span at most 10 years/);
    expect((await get('/v1/timeline?from=2027-01-01&to=2037-01-01')).statusCode).toBe(200);
    await expectError('/v1/timeline?provider=oracle', 'provider', /unknown provider "oracle"/);
    await expectError('/v1/timeline?topic=nope', 'topic', /unknown topic "nope"; use one of dns, load-balancing/);
  });

  it('is cacheable: an ETag, and 304 for If-None-Match', async () => {
    const url = `/v1/timeline?from=${PAST}`;
    const first = await get(url);
    expect(first.headers.etag).toBeDefined();
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers the same in GraphQL, with whole facts and their sources', async () => {
    const rest = await json(`/v1/timeline?from=${PAST}&to=${NEXT_YEAR}&provider=gcp`);
    const { body } = await gql(
      app,
      `query($from: String, $to: String) { timeline(from: $from, to: $to, provider: "gke") {
        from to items { on version what replacedBy fact { id status } sources { url title } }
        byVersion { version fact { id } } dataset { version } } }`,
      { from: PAST, to: NEXT_YEAR },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.timeline).toEqual({
      from: rest.from,
      to: rest.to,
      items: rest.items.map((e: Entry & { replaced_by?: string; fact: { status: string }; sources: unknown[] }) => ({
        on: e.on,
        version: e.version ?? null,
        what: e.what,
        replacedBy: e.replaced_by ?? null,
        fact: { id: e.fact.id, status: e.fact.status },
        sources: e.sources,
      })),
      byVersion: [],
      dataset: rest.dataset,
    });
    const bad = await gql(app, '{ timeline(to: "2020-01-01", from: "2021-01-01") { from } }');
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'to' });
  });

  it('answers the same as the MCP tool timeline, with a text listing each change and its sources', async () => {
    const result = await call('timeline', { from: PAST, to: NEXT_YEAR });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(await json(`/v1/timeline?from=${PAST}&to=${NEXT_YEAR}`));
    expect(result.text).toContain(
      `- ${SOON} gcp/dns/cluster-dns-server#cloud-dns-for-gke: Cloud DNS becomes the default for new clusters (replaced by kube-dns) — preview · verified 2026-11-26 · confidence medium — https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns`,
    );
    expect(result.text).toContain('- Kubernetes 1.10 aws/dns/cluster-dns-server: CoreDNS 1.11 becomes the add-on default');
    const bad = await call('timeline', { from: 'tomorrow' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^from: must be an ISO date/);
  });
});

describe('addMonths', () => {
  it('keeps the day, or takes the last day of a shorter month', () => {
    expect(addMonths('2026-12-04', 12)).toBe('2027-12-04');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
  });
});

describe('GET /v1/dataset sources_watch', () => {
  const RUN = {
    at: '2026-11-30T06:00:00.000Z',
    pages: 12,
    unchanged: 9,
    changed: 1,
    new: 0,
    gone: 1,
    redirected: 1,
    errors: 0,
  };
  const appWithLock = async (lock: string | undefined) => {
    const dir = tempDir();
    if (lock !== undefined) writeFileSync(join(dir, 'sources.lock.json'), lock);
    return fixtureApp({ SEED_DIR: dir });
  };

  it('reports the last run of the lock file in SEED_DIR, in REST and GraphQL', async () => {
    const withLock = await appWithLock(JSON.stringify({ last_run: RUN, pages: {} }));
    try {
      expect((await withLock.inject({ method: 'GET', url: '/v1/dataset' })).json().sources_watch).toEqual(RUN);
      const { body } = await gql(
        withLock,
        '{ dataset { sourcesWatch { at pages unchanged changed new gone redirected errors } } }',
      );
      expect(body.data?.dataset).toEqual({ sourcesWatch: RUN });
    } finally {
      await withLock.close();
    }
  });

  it('reports null when the lock file is missing, records no run, or cannot be read', async () => {
    for (const lock of [undefined, JSON.stringify({ last_run: null, pages: {} }), '{ not json']) {
      const other = await appWithLock(lock);
      try {
        const res = await other.inject({ method: 'GET', url: '/v1/dataset' });
        expect(res.statusCode).toBe(200);
        expect(res.json().sources_watch).toBeNull();
      } finally {
        await other.close();
      }
    }
  });
});
