import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { DbOpenError, openForServing } from '../../src/db/connection.js';
import { buildDb } from '../../src/seed/build.js';
import { auth, TOKEN } from '../helpers/admin.js';
import { FIXTURE_SEED, seededDb, tempDir, testConfig } from '../helpers/app.js';
import { startServer } from '../helpers/server.js';

const ID = 'aws/dns/ndots';
const url = `/v1/facts/${encodeURIComponent(ID)}`;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The app on a database file, with its error-level log lines collected. */
async function appOn(dbPath: string, db = seededDb(FIXTURE_SEED, dbPath)) {
  const errors: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      errors.push(String(chunk));
      done();
    },
  });
  app = await buildApp(testConfig({ ADMIN_TOKEN: TOKEN }), { db, logger: { level: 'error', stream } });
  await app.ready();
  return { app, errors };
}

async function patch(a: FastifyInstance) {
  const etag = (await a.inject({ method: 'GET', url })).headers.etag;
  return a.inject({ method: 'PATCH', url, headers: { ...auth, 'if-match': String(etag) }, payload: { value: 'changed' } });
}

describe('writes when the database cannot keep them', () => {
  it('answers 503 naming the file, logs it at error level and says so in /ready and /v1/dataset, once the database is deleted', async () => {
    const path = join(tempDir(), 'db.sqlite');
    const { app: a, errors } = await appOn(path);
    expect((await a.inject('/ready')).json().writable).toBe(true);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });

    const res = await patch(a);
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toContain(`the database file ${path} was deleted`);
    expect(errors.join('')).toMatch(/"level":50.*writes are not possible: the database file .* was deleted/);
    expect((await a.inject(url)).json().value).toBe('ndots 5');
    const ready = await a.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().writable).toBe(false);
    const dataset = (await a.inject('/v1/dataset')).json();
    expect(dataset.writable).toBe(false);
    expect(dataset.write_problem).toContain('was deleted');
  });

  it('answers 503 once the database file turns read-only under the running server', async () => {
    const path = join(tempDir(), 'db.sqlite');
    const { app: a } = await appOn(path);
    chmodSync(path, 0o444);
    const res = await patch(a);
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toContain(`the database ${path} (or its directory) is no longer writable`);
  });

  it('serves a database built by db:build read-only: reads answer, writes are 503, /ready says writable false', async () => {
    const path = join(tempDir(), 'built.sqlite');
    buildDb(FIXTURE_SEED, path);
    const opened = openForServing(path);
    expect(opened.writable).toBe(false);
    const { app: a, errors } = await appOn(path, opened.db);
    expect((await a.inject(url)).json().value).toBe('ndots 5');
    const res = await patch(a);
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/is read-only .* this server serves reads only/);
    expect((await a.inject('/ready')).json()).toMatchObject({ status: 'ready', writable: false });
    // read-only by design: nothing to raise at error level
    expect(errors).toEqual([]);
    opened.db.$client.close();
  });
});

describe('a database directory that cannot be written at start', () => {
  it('refuses to open with a message naming the path', () => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    expect(() => openForServing(join(dir, 'db.sqlite'))).toThrow(DbOpenError);
    expect(() => openForServing(join(dir, 'db.sqlite'))).toThrow(
      `cannot create the database ${join(dir, 'db.sqlite')}: ${dir} is not writable`,
    );
  });

  it('makes the server exit with that message and no stack trace', async () => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const failure = await startServer({ DB_PATH: join(dir, 'sub', 'db.sqlite') }, 15_000).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/server exited with 1/);
    expect(failure).toContain(`cannot create the database ${join(dir, 'sub', 'db.sqlite')}: ${dir} is not writable`);
    expect(failure).not.toMatch(/\n\s+at /);
  });
});

describe('GraphQL mutations when the database cannot keep them', () => {
  it('answer UNAVAILABLE with the reason, not an internal error', async () => {
    const path = join(tempDir(), 'db.sqlite');
    const { app: a } = await appOn(path);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const res = await a.inject({
      method: 'POST',
      url: '/graphql',
      headers: auth,
      payload: {
        query: 'mutation($id: ID!) { updateFact(id: $id, ifMatch: "*", patch: { value: "changed" }) { etag } }',
        variables: { id: ID },
      },
    });
    const error = res.json().errors?.[0];
    expect(error?.extensions?.code).toBe('UNAVAILABLE');
    expect(error?.message).toContain('was deleted');
  });
});
