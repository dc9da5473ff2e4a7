import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // the e2e and crash tests start real server processes; give them room on a 2-core machine
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
