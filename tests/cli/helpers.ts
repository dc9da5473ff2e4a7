import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';

export const BIN = resolve(import.meta.dirname, '../../bin/cloudiff.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment of a CLI run: the given database and seed, a fixed width, no server named by the caller's shell. */
export function cliEnv(dir: string, seedDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { CLOUDIFF_URL: _url, ...env } = process.env;
  return { ...env, DB_PATH: join(dir, 'cloudiff.sqlite'), SEED_DIR: seedDir, COLUMNS: '100', ...extra };
}

/** `node bin/cloudiff.js …` as a user runs it, from another working directory. */
export function runBin(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** The same command in-process (the code bin/cloudiff.js runs), for the many cases that need no new process. */
export async function runMain(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}
