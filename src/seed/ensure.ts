import type { Db } from '../db/connection.js';
import type { Snapshot } from '../kb/snapshot.js';
import { loadedSeedHash, loadSeed, UnexportedEditsError } from './load.js';
import { loadSeedDir } from './load-dir.js';
import { readSeed, SeedError, seedHash } from './read.js';

export type EnsureResult =
  | { action: 'unchanged'; version: string }
  /** `snapshot`: the knowledge base as just loaded, for the server to serve without reading it back */
  | { action: 'loaded'; version: string; snapshot: Snapshot }
  | { action: 'kept-old'; version: string; problem: 'invalid-seed' | 'unexported-edits'; reason: string };

interface EnsureOptions {
  discardUnexported?: boolean;
}

/**
 * Brings the database in line with the seed at start-up: loads it when the database is empty or the seed's
 * content hash changed. A broken seed never takes a working database down: the old data keeps being served
 * and the reason is reported. Neither does a changed seed while the database holds admin edits not yet
 * exported: loading it would drop them, so the current data (edits included) keeps being served and the
 * reason names the way out (`npm run export`, or `npm run seed -- --discard-edits`). An empty database with a
 * broken seed is fatal (nothing to serve).
 */
export function ensureSeeded(db: Db, seedDir: string, options: EnsureOptions = {}): EnsureResult {
  const loaded = loadedSeedHash(db);
  if (loaded !== null && loaded === seedHash(seedDir)) return { action: 'unchanged', version: currentVersion(db) };
  try {
    const { version, snapshot } = loadSeed(db, readSeed(seedDir), { actor: 'start-up', ...options });
    return { action: 'loaded', version, snapshot };
  } catch (err) {
    return keptOld(db, loaded, err);
  }
}

/**
 * ensureSeeded for the server: a big seed is parsed on worker threads while it loads (loadSeedDir);
 * `pipeline` forces that on or off.
 */
export async function ensureSeededAsync(
  db: Db,
  seedDir: string,
  options: EnsureOptions & { pipeline?: boolean } = {},
): Promise<EnsureResult> {
  const loaded = loadedSeedHash(db);
  if (loaded !== null && loaded === seedHash(seedDir)) return { action: 'unchanged', version: currentVersion(db) };
  try {
    const { version, snapshot } = await loadSeedDir(db, seedDir, { actor: 'start-up', ...options });
    return { action: 'loaded', version, snapshot };
  } catch (err) {
    return keptOld(db, loaded, err);
  }
}

/** A failed load with old data to serve keeps serving it; anything else is thrown. */
function keptOld(db: Db, loaded: string | null, err: unknown): EnsureResult {
  if (loaded !== null && err instanceof SeedError) {
    return { action: 'kept-old', version: currentVersion(db), problem: 'invalid-seed', reason: err.message };
  }
  if (loaded !== null && err instanceof UnexportedEditsError) {
    return { action: 'kept-old', version: currentVersion(db), problem: 'unexported-edits', reason: err.message };
  }
  throw err;
}

function currentVersion(db: Db): string {
  return (db.$client.prepare('SELECT version FROM dataset WHERE id = 1').pluck().get() as string | undefined) ?? 'empty';
}
