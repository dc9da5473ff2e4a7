import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_FIELDS } from '../../src/domain/fields.js';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

const doc = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../openapi/openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, 'openapi.json');
/** A validator for the documented 200 body of a path, or of one component schema. */
const documented = (pointer: string) => {
  const validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
  return (body: unknown) => (validate(body) ? [] : (validate.errors ?? []));
};
const ok200 = (path: string) =>
  documented(`/paths/${path.replaceAll('/', '~1')}/get/responses/200/content/application~1json/schema`);

describe('fields= on GET /v1/compare', () => {
  it('keeps the listed fields and what identifies each fact, the rest of the answer unchanged', async () => {
    const full = (await get('/v1/compare?topic=dns&providers=gcp&dimension=cluster-dns-server')).json();
    const res = await get('/v1/compare?topic=dns&providers=gcp&dimension=cluster-dns-server&fields=value,status');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ...full,
      rows: [
        {
          ...full.rows[0],
          cells: {
            gcp: [
              {
                id: 'gcp/dns/cluster-dns-server#kube-dns',
                provider: 'gcp',
                variant: 'kube-dns',
                default: true,
                value: 'kube-dns',
                status: 'ga',
              },
              {
                id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke',
                provider: 'gcp',
                variant: 'Cloud DNS for GKE',
                default: false,
                value: 'Cloud DNS',
                status: 'ga',
              },
            ],
          },
        },
      ],
    });
  });

  it('answers a body the OpenAPI document describes, which the full Compare shape alone would refuse', async () => {
    const body = (await get('/v1/compare?topic=load-balancing&fields=value,status,sources')).json();
    const fact = body.rows[0].cells.aws[0];
    expect(Object.keys(fact).sort()).toEqual(['default', 'id', 'provider', 'sources', 'status', 'value']);
    expect(ok200('/v1/compare')(body)).toEqual([]);
    expect(documented('/components/schemas/Compare')(body)).not.toEqual([]);
    expect(ok200('/v1/compare')((await get('/v1/compare?topic=load-balancing')).json())).toEqual([]);
  });

  it('returns 400 naming fields and every fact field for an unknown one', async () => {
    const res = await get('/v1/compare?topic=dns&fields=value,colour');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `query parameter "fields": unknown fact field "colour"; use some of ${FACT_FIELDS.join(', ')}`,
    });
    expect(FACT_FIELDS).toEqual(expect.arrayContaining(['id', 'value', 'status', 'sources', 'details', 'verified', 'tags']));
  });

  it('answers the whole facts for an empty list', async () => {
    expect((await get('/v1/compare?topic=dns&fields=')).json()).toEqual((await get('/v1/compare?topic=dns')).json());
  });
});

describe('fields= on GET /v1/facts and /v1/facts/{id}', () => {
  it('cuts every fact of a page and keeps the cursor', async () => {
    const res = await get('/v1/facts?topic=dns&provider=aws&limit=1&fields=value');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      items: [{ id: 'aws/dns/cluster-dns-server', provider: 'aws', default: true, value: 'CoreDNS as an EKS add-on' }],
      next: body.next,
    });
    expect(body.next).toEqual(expect.any(String));
    expect(res.headers.link).toMatch(/fields=value/);
    expect(ok200('/v1/facts')(body)).toEqual([]);
  });

  it('cuts one fact, with its own ETag', async () => {
    const full = await get('/v1/facts/aws/dns/ndots');
    const res = await get('/v1/facts/aws%2Fdns%2Fndots?fields=sources,verified');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: 'aws/dns/ndots',
      provider: 'aws',
      default: true,
      sources: full.json().sources,
      verified: full.json().verified,
    });
    expect(ok200('/v1/facts/{id}')(res.json())).toEqual([]);
    expect(res.headers.etag).toBe(full.headers.etag);
  });

  it('returns 400 naming fields on both', async () => {
    for (const url of ['/v1/facts?fields=nope', '/v1/facts/aws/dns/ndots?fields=nope']) {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/^query parameter "fields": unknown fact field "nope"; use some of id, provider/);
    }
  });
});

describe('fields= on GET /v1/diff', () => {
  it('cuts the facts on both sides of every item', async () => {
    const full = (await get('/v1/diff?from=aws&to=gcp')).json();
    const res = await get('/v1/diff?from=aws&to=gcp&fields=value');
    expect(res.statusCode).toBe(200);
    const cut = (f: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(f).filter(([k]) => ['id', 'provider', 'variant', 'default', 'value'].includes(k)));
    expect(res.json()).toEqual({
      ...full,
      items: full.items.map((i: { from: Record<string, unknown>[]; to: Record<string, unknown>[] }) => ({
        ...i,
        from: i.from.map(cut),
        to: i.to.map(cut),
      })),
    });
    expect(full.items.length).toBeGreaterThan(0);
    expect(ok200('/v1/diff')(res.json())).toEqual([]);
  });
});
