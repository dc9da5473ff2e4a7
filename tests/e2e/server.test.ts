import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeed } from '../../src/seed/read.js';
import { REAL_SEED, tempDir } from '../helpers/app.js';
import { type RunningServer, startServer } from '../helpers/server.js';

describe('the real server on the real seed (as `npm start` runs it)', () => {
  let server: RunningServer;
  const dbPath = join(tempDir(), 'nested', 'cloudiff.sqlite');
  const topics = readSeed(REAL_SEED).topics;

  beforeAll(async () => {
    server = await startServer({ DB_PATH: dbPath, SEED_DIR: REAL_SEED });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates and seeds the database on first start', async () => {
    expect(existsSync(dbPath)).toBe(true);
    const dataset = (await (await fetch(`${server.url}/v1/dataset`)).json()) as { counts: { topics: number; facts: number } };
    expect(dataset.counts.topics).toBe(topics.length);
    expect(dataset.counts.facts).toBeGreaterThan(0);
  });

  it('serves /v1/compare for a topic of the seed', async () => {
    const topic = topics.find((t) => t.slug === 'load-balancing') ?? topics[0];
    if (!topic) throw new Error('the real seed has no topics');
    const res = await fetch(`${server.url}/v1/compare?topic=${topic.slug}&providers=aws,azure,gcp`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    const body = (await res.json()) as {
      topic: { slug: string };
      rows: { dimension: { slug: string }; cells: Record<string, unknown[]> }[];
    };
    expect(body.topic.slug).toBe(topic.slug);
    expect(body.rows.map((r: { dimension: { slug: string } }) => r.dimension.slug)).toEqual(topic.dimensions.map((d) => d.slug));
    for (const row of body.rows) {
      for (const p of ['aws', 'azure', 'gcp']) expect(row.cells[p]?.length).toBeGreaterThan(0);
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
