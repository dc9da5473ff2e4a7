import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_SEED, tempDir } from '../helpers/app.js';
import { type RunningServer, startServer } from '../helpers/server.js';

const TOKEN = 'crash-test-admin-token-0123';
const ROUNDS = 5;
/** Writes in flight at once: the kill lands while some are being processed. */
const CONCURRENCY = 4;

describe('crash safety of the write API', () => {
  const dbPath = join(tempDir(), 'crash.sqlite');
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('keeps every acknowledged write and an intact database across repeated SIGKILLs', async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer({ DB_PATH: dbPath, SEED_DIR: FIXTURE_SEED, ADMIN_TOKEN: TOKEN });
      const { url } = server;

      // every write acknowledged before the previous kill is served after the restart
      for (const id of acknowledged) {
        const res = await fetch(`${url}/v1/facts/${encodeURIComponent(id)}`);
        expect(res.status, id).toBe(200);
      }

      // a stream of writes; the process is killed once enough are acknowledged, with others still in flight
      const killAfter = 8 + round * 3;
      const before = acknowledged.length;
      let next = 0;
      let killed = false;
      const writer = async () => {
        while (!killed) {
          const n = next++;
          const variant = `crash r${round} n${n}`;
          try {
            const res = await fetch(`${url}/v1/facts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                provider: 'gcp',
                topic: 'dns',
                dimension: 'cluster-dns-server',
                variant,
                value: `value ${n}`,
                details: `Written in round ${round} as number ${n}.`,
                status: 'ga',
                sources: [{ url: 'https://kubernetes.io/docs/concepts/', title: 'Crash test', checked: '2026-11-26' }],
                confidence: 'low',
              }),
            });
            if (res.status === 201) {
              acknowledged.push(((await res.json()) as { id: string }).id);
              if (acknowledged.length - before >= killAfter && !killed) {
                killed = true;
                server?.child.kill('SIGKILL');
              }
            } else {
              expect(res.status, await res.text()).toBe(201);
            }
          } catch {
            // the connection died with the process: this write was never acknowledged
            killed = true;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, writer));
      await server.stop('SIGKILL');
      server = undefined;

      const db = new Database(dbPath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        // FTS5's own check: the index matches its content
        expect(() => db.prepare("INSERT INTO search_index(search_index) VALUES ('integrity-check')").run()).not.toThrow();
        const stored = new Set(db.prepare('SELECT id FROM facts').pluck().all() as string[]);
        const missing = acknowledged.filter((id) => !stored.has(id));
        expect(missing, `round ${round}: acknowledged writes lost`).toEqual([]);
        // every stored admin fact has its revision and its index row: nothing half-written
        const orphans = db
          .prepare(
            "SELECT id FROM facts WHERE origin = 'admin' AND (id NOT IN (SELECT fact_id FROM revisions WHERE fact_id IS NOT NULL) OR id NOT IN (SELECT ref FROM search_index WHERE kind = 'fact'))",
          )
          .all();
        expect(orphans).toEqual([]);
      } finally {
        db.close();
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(8 * ROUNDS);
  }, 60_000);
});
