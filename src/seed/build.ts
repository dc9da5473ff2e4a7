// `npm run db:build [-- out.sqlite]`: a ready database file from SEED_DIR, written to DB_PATH (or `out`).
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { compactAndClose, openForBuild } from '../db/connection.js';
import { optimizeSearchIndex } from '../db/search-index.js';
import { loadSeed } from './load.js';
import { readSeed, SeedError } from './read.js';

/**
 * Builds the database a container ships: migrated, seeded, its full-text index merged, VACUUMed, in the rollback
 * journal mode (openForBuild), without write permission (servers open it read-only), and in place only once
 * complete (written beside `out`, then renamed over it).
 */
export function buildDb(seedDir: string, out: string): { version: string; facts: number } {
  const seed = readSeed(seedDir);
  const target = resolve(out);
  const partial = `${target}.building-${process.pid}`;
  rmSync(partial, { force: true });
  const db = openForBuild(partial);
  try {
    const { version } = loadSeed(db, seed, { actor: 'npm run db:build' });
    optimizeSearchIndex(db);
    compactAndClose(db);
    const facts = seed.topics.reduce(
      (n, t) => n + t.dimensions.reduce((m, d) => m + d.facts.aws.length + d.facts.azure.length + d.facts.gcp.length, 0),
      0,
    );
    // a write-ahead log of a database this file replaces must not be replayed into it
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
    // read-only by construction: a server opens it read-only (openForServing), whoever runs it
    chmodSync(partial, 0o444);
    renameSync(partial, target);
    return { version, facts };
  } catch (err) {
    if (db.$client.open) db.$client.close();
    rmSync(partial, { force: true });
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const out = process.argv[2] ?? config.DB_PATH;
  try {
    const t0 = performance.now();
    const { version, facts } = buildDb(config.SEED_DIR, out);
    console.log(
      `${out}: built from ${config.SEED_DIR} (${facts} facts), dataset version ${version} in ${Math.round(performance.now() - t0)} ms`,
    );
  } catch (err) {
    if (!(err instanceof SeedError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}
