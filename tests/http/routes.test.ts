import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

function expectError(res: Awaited<ReturnType<typeof get>>, status: number, message: RegExp) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode).toBe(status);
  expect(body.message).toMatch(message);
}

describe('GET /v1/providers', () => {
  it('lists the three providers in canonical order with their aliases', async () => {
    const res = await get('/v1/providers');
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((p: { slug: string }) => p.slug)).toEqual(['aws', 'azure', 'gcp']);
    expect(items[2]).toEqual({
      slug: 'gcp',
      name: 'Google Cloud',
      kubernetes_service: 'Google Kubernetes Engine',
      kubernetes_service_short: 'GKE',
      aliases: [
        'gcp',
        'google',
        'google cloud',
        'google cloud platform',
        'gke',
        'google kubernetes engine',
        'gcloud',
        'autopilot',
      ],
    });
  });
});

describe('GET /v1/topics', () => {
  it('lists topics with counts', async () => {
    const res = await get('/v1/topics');
    expect(res.json().items).toEqual([
      {
        slug: 'dns',
        title: 'DNS',
        summary: 'How pods resolve names on each cloud.',
        aliases: ['CoreDNS', 'kube-dns', 'ndots'],
        dimension_count: 2,
        fact_count: 7,
      },
      {
        slug: 'load-balancing',
        title: 'Load balancing',
        summary: 'What a Service of type LoadBalancer creates.',
        aliases: ['LB', 'load balancer'],
        dimension_count: 1,
        fact_count: 3,
      },
    ]);
  });

  it('returns one topic with its dimensions, baselines and divergences', async () => {
    const body = (await get('/v1/topics/load-balancing')).json();
    expect(body.dimensions).toEqual([
      {
        slug: 'default-lb-for-service',
        topic: 'load-balancing',
        title: 'Default load balancer for a Service',
        question: 'What does a Service of type LoadBalancer provision?',
        baseline: "The cloud provider's controller provisions an external load balancer.",
        keywords: ['service type loadbalancer', 'nlb', 'standard sku'],
        compare_by: 'key',
        divergence: {
          summary: 'Each cloud creates its own kind of layer 4 load balancer.',
          severity: 'critical',
          example: 'Annotations for one cloud are ignored on another.',
          migration: [
            {
              direction: 'aws->gcp',
              from: 'aws',
              to: 'gcp',
              note: 'Replace service.beta.kubernetes.io/aws-load-balancer-* annotations.',
            },
            { direction: 'gcp->aws', from: 'gcp', to: 'aws', note: 'Install the AWS Load Balancer Controller.' },
          ],
        },
      },
    ]);
  });

  it('returns 404 listing the valid topics for an unknown slug', async () => {
    expectError(await get('/v1/topics/nope'), 404, /topic "nope" not found; topics are: dns, load-balancing/);
  });
});

