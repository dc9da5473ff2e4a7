import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Db, openDb } from '../../src/db/connection.js';
import { loadSeed } from '../../src/seed/load.js';
import { readSeed } from '../../src/seed/read.js';

export const FIXTURE_SEED = resolve(import.meta.dirname, '../fixtures/seed');
export const REAL_SEED = resolve(import.meta.dirname, '../../seed');

/** A fresh temp directory for a test's files. */
export function tempDir(prefix = 'cloudiff-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An in-memory database loaded with a seed directory (the fixture by default). */
export function seededDb(seedDir = FIXTURE_SEED, path = ':memory:'): Db {
  const db = openDb(path);
  loadSeed(db, readSeed(seedDir));
  return db;
}

export function testConfig(overrides: Partial<Record<string, string>> = {}): Config {
  // the fixture seed has no source-watch lock file: sources_watch stays null whatever the real seed's lock says
  return loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', SEED_DIR: FIXTURE_SEED, ...overrides });
}

/**
 * Load shedding off: in-process tests share one worker with other apps and seed loads, whose event-loop lag and
 * heap are not the app's own. Shedding itself is tested with its own limits (tests/security/hardening.test.ts).
 */
export const NO_LOAD_SHEDDING = { maxEventLoopDelay: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 } as const;

/** The app on the fixture dataset, for `app.inject`. */
export async function fixtureApp(overrides: Partial<Record<string, string>> = {}, db: Db = seededDb()): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides), { db, loadShedding: NO_LOAD_SHEDDING });
  await app.ready();
  return app;
}
