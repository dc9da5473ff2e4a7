// `npm run openapi`: writes openapi/openapi.json from the route schemas (a test fails when it drifts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { EXAMPLES_PATH, type Examples } from '../src/http/openapi.js';
import { loadSeed } from '../src/seed/load.js';
import { readSeed } from '../src/seed/read.js';

export const OPENAPI_PATH = resolve(import.meta.dirname, '../openapi/openapi.json');

/**
 * One request per GET operation, on the fixture seed: its answers become the document's examples. A new GET route
 * needs a line here (the generator names it otherwise); 400 and 404 examples come from a bad request.
 */
export const SAMPLE_REQUESTS: Record<string, { ok: string; bad?: string; missing?: string }> = {
  '/health': { ok: '/health' },
  '/ready': { ok: '/ready' },
  '/v1/providers': { ok: '/v1/providers' },
  '/v1/topics': { ok: '/v1/topics' },
  '/v1/topics/{slug}': { ok: '/v1/topics/dns', missing: '/v1/topics/nope' },
  '/v1/facts': { ok: '/v1/facts?topic=dns&limit=2', bad: '/v1/facts?limit=0' },
  '/v1/facts/{id}': { ok: '/v1/facts/aws%2Fdns%2Fcluster-dns-server', missing: '/v1/facts/aws%2Fdns%2Fnope' },
  '/v1/compare': { ok: '/v1/compare?topic=dns&providers=aws,gcp', bad: '/v1/compare?topic=nope' },
  '/v1/diff': { ok: '/v1/diff?from=aws&to=gcp&topic=dns', bad: '/v1/diff?from=aws&to=oracle' },
  '/v1/search': { ok: '/v1/search?q=coredns&limit=2', bad: '/v1/search?q=%20' },
  '/v1/ask': { ok: '/v1/ask?q=which+dns+server+does+eks+use', bad: '/v1/ask?q=%3F%3F' },
  '/v1/timeline': { ok: '/v1/timeline?from=2024-01-01&to=2030-12-31', bad: '/v1/timeline?from=yesterday' },
  '/v1/calculators/ip-capacity': {
    ok: '/v1/calculators/ip-capacity?provider=gke&pod_range_prefix=14',
    bad: '/v1/calculators/ip-capacity?provider=oracle',
  },
  '/v1/dataset': { ok: '/v1/dataset' },
  '/v1/export': { ok: '/v1/export?format=json', bad: '/v1/export?format=xml' },
  '/v1/facts/{provider}/{topic}/{dimension}/history': { ok: '/v1/facts/aws/dns/cluster-dns-server/history' },
  '/v1/changes': { ok: '/v1/changes?since=2020-01-01T00:00:00Z', bad: '/v1/changes?since=later' },
};

/** Times of the generating run (when the fixture was loaded) would change the document on every run. */
const RUN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
function stable(value: unknown): unknown {
  if (typeof value === 'string') return RUN_TIME.test(value) ? '2026-01-01T00:00:00.000Z' : value;
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v)]));
  return value;
}

/** The example answers of every GET operation, from an app on the fixture seed. */
export async function generateExamples(paths: readonly string[]): Promise<Examples> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' }), { db: fixtureDb() });
  await app.ready();
  const examples: Examples = {};
  const missing = paths.filter((p) => !SAMPLE_REQUESTS[p]);
  if (missing.length) throw new Error(`scripts/openapi.ts: add a sample request for ${missing.join(', ')}`);
  for (const path of paths) {
    const sample = SAMPLE_REQUESTS[path]!;
    const byStatus: Record<string, unknown> = {};
    for (const [kind, url] of Object.entries(sample)) {
      const res = await app.inject(url);
      const expected = { ok: 200, bad: 400, missing: 404 }[kind as 'ok' | 'bad' | 'missing'];
      if (res.statusCode !== expected) throw new Error(`${url}: expected ${expected}, got ${res.statusCode} ${res.body}`);
      if (res.headers['content-type']?.toString().startsWith('application/json')) byStatus[String(expected)] = stable(res.json());
    }
    examples[path] = byStatus;
  }
  await app.close();
  return examples;
}

function fixtureDb() {
  const db = openDb(':memory:');
  loadSeed(db, readSeed(resolve(import.meta.dirname, '../tests/fixtures/seed')));
  return db;
}

/** The document as committed: generated from an app on an empty database, so data never leaks into it. */
export async function generateOpenapi(): Promise<string> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: 'openapi-generation-token' }), {
    db: openDb(':memory:'),
  });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(resolve(OPENAPI_PATH, '..'), { recursive: true });
  const gets = Object.entries(JSON.parse(await generateOpenapi()).paths as Record<string, Record<string, unknown>>)
    .filter(([, item]) => 'get' in item)
    .map(([path]) => path);
  writeFileSync(EXAMPLES_PATH, `${JSON.stringify(await generateExamples(gets), null, 2)}\n`);
  writeFileSync(OPENAPI_PATH, await generateOpenapi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
