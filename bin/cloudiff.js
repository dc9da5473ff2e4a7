#!/usr/bin/env node
// The `cloudiff` command. It runs the compiled JavaScript in dist/ (scripts/build.mjs, the build `npm start`
// runs; dist/cli/run.js is the CLI bundled), which starts in a fraction of the time compiling TypeScript
// through tsx at every run took. When dist/ is missing or older than a file of src/ (a fresh clone after
// `npm ci`, a `git pull`, an edit), it builds dist/ first, so the command never runs stale code. Paths resolve from this file: it works from any directory.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/run.js', import.meta.url));
const src = fileURLToPath(new URL('../src/', import.meta.url));

/** True when some file of src/ changed after dist/ was built (a few milliseconds for the whole tree). */
function stale(builtAt) {
  return readdirSync(src, { recursive: true, withFileTypes: true }).some(
    (e) => e.isFile() && statSync(`${e.parentPath}/${e.name}`).mtimeMs > builtAt,
  );
}

if (!existsSync(entry) || (existsSync(src) && stale(statSync(entry).mtimeMs))) {
  try {
    await import('../scripts/build.mjs');
  } catch (err) {
    // a read-only install (an image, a shared clone) still runs the dist/ it has
    if (!existsSync(entry)) throw err;
    process.stderr.write(`cloudiff: could not rebuild dist/ (${err.message}); running the existing build\n`);
  }
}
const { main } = await import(new URL('../dist/cli/run.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
