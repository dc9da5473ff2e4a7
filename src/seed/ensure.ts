import type { Db } from '../db/connection.js';
import { EMPTY_VERSION, readDataset } from '../db/dataset.js';
import { loadedSeedHash, loadSeed, UnexportedEditsError } from './load.js';
import { readSeed, SeedError, seedHash } from './read.js';

export type EnsureResult =
  | { action: 'unchanged' | 'loaded'; version: string }
  | {
      action: 'kept-old';
      version: string;
      problem: 'invalid-seed' | 'unexported-edits';
      reason: string;
    };

interface EnsureOptions {
  discardUnexported?: boolean;
  /** The database cannot be written (opened read-only): it is served as it is. */
  readonly?: boolean;
}

/**
 * Brings the database in line with the seed at start-up: loads it when the database is empty or the seed's
 * content hash changed. A broken seed never takes a working database down: the old data keeps being served
 * and the reason is reported. Neither does a changed seed while the database holds admin edits not yet
 * exported: loading it would drop them, so the current data (edits included) keeps being served and the
 * reason names the way out (`npm run export`, or `npm run seed -- --discard-edits`). A read-only database
 * (built ahead by `npm run db:build`) is served as built, without reading the seed. An empty database with
 * nothing to load into it is fatal (nothing to serve).
 */
export function ensureSeeded(db: Db, seedDir: string, options: EnsureOptions = {}): EnsureResult {
  const loaded = loadedSeedHash(db);
  if (options.readonly) {
    // served as built: an image ships the database and the seed it was built from together
    if (loaded === null) throw new Error('the database holds no dataset and is read-only: build it with npm run db:build');
    return { action: 'unchanged', version: currentVersion(db) };
  }
  if (loaded !== null && loaded === seedHash(seedDir)) return { action: 'unchanged', version: currentVersion(db) };
  try {
    const { version } = loadSeed(db, readSeed(seedDir), { actor: 'start-up', ...options });
    return { action: 'loaded', version };
  } catch (err) {
    if (loaded !== null && err instanceof SeedError) {
      return { action: 'kept-old', version: currentVersion(db), problem: 'invalid-seed', reason: err.message };
    }
    if (loaded !== null && err instanceof UnexportedEditsError) {
      return { action: 'kept-old', version: currentVersion(db), problem: 'unexported-edits', reason: err.message };
    }
    throw err;
  }
}

function currentVersion(db: Db): string {
  return readDataset(db)?.version ?? EMPTY_VERSION;
}
