import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Tests that start the real server run dist/server.js as `npm start` does: build it once per test run. */
export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build.mjs')], { stdio: 'inherit' });
}
