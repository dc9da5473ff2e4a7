import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that start real server processes, kill them, or drive a browser: `npm run test:fast` leaves them out. */
const SLOW = [
  'tests/e2e/**/*.test.ts',
  'tests/security/crash.test.ts',
  'tests/security/seed-failure.test.ts',
  'tests/deploy/start.test.ts',
  'tests/web/browser.test.ts',
];

/**
 * Tests that need modules of their own: they spy on module internals or generate a document from
 * module-level registries that other test files' apps have already filled.
 */
const OWN_MODULES = ['tests/http/openapi.test.ts'];

/** Workers of the fast projects: two, also on a 2-core machine, where vitest's default would be one. */
const FAST_WORKERS = 2;

export default defineConfig({
  test: {
    // builds dist/ once per run: the real-server tests run it, and tests/deploy reads its config
    globalSetup: ['tests/global-setup.ts'],
    // the e2e and crash tests start real server processes; give them room on a 2-core machine
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `npm test` runs every project; `npm run test:fast` the two fast ones
    projects: [
      {
        extends: true,
        // the other files share each worker's modules (imported once instead of once per file, most of the
        // suite's time): a test must leave no state behind that another file could see
        test: {
          name: 'fast',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW, ...OWN_MODULES],
          isolate: false,
          maxWorkers: FAST_WORKERS,
        },
      },
      { extends: true, test: { name: 'fast-own-modules', include: OWN_MODULES, maxWorkers: FAST_WORKERS } },
      // after the fast ones, one file at a time (vitest's default here): they time real processes
      { extends: true, test: { name: 'slow', include: SLOW, sequence: { groupOrder: 1 } } },
    ],
  },
});
