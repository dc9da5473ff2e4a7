import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, attackServer, auth, restart } from './harness.js';

const running: AttackServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
});
async function started(s: Promise<AttackServer>): Promise<AttackServer> {
  const server = await s;
  running.push(server);
  return server;
}

/** A fact of the real seed, and a cell of it that holds variants (a new one may be added beside them). */
const ID = 'aws/dns/cluster-dns-server';
const factUrl = (server: AttackServer, id = ID) => `${server.url}/v1/facts/${encodeURIComponent(id)}`;

async function patchValue(server: AttackServer, value: string) {
  const etag = (await fetch(factUrl(server))).headers.get('etag') ?? '';
  const res = await fetch(factUrl(server), {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify({ value }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as { message?: string; value?: string } };
}

const ready = async (server: AttackServer) => (await (await fetch(`${server.url}/ready`)).json()) as { writable: boolean };

describe('storage failures under the real server', () => {
  it('refuses writes with 503 once the database and its WAL are deleted, and loses nothing it acknowledged', async () => {
    let server = await started(attackServer({ LOG_LEVEL: 'info' }));
    expect((await patchValue(server, 'before deletion')).status).toBe(200);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${server.dbPath}${suffix}`, { force: true });
    const acknowledged: string[] = [];
    for (const value of fc.sample(
      fc.string({ minLength: 1, maxLength: 30 }).map((s) => `after deletion ${s.trim()}`),
      5,
    )) {
      const res = await patchValue(server, value);
      if (res.status === 200) acknowledged.push(value);
      else {
        expect(res.status).toBe(503);
        expect(res.body.message).toMatch(/deleted/);
      }
    }
    expect(acknowledged).toEqual([]);
    expect((await ready(server)).writable).toBe(false);
    expect(server.output()).toMatch(/writes are not possible/);
    await server.stop('SIGTERM');
    running.pop();
    server = await started(restart(server));
    const value = ((await (await fetch(factUrl(server))).json()) as { value: string }).value;
    expect(value).not.toMatch(/after deletion/);
  });

  it('refuses writes with 503 and says writes are unavailable once the database turns read-only', async () => {
    const server = await started(attackServer());
    expect((await ready(server)).writable).toBe(true);
    chmodSync(server.dbPath, 0o444);
    const res = await patchValue(server, 'while read-only');
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/no longer writable|read-only/);
    expect((await ready(server)).writable).toBe(false);
    const dataset = (await (await fetch(`${server.url}/v1/dataset`)).json()) as { writable: boolean };
    expect(dataset.writable).toBe(false);
    // reads keep answering
    expect((await fetch(factUrl(server))).status).toBe(200);
  });

  it.each([
    ['a directory', (path: string) => mkdirSync(path), /dns\.yaml: is a directory/],
    ['a symlink to /dev/zero', (path: string) => symlinkSync('/dev/zero', path), /dns\.yaml: is not a regular file/],
  ])('starts within its bound and serves the old data when a seed file is %s', async (_name, replace, problem) => {
    let server = await started(attackServer({ LOG_LEVEL: 'info' }));
    await server.stop('SIGTERM');
    running.pop();
    const file = join(server.seedDir, 'dns.yaml');
    rmSync(file);
    replace(file);
    // restart waits at most 40 s for /ready: a hang fails here rather than stalling the run
    server = await started(restart(server));
    expect((await fetch(factUrl(server))).status).toBe(200);
    expect(server.output()).toMatch(problem);
  });

  it('keeps every acknowledged write across kill -9 in the middle of a stream of writes', async () => {
    let server = await started(attackServer());
    const acknowledged: string[] = [];
    for (let round = 0; round < 2; round++) {
      let killed = false;
      let n = 0;
      const writer = async () => {
        while (!killed && n < 200) {
          const i = n++;
          try {
            const res = await fetch(`${server.url}/v1/facts`, {
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify({
                provider: 'gcp',
                topic: 'dns',
                dimension: 'cluster-dns-server',
                variant: `attack r${round} n${i}`,
                value: `value ${i}`,
                details: `Written by the attack run, round ${round}, number ${i}.`,
                status: 'ga',
                sources: [{ url: 'https://kubernetes.io/docs/concepts/', title: 'Attack', checked: '2026-11-26' }],
                confidence: 'low',
                key: 'coredns',
              }),
            });
            if (res.status === 201) {
              acknowledged.push(((await res.json()) as { id: string }).id);
              if (acknowledged.length >= (round + 1) * 10 && !killed) {
                killed = true;
                server.child.kill('SIGKILL');
              }
            } else refused.push(`${res.status} ${await res.text()}`);
          } catch {
            // the connection died with the process: this write was never acknowledged
            killed = true;
          }
        }
      };
      const refused: string[] = [];
      await Promise.all([writer(), writer(), writer(), writer()]);
      expect(refused).toEqual([]);
      await server.stop('SIGKILL');
      running.pop();
      const db = new Database(server.dbPath, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      server = await started(restart(server));
      for (const id of acknowledged) expect((await fetch(factUrl(server, id))).status, id).toBe(200);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);
    expect(existsSync(server.dbPath)).toBe(true);
  });
});
