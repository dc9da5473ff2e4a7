// The node arguments of `npm start`, read from package.json, so the tests and the benchmark start the server
// exactly as users do (same V8 flags) without repeating them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `["--enable-source-maps", …, "dist/server.js"]`: the words of scripts.start after `node`. */
export function serverArgs() {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
  const [command, ...args] = pkg.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`scripts.start must run node, found: ${pkg.scripts.start}`);
  return args;
}
