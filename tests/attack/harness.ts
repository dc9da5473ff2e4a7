import { cpSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_SEED } from '../helpers/app.js';
import { type RunningServer, startServer } from '../helpers/server.js';

export const TOKEN = 'attack-admin-token-0123456789';
export const auth = { authorization: `Bearer ${TOKEN}` };

export interface AttackServer extends RunningServer {
  port: number;
  dbPath: string;
  seedDir: string;
  env: Record<string, string>;
}

/** The real server (dist/server.js, as `npm start` runs it) on a temp database and a temp copy of the real seed. */
export async function attackServer(env: Record<string, string> = {}): Promise<AttackServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudiff-attack-'));
  const seedDir = join(dir, 'seed');
  cpSync(REAL_SEED, seedDir, { recursive: true });
  const full = { DB_PATH: join(dir, 'db.sqlite'), SEED_DIR: seedDir, ADMIN_TOKEN: TOKEN, ...env };
  const server = await startServer(full, 40_000);
  return { ...server, port: Number(new URL(server.url).port), dbPath: full.DB_PATH, seedDir, env: full };
}

/** Restarts on the same database and seed directory (the files the previous process left). */
export async function restart(server: AttackServer): Promise<AttackServer> {
  const next = await startServer(server.env, 40_000);
  return { ...next, port: Number(new URL(next.url).port), dbPath: server.dbPath, seedDir: server.seedDir, env: server.env };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A neighbour client: a cheap REST GET every 20 ms while `attack` runs, one at a time (a new one starts when the
 * last answered and 20 ms passed), timing each from send to the end of its body. What it records is how long an
 * innocent client waited while the attack was served.
 */
export async function withNeighbour<T>(
  url: string,
  attack: () => Promise<T>,
): Promise<{ result: T; waits: number[]; failures: string[] }> {
  const waits: number[] = [];
  const failures: string[] = [];
  let done = false;
  const neighbour = (async () => {
    while (!done) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/v1/providers`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`status ${res.status}`);
      } catch (err) {
        failures.push(String(err));
      }
      waits.push(performance.now() - started);
      await sleep(20);
    }
  })();
  try {
    const result = await attack();
    return { result, waits, failures };
  } finally {
    done = true;
    await neighbour;
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface RawAnswer {
  text: string;
  /** How many HTTP responses came back (status lines at the start of a response). */
  responses: number;
  statuses: number[];
  closed: boolean;
}

/** Sends raw bytes on one TCP connection to loopback and collects what comes back until close or `waitMs`. */
export function raw(port: number, bytes: string | Buffer, waitMs = 2_000): Promise<RawAnswer> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
      done({ text, responses: statuses.length, statuses, closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('error', () => {
      closed = true;
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(bytes);
  });
}
