// The node arguments of the server, for everything that starts it: `npm start` and the image (through
// scripts/start.sh), the tests and the benchmark. The V8 memory flags come from MEMORY_LIMIT_MB by way of
// src/config.ts, compiled to dist/ by the build that each of them runs first.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/** `["--enable-source-maps", "--max-semi-space-size=4", "--max-old-space-size=288", "dist/server.js"]` for the env. */
export function serverArgs(env = process.env) {
  // dist/config.js is ES modules and may not exist when this module is imported, so ask a node of its own
  return execFileSync(process.execPath, [SELF], { env, encoding: 'utf8' }).split('\n').filter(Boolean);
}

// run as a script: print them, one per line (a bad environment stops here with the variable's name)
if (process.argv[1] === SELF) {
  const { loadConfig, memoryFlags } = await import('../dist/config.js');
  let flags;
  try {
    flags = memoryFlags(loadConfig().MEMORY_LIMIT_MB);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  process.stdout.write(`${['--enable-source-maps', ...flags, 'dist/server.js'].join('\n')}\n`);
}
