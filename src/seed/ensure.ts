import type { Db } from '../db/connection.js';
import { loadedSeedHash, loadSeed } from './load.js';
import { readSeed, SeedError, seedHash } from './read.js';

export type EnsureResult =
  | { action: 'unchanged'; version: string }
  | { action: 'loaded'; version: string }
  | { action: 'kept-old'; version: string; reason: string };

/**
 * Brings the database in line with the seed at start-up: loads it when the database is empty or the seed's
 * content hash changed. A broken seed never takes a working database down: the old data keeps being served
 * and the reason is reported. An empty database with a broken seed is fatal (nothing to serve).
 */
export function ensureSeeded(db: Db, seedDir: string, options: { discardUnexported?: boolean } = {}): EnsureResult {
  const loaded = loadedSeedHash(db);
  if (loaded !== null && loaded === seedHash(seedDir)) return { action: 'unchanged', version: currentVersion(db) };
  try {
    const { version } = loadSeed(db, readSeed(seedDir), { actor: 'start-up', ...options });
    return { action: 'loaded', version };
  } catch (err) {
    if (loaded === null || !(err instanceof SeedError)) throw err;
    return { action: 'kept-old', version: currentVersion(db), reason: err.message };
  }
}

function currentVersion(db: Db): string {
  return (db.$client.prepare('SELECT version FROM dataset WHERE id = 1').pluck().get() as string | undefined) ?? 'empty';
}
