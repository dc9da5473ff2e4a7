import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(() => app.close());

/** A CSV answer's rows as arrays of cells (the fixture holds no quoted commas in ids). */
const rows = (body: string) => body.trimEnd().split('\r\n');

describe('filtered CSV', () => {
  it('answers GET /v1/facts?format=csv with every fact the filters match, no paging, as text/csv', async () => {
    const res = await app.inject('/v1/facts?format=csv&provider=gcp&limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = rows(res.body);
    expect(lines[0]).toMatch(/^id,provider,topic,topic_title,dimension,dimension_title,variant,default,value,/);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    const json = (await app.inject('/v1/facts?provider=gcp&limit=200')).json() as { items: { id: string }[] };
    expect(ids).toEqual(json.items.map((f) => f.id));
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.every((id) => id?.startsWith('gcp/'))).toBe(true);
  });

  it('answers GET /v1/compare?format=csv with the matrix facts in row and provider order', async () => {
    const res = await app.inject('/v1/compare?topic=dns&providers=gcp,aws&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('cloudiff-dns.csv');
    const ids = rows(res.body)
      .slice(1)
      .map((l) => l.split(',')[0]);
    const matrix = (await app.inject('/v1/compare?topic=dns&providers=gcp,aws')).json() as {
      providers: string[];
      rows: { cells: Record<string, { id: string }[]> }[];
    };
    expect(ids).toEqual(matrix.rows.flatMap((r) => matrix.providers.flatMap((p) => r.cells[p] ?? []).map((f) => f.id)));
    expect(ids.some((id) => id?.startsWith('azure/'))).toBe(false);
  });

  it('refuses an unknown format with 400 naming it, and keeps the filters’ own 400s', async () => {
    const bad = await app.inject('/v1/facts?format=xlsx');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('format');
    expect((await app.inject('/v1/facts?format=csv&status=shiny')).statusCode).toBe(400);
    expect((await app.inject('/v1/compare?topic=nope&format=csv')).statusCode).toBe(400);
  });
});
