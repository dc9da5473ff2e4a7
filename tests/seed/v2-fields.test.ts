import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readSnapshot } from '../../src/kb/snapshot.js';
import { canonicalTopic, exportSeed } from '../../src/seed/export.js';
import { readSeed } from '../../src/seed/read.js';
import { auth, TOKEN } from '../helpers/admin.js';
import { FIXTURE_SEED, fixtureApp, seededDb, tempDir } from '../helpers/app.js';

/**
 * The fixture with every optional field of seed v2 in use: a dimension compared by enum (a key on each fact),
 * a fact scoped by `applies` with a dated change, a fact whose two sources were checked on different days, and a
 * dimension (ndots) that declares no compare_by.
 */
function v2Seed(): string {
  const dir = tempDir();
  cpSync(FIXTURE_SEED, dir, { recursive: true });
  const file = join(dir, 'dns.yaml');
  const topic = parse(readFileSync(file, 'utf8'));
  const dim = topic.dimensions[0];
  Object.assign(dim, { compare_by: 'enum', values: ['coredns', 'kube-dns', 'cloud-dns'] });
  const { facts } = dim;
  facts.aws[0].key = 'coredns';
  facts.azure[0].key = 'coredns';
  facts.gcp[0].key = 'kube-dns';
  Object.assign(facts.gcp[1], {
    key: 'cloud-dns',
    status: 'preview',
    confidence: 'medium',
    applies: { versions: '>=1.30', modes: ['Standard'] },
    changes: [{ on: '2027-06-30', what: 'Cloud DNS becomes the default', replaced_by: 'kube-dns' }],
  });
  facts.aws[0].sources.push({
    url: 'https://kubernetes.io/docs/tasks/administer-cluster/coredns/',
    title: 'Using CoreDNS for Service Discovery',
    checked: '2026-02-03',
  });
  // ndots stays a dimension that declares no compare_by, its facts without a key
  const ndots = topic.dimensions[1];
  delete ndots.compare_by;
  delete ndots.unit;
  for (const cell of Object.values(ndots.facts) as { key?: unknown }[][]) for (const f of cell) delete f.key;
  writeFileSync(file, stringify(topic));
  return dir;
}

const SEED = v2Seed();
let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp({ ADMIN_TOKEN: TOKEN }, seededDb(SEED));
});
afterAll(async () => {
  await app.close();
});

const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();
const factUrl = (id: string) => `/v1/facts/${encodeURIComponent(id)}`;
const patch = async (id: string, body: object) => {
  const etag = (await app.inject({ method: 'GET', url: factUrl(id) })).headers.etag;
  return app.inject({ method: 'PATCH', url: factUrl(id), headers: { ...auth, 'if-match': String(etag) }, payload: body });
};

describe('seed v2 fields, stored and served', () => {
  it('serves status, key, applies and changes in the fact, in the order of the seed format', async () => {
    const fact = await get(factUrl('gcp/dns/cluster-dns-server#cloud-dns-for-gke'));
    expect(Object.keys(fact)).toEqual([
      'id',
      'provider',
      'topic',
      'dimension',
      'variant',
      'default',
      'value',
      'key',
      'status',
      'applies',
      'changes',
      'details',
      'sources',
      'verified',
      'confidence',
      'tags',
    ]);
    expect(fact).toMatchObject({
      key: 'cloud-dns',
      status: 'preview',
      applies: { versions: '>=1.30', modes: ['Standard'] },
      changes: [{ on: '2027-06-30', what: 'Cloud DNS becomes the default', replaced_by: 'kube-dns' }],
    });
  });

  it("gives a fact's verified as the oldest checked date of its sources, and each source its own", async () => {
    const fact = await get(factUrl('aws/dns/cluster-dns-server'));
    expect(fact.sources.map((s: { checked: string }) => s.checked)).toEqual(['2026-11-26', '2026-02-03']);
    expect(fact.verified).toBe('2026-02-03');
  });

  it('leaves out key and changes where a fact has none, and answers applies {} for a fact that holds everywhere', async () => {
    const fact = await get(factUrl('aws/dns/ndots'));
    expect(fact).not.toHaveProperty('key');
    expect(fact).not.toHaveProperty('changes');
    expect(fact.applies).toEqual({});
  });

  it('serves compare_by and values on the dimension that declares them, and nothing on the others', async () => {
    const topic = await get('/v1/topics/dns');
    expect(topic.dimensions[0]).toMatchObject({ compare_by: 'enum', values: ['coredns', 'kube-dns', 'cloud-dns'] });
    expect(topic.dimensions[1]).not.toHaveProperty('compare_by');
  });

  it('lists a cell default first whatever the seed order, and migration notes by direction', () => {
    const dir = v2Seed();
    const file = join(dir, 'dns.yaml');
    const topic = parse(readFileSync(file, 'utf8'));
    topic.dimensions[0].facts.gcp.reverse();
    topic.dimensions[0].divergence.migration = { 'gcp->aws': 'b', 'aws->gcp': 'a' };
    writeFileSync(file, stringify(topic));
    const dim = readSnapshot(seededDb(dir)).dimensionByKey.get('dns/cluster-dns-server');
    expect(dim?.cells.gcp.map((f) => f.default)).toEqual([true, false]);
    expect(dim?.divergence.migration.map((m) => m.direction)).toEqual(['aws->gcp', 'gcp->aws']);
  });
});

describe('npm run export with seed v2 fields', () => {
  it('writes them back so that reading the files gives the identical seed', () => {
    const out = tempDir();
    exportSeed(seededDb(SEED), out);
    expect(readSeed(out).topics.map(canonicalTopic)).toEqual(readSeed(SEED).topics.map(canonicalTopic));
    expect(readFileSync(join(out, 'dns.yaml'), 'utf8')).not.toContain('verified');
  });
});

describe('PATCH /v1/facts/{id} with seed v2 fields', () => {
  it('answers 400 naming verified and pointing to sources[].checked', async () => {
    const res = await patch('aws/dns/ndots', { verified: '2026-12-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/body field "verified": .*set sources\[\]\.checked/);
  });

  it('sets status, key, applies and changes, and derives verified from the new sources', async () => {
    const res = await patch('azure/dns/cluster-dns-server', {
      status: 'deprecated',
      key: 'kube-dns',
      applies: { os: 'linux' },
      changes: [{ version: '1.33', what: 'CoreDNS custom config moves' }],
      sources: [
        { url: 'https://learn.microsoft.com/en-us/azure/aks/coredns-custom', title: 'Customize CoreDNS', checked: '2026-12-01' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const fact = await get(factUrl('azure/dns/cluster-dns-server'));
    expect(fact).toMatchObject({
      status: 'deprecated',
      key: 'kube-dns',
      applies: { os: 'linux' },
      changes: [{ version: '1.33', what: 'CoreDNS custom config moves' }],
      verified: '2026-12-01',
    });
  });

  it('answers 400 naming key when it does not fit the dimension, and confidence for a high-confidence preview', async () => {
    const wrongKey = await patch('aws/dns/cluster-dns-server', { key: 'bind9' });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json().message).toMatch(/field "key": must be one of coredns, kube-dns, cloud-dns/);
    const preview = await patch('aws/dns/cluster-dns-server', { status: 'preview' });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().message).toMatch(/field "confidence": a preview fact cannot have confidence high/);
  });
});
