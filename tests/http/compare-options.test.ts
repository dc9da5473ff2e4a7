import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../graphql/client.js';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });
const rowSlugs = (body: { rows: { dimension: { slug: string } }[] }) => body.rows.map((r) => r.dimension.slug);

describe('GET /v1/compare?dimension=', () => {
  it('answers only the named row, otherwise the same body as the whole matrix', async () => {
    const all = (await get('/v1/compare?topic=dns')).json();
    const res = await get('/v1/compare?topic=dns&dimension=ndots');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ...all,
      rows: all.rows.filter((r: { dimension: { slug: string } }) => r.dimension.slug === 'ndots'),
    });
  });

  it("keeps the topic's row order whatever the order of the list, and accepts topic/dimension", async () => {
    const res = await get('/v1/compare?topic=dns&dimension=ndots,%20dns/cluster-dns-server,ndots');
    expect(res.statusCode).toBe(200);
    expect(rowSlugs(res.json())).toEqual(['cluster-dns-server', 'ndots']);
  });

  it('answers every row for an empty list', async () => {
    expect(rowSlugs((await get('/v1/compare?topic=dns&dimension=')).json())).toEqual(['cluster-dns-server', 'ndots']);
  });

  it("returns 400 naming dimension and the topic's dimensions for one the topic does not have", async () => {
    const res = await get('/v1/compare?topic=dns&dimension=ndots,default-lb-for-service');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'query parameter "dimension": unknown dimension "default-lb-for-service" in topic dns; use one of cluster-dns-server, ndots',
    });
  });
});

describe('GET /v1/compare with a topic alias', () => {
  it('answers the same body for an alias (any case) as for the slug', async () => {
    const bySlug = (await get('/v1/compare?topic=load-balancing')).json();
    for (const alias of ['LB', 'lb', 'Load%20Balancer']) {
      const res = await get(`/v1/compare?topic=${alias}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(bySlug);
    }
  });

  it('still returns 400 naming topic and the topics for a name that is neither', async () => {
    const res = await get('/v1/compare?topic=kube-proxy');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('query parameter "topic": unknown topic "kube-proxy"; use one of dns, load-balancing');
  });

  it('does not resolve aliases where a topic slug is asked for elsewhere (facts)', async () => {
    expect((await get('/v1/facts?topic=ndots')).statusCode).toBe(400);
  });
});

describe('GraphQL compare(dimensions:)', () => {
  const query = `query($topic: String!, $dimensions: [String!]) {
    compare(topic: $topic, dimensions: $dimensions) { topic { slug } rows { dimension { slug } } }
  }`;

  it('answers the rows GET /v1/compare?dimension= answers, through an alias too', async () => {
    const { body } = await gql(app, query, { topic: 'CoreDNS', dimensions: ['ndots'] });
    expect(body).toEqual({ data: { compare: { topic: { slug: 'dns' }, rows: [{ dimension: { slug: 'ndots' } }] } } });
  });

  it('names the dimensions argument for an unknown dimension', async () => {
    const { body } = await gql(app, query, { topic: 'dns', dimensions: ['nope'] });
    expect(body.data?.compare).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'dimensions' });
    expect(body.errors?.[0]?.message).toMatch(/unknown dimension "nope" in topic dns; use one of cluster-dns-server, ndots/);
  });
});

describe('topic aliases on the real seed', () => {
  it('refuses an alias two topics share, naming both', async () => {
    const realApp = await fixtureApp({}, seededDb(REAL_SEED));
    try {
      const res = await realApp.inject({ method: 'GET', url: '/v1/compare?topic=Transit%20Gateway' });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe(
        'query parameter "topic": "Transit Gateway" is an alias of several topics (cross-cloud-connectivity, private-connectivity); use a slug',
      );
      const one = await realApp.inject({ method: 'GET', url: '/v1/compare?topic=IPAM&dimension=per-node-pod-range' });
      expect(one.statusCode).toBe(200);
      expect(one.json().topic.slug).toBe('ip-allocation');
    } finally {
      await realApp.close();
    }
  });
});
