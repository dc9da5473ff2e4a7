import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SEED, tempDir } from '../helpers/app.js';
import { startServer } from '../helpers/server.js';

describe('graceful shutdown', () => {
  it('finishes a request in flight when SIGTERM arrives, refuses new connections, then exits 0', async () => {
    const server = await startServer({ DB_PATH: join(tempDir(), 'db.sqlite'), SEED_DIR: FIXTURE_SEED });
    const { port } = new URL(server.url);
    const body = JSON.stringify({ q: 'which DNS server do pods use on GKE?' });
    // a POST whose body is still arriving: in flight when the signal comes
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/ask',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).providers).toEqual(['gcp']);
    const exitCode =
      server.child.exitCode ??
      (await new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code))));
    expect(exitCode).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
