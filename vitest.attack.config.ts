import { defineConfig } from 'vitest/config';

/**
 * `npm run attack`: issue 12's attack classes replayed against the real server (dist/server.js on loopback, a temp
 * database and a temp copy of seed/), with fresh fast-check payloads every run. Kept out of `npm test` (its
 * files end in .attack.ts) because each file starts its own server processes; the whole run stays under two
 * minutes, every loop bounded in count and in time.
 */
export default defineConfig({
  test: {
    include: ['tests/attack/**/*.attack.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the files mostly wait on their servers (slowloris holds its trickles for ~31 s, storage restarts servers):
    // three at a time keeps the run within two minutes on a 2-core machine; vitest's default there is one
    maxWorkers: 3,
  },
});
