import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app.js';
import { freePort, ROOT } from '../helpers/server.js';

/** `npm start` without npm: scripts/start.sh, as the image's CMD runs it (dist/ is built by the global setup). */
describe('scripts/start.sh', () => {
  it('execs node with the memory flags of MEMORY_LIMIT_MB, keeping its process id for the signals', async () => {
    const port = await freePort();
    const child = spawn('sh', ['scripts/start.sh'], {
      cwd: ROOT,
      env: {
        ...process.env,
        MEMORY_LIMIT_MB: '512',
        PORT: String(port),
        HOST: '127.0.0.1',
        DB_PATH: join(tempDir(), 'start.sqlite'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    for (let ready = false; !ready; ) {
      expect(child.exitCode, out).toBeNull();
      ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(cmdline).toEqual([
      'node',
      '--enable-source-maps',
      '--max-semi-space-size=4',
      `--max-old-space-size=${512 * 0.75}`,
      'dist/server.js',
    ]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stops before starting node when the environment is invalid, naming the variable', async () => {
    const child = spawn('sh', ['scripts/start.sh'], {
      cwd: ROOT,
      env: { ...process.env, MEMORY_LIMIT_MB: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    expect(code).not.toBe(0);
    expect(err).toContain('MEMORY_LIMIT_MB');
  });
});