describe('GET /v1/compare', () => {
  it('returns the matrix with a row per dimension and a cell per requested provider', async () => {
    const res = await get('/v1/compare?topic=dns&providers=gke,aws');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.topic).toEqual({ slug: 'dns', title: 'DNS', summary: 'How pods resolve names on each cloud.' });
    expect(body.providers).toEqual(['aws', 'gcp']);
    expect(body.rows.map((r: { dimension: { slug: string } }) => r.dimension.slug)).toEqual(['cluster-dns-server', 'ndots']);
    const [server, ndots] = body.rows;
    expect(Object.keys(server.cells)).toEqual(['aws', 'gcp']);
    expect(server.cells.gcp.map((f: { id: string }) => f.id)).toEqual([
      'gcp/dns/cluster-dns-server#kube-dns',
      'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
    ]);
    // cluster-dns-server declares no compare_by: its free-text values are not compared
    expect(server.differs).toBeNull();
    expect(server.groups).toBeNull();
    expect(ndots.differs).toBe(false);
    expect(ndots.groups).toEqual([['aws', 'gcp']]);
    expect(server.divergence.severity).toBe('medium');
    expect(body.dataset.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('returns 400 naming the parameter when topic is unknown', async () => {
    expectError(
      await get('/v1/compare?topic=dnz'),
      400,
      /query parameter "topic": unknown topic "dnz"; use one of dns, load-balancing/,
    );
  });

  it('returns 400 naming the parameter when topic is missing or repeated', async () => {
    expectError(await get('/v1/compare'), 400, /query parameter "topic": is required/);
    expectError(await get('/v1/compare?topic=dns&topic=dns'), 400, /query parameter "topic"/);
  });

  it('computes differs and groups from the keys of the default facts, for the requested providers only', async () => {
    const row = async (providers: string) =>
      (await get(`/v1/compare?topic=load-balancing&providers=${providers}`)).json().rows[0];
    // aws: nlb; azure and gcp: l4-passthrough
    expect(await row('aws,azure,gcp')).toMatchObject({ differs: true, groups: [['aws'], ['azure', 'gcp']] });
    expect(await row('azure,gcp')).toMatchObject({ differs: false, groups: [['azure', 'gcp']] });
    expect(await row('gcp')).toMatchObject({ differs: false, groups: [['gcp']] });
  });

  it('returns 400 naming providers and the valid values for an unknown provider', async () => {
    expectError(
      await get('/v1/compare?topic=dns&providers=aws,ibm'),
      400,
      /query parameter "providers": unknown provider "ibm"; use one of aws, azure, gcp/,
    );
  });
});

describe('GET /v1/diff', () => {
  it('lists what differs from one cloud to another, highest severity first, with the migration note', async () => {
    const body = (await get('/v1/diff?from=eks&to=gcp')).json();
    expect(body.from).toBe('aws');
    expect(body.to).toBe('gcp');
    expect(body.items.map((i: { dimension: { slug: string }; severity: string }) => [i.dimension.slug, i.severity])).toEqual([
      ['default-lb-for-service', 'critical'],
      ['cluster-dns-server', 'medium'],
    ]);
    expect(body.counts).toEqual({ critical: 1, high: 0, medium: 1, low: 0 });
    expect(body.items[0].migration).toBe('Replace service.beta.kubernetes.io/aws-load-balancer-* annotations.');
    expect(body.items[0].from[0].id).toBe('aws/load-balancing/default-lb-for-service');
    expect(body.items[0].to[0].id).toBe('gcp/load-balancing/default-lb-for-service');
  });

  it('restricts to one topic and gives null migration where the seed has no note', async () => {
    const body = (await get('/v1/diff?from=azure&to=aws&topic=dns')).json();
    expect(body.topic).toBe('dns');
    expect(body.items).toHaveLength(1);
    expect(body.items[0].migration).toBeNull();
  });

  it('refuses the same provider on both sides and names from/to when missing', async () => {
    expectError(await get('/v1/diff?from=aws&to=eks'), 400, /query parameter "to": must differ from "from"/);
    expectError(await get('/v1/diff?to=aws'), 400, /query parameter "from": is required/);
  });
});

describe('GET /v1/facts?status=', () => {
  it('returns 400 naming status and the valid values for any other word', async () => {
    expectError(
      await get('/v1/facts?status=ga,beta'),
      400,
      /query parameter "status": unknown status "beta"; use one of ga, preview, deprecated, retired, unavailable/,
    );
    expectError(await get('/v1/facts?status=,'), 400, /query parameter "status": must name a status/);
  });
});

describe('GET /v1/facts', () => {
  it('pages through all facts with an opaque cursor and a Link header', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/v1/facts?limit=3';
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((f: { id: string }) => f.id));
      pages++;
      const link = res.headers.link as string | undefined;
      if (body.next) {
        expect(link).toMatch(/^<\/v1\/facts\?limit=3&cursor=[A-Za-z0-9_-]+>; rel="next"$/);
        url = link?.slice(1, link.indexOf('>'));
      } else {
        expect(link).toBeUndefined();
        url = undefined;
      }
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect([...seen].sort()).toEqual(seen);
  });

  it('carries only the known parameters, validated, into the Link header, whatever else the request holds', async () => {
    const padding = 'x'.repeat(6_000);
    const res = await get(`/v1/facts?junk=${padding}&topic=dns&__proto__=${padding}&limit=0000000002&junk2=${padding}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.link).toMatch(/^<\/v1\/facts\?topic=dns&limit=2&cursor=[A-Za-z0-9_-]+>; rel="next"$/);
  });

  it('filters by provider alias, topic, dimension, tag and verified_before', async () => {
    const ids = async (q: string) => (await get(`/v1/facts?${q}`)).json().items.map((f: { id: string }) => f.id);
    expect(await ids('provider=gke&topic=dns&dimension=cluster-dns-server')).toEqual([
      'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
      'gcp/dns/cluster-dns-server#kube-dns',
    ]);
    expect(await ids('tag=add-on')).toEqual(['aws/dns/cluster-dns-server']);
    expect(await ids('verified_before=2026-01-01')).toEqual(['azure/dns/cluster-dns-server']);
    expect(await ids('dimension=dns/ndots&provider=azure')).toEqual(['azure/dns/ndots']);
  });

  it('returns 400 naming the parameter for a bad limit, cursor, date or dimension', async () => {
    expectError(await get('/v1/facts?limit=0'), 400, /query parameter "limit"/);
    expectError(await get('/v1/facts?limit=201'), 400, /query parameter "limit"/);
    expectError(await get('/v1/facts?limit=abc'), 400, /query parameter "limit"/);
    expectError(await get('/v1/facts?cursor=garbage'), 400, /query parameter "cursor"/);
    expectError(await get('/v1/facts?verified_before=last-week'), 400, /query parameter "verified_before": must be an ISO date/);
    expectError(
      await get('/v1/facts?topic=dns&dimension=nope'),
      400,
      /query parameter "dimension": unknown dimension "nope"; use one of cluster-dns-server, ndots/,
    );
  });
});

describe('GET /v1/facts/{id}', () => {
  const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';

  it('accepts the id URL-encoded and as path segments', async () => {
    const encoded = await get(`/v1/facts/${encodeURIComponent(id)}`);
    const segments = await get('/v1/facts/gcp/dns/cluster-dns-server%23cloud-dns-for-gke');
    expect(encoded.statusCode).toBe(200);
    expect(encoded.json()).toEqual({
      id,
      provider: 'gcp',
      topic: 'dns',
      dimension: 'cluster-dns-server',
      variant: 'Cloud DNS for GKE',
      default: false,
      value: 'Cloud DNS',
      status: 'ga',
      applies: {},
      details: 'Cloud DNS can replace kube-dns as the cluster DNS provider.',
      sources: [
        {
          url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns',
          title: 'Using Cloud DNS for GKE',
          checked: '2026-11-26',
        },
      ],
      verified: '2026-11-26',
      confidence: 'high',
      tags: ['managed'],
    });
    expect(segments.json()).toEqual(encoded.json());
  });

  it('returns 404 suggesting the ids of the same dimension', async () => {
    expectError(
      await get('/v1/facts/gcp/dns/cluster-dns-server'),
      404,
      /did you mean gcp\/dns\/cluster-dns-server#cloud-dns-for-gke, gcp\/dns\/cluster-dns-server#kube-dns/,
    );
    expectError(await get('/v1/facts/%E2%9C%93'), 404, /not found/);
  });
});

describe('GET /v1/search', () => {
  it('ranks matches with bm25 and highlights them in HTML-escaped snippets', async () => {
    const body = (await get('/v1/search?q=coredns')).json();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items[0].snippet).toContain('<mark>CoreDNS</mark>');
    const scores = body.items.map((i: { score: number }) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('filters by provider and topic', async () => {
    const body = (await get('/v1/search?q=dns&provider=gke&topic=dns')).json();
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(item.provider).toBe('gcp');
      expect(item.topic).toBe('dns');
    }
  });

  it.each([
    '"',
    'NEAR(',
    'coredns*',
    '*',
    "'; DROP TABLE facts; --",
    'a OR b AND NOT',
    '^ndots',
    'kube-dns:',
    '{}[]()',
    'ünïcödé ✓',
  ])('answers 200 or a named 400 for hostile input %j, never a 5xx', async (q) => {
    const res = await get(`/v1/search?q=${encodeURIComponent(q)}`);
    if (res.statusCode === 400) expectError(res, 400, /query parameter "q"/);
    else expect(res.statusCode).toBe(200);
  });

  it('returns 400 naming q when it is missing or has no words', async () => {
    expectError(await get('/v1/search'), 400, /query parameter "q": is required/);
    expectError(await get('/v1/search?q=%22%22'), 400, /query parameter "q": must contain at least one letter or digit/);
  });
});

describe('GET /v1/dataset and /v1/export', () => {
  it('reports counts and the stale facts', async () => {
    const body = (await get('/v1/dataset')).json();
    expect(body.counts).toEqual({ providers: 3, topics: 2, dimensions: 3, facts: 10, sources: 10 });
    expect(body.staleness.stale).toEqual([{ id: 'azure/dns/cluster-dns-server', verified: '2025-01-10' }]);
  });

  it('exports json, ndjson and csv with one fact a row', async () => {
    expect((await get('/v1/export')).json().facts).toHaveLength(10);
    const nd = await get('/v1/export?format=ndjson');
    expect(nd.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = nd.body.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(JSON.parse(lines[0] as string).id).toBe('aws/dns/cluster-dns-server');
    const csv = await get('/v1/export?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,provider,topic,topic_title,dimension,dimension_title,variant,default,value,details,sources,verified,confidence,tags,status,key',
    );
    expect(rows).toHaveLength(11);
    expectError(await get('/v1/export?format=xml'), 400, /query parameter "format"/);
  });
});

describe('caching', () => {
  it('gives an ETag derived from the dataset version and the request, and 304 for If-None-Match', async () => {
    const first = await get('/v1/compare?topic=dns');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{16}-[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    const again = await get('/v1/compare?topic=dns', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await get('/v1/compare?topic=load-balancing');
    expect(other.headers.etag).not.toBe(etag);
    const cached = await get('/v1/compare?topic=dns');
    expect(cached.body).toBe(first.body);
    expect(cached.headers.etag).toBe(etag);
  });

  it('does not cache errors', async () => {
    const res = await get('/v1/topics/nope');
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('conditional requests', () => {
  it.each([
    ['a fact that does not exist', '/v1/facts/aws/dns/nope', 404],
    ['a topic that does not exist', '/v1/topics/nope', 404],
    ['an invalid search', '/v1/search?q=', 400],
    ['an unknown compare topic', '/v1/compare?topic=nope', 400],
  ])('never answers 304 to If-None-Match: * for %s', async (_name, url, status) => {
    // asked twice: the second time an answer of the first (if any were kept) would be at hand
    for (let i = 0; i < 2; i++) {
      const res = await get(url, { 'if-none-match': '*' });
      expect(res.statusCode).toBe(status);
      expect(res.headers.etag).toBeUndefined();
    }
  });

  it('answers 304 to If-None-Match: * for what exists, computed or cached', async () => {
    for (const url of ['/v1/facts/aws/dns/ndots', '/v1/topics/dns', '/v1/search?q=ndots&limit=3']) {
      const fresh = await get(url, { 'if-none-match': '*' });
      expect(fresh.statusCode).toBe(304);
      expect(fresh.body).toBe('');
      const plain = await get(url);
      expect(plain.statusCode).toBe(200);
      expect(fresh.headers.etag).toBe(plain.headers.etag);
      expect((await get(url, { 'if-none-match': '*' })).statusCode).toBe(304);
    }
  });

  it('answers HEAD with the ETag and Cache-Control of GET, and 304 for its ETag', async () => {
    for (const url of ['/v1/compare?topic=dns', '/v1/facts/aws/dns/ndots', '/v1/topics']) {
      const getRes = await get(url);
      const head = await app.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers.etag).toBe(getRes.headers.etag);
      expect(head.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
      const revalidated = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': getRes.headers.etag as string } });
      expect(revalidated.statusCode).toBe(304);
    }
  });
});

describe('probes and unknown routes', () => {
  it('answers health and readiness', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/ready')).json()).toMatchObject({ status: 'ready', facts: 10 });
  });

  it('answers 404 in the error shape for an unknown route', async () => {
    expectError(await get('/v2/nothing'), 404, /no route GET \/v2\/nothing/);
  });
});
