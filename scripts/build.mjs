// `npm run build` (and before `npm start`): compiles src/ to dist/ with esbuild, file by file, keeping the
// layout (modules find migrations/ and package.json at the same relative depth as in src/). Production runs
// plain JavaScript: no TypeScript loader in the server process, a faster start and a smaller footprint.
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
// built beside dist/ and swapped in by renames: a CLI run or a server start reading dist/ meanwhile (bin/cloudiff.js
// rebuilds a stale dist/ on its own) never sees a half-written tree, and concurrent builds do not delete each other's
const out = join(root, `dist.tmp-${process.pid}`);
const old = join(root, `dist.old-${process.pid}`);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const files = walk(src);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: files.filter((f) => f.endsWith('.ts')),
  outdir: out,
  outbase: src,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
// the CLI (bin/cloudiff.js) as one bundle plus lazily loaded chunks: a command starts in a fraction of the time
// resolving and loading some 240 separate modules takes. In dist/cli/ like main.js, so the paths its modules
// derive from import.meta.url (the clone, migrations/) stay the same. better-sqlite3 is native: loaded as is.
await build({
  entryPoints: { run: join(src, 'cli/main.ts') },
  outdir: join(out, 'cli'),
  chunkNames: 'run-[hash]',
  bundle: true,
  splitting: true,
  external: ['better-sqlite3'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
// files read at run time next to their module (the GraphQL SDL, the web UI's assets)
for (const f of files.filter((f) => !f.endsWith('.ts'))) {
  const dest = join(out, relative(src, f));
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(f, dest);
}
try {
  renameSync(dist, old);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
try {
  renameSync(out, dist);
} catch (err) {
  // another build swapped its tree in between the two renames: built from the same sources, it stays
  if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
  rmSync(out, { recursive: true, force: true });
}
rmSync(old, { recursive: true, force: true });
