import { eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { dataset, dimensions, divergences, facts, migrationNotes, providers, sources, topics } from './schema.js';
import { clearSearchIndex } from './search-index.js';

/** Reader and writer of the one `dataset` row: what is loaded, and the version every ETag derives from. */

export type DatasetRow = typeof dataset.$inferSelect;

/** The version of an empty database. */
export const EMPTY_VERSION = 'empty';

export function readDataset(db: Db): DatasetRow | undefined {
  return db.select().from(dataset).where(eq(dataset.id, 1)).get();
}

/** A freshly loaded seed: its hash is its version, revision 0. */
export function writeDataset(db: Db, seedHash: string, builtAt: string): void {
  const row = { id: 1, version: seedHash, seedHash, builtAt, revision: 0 };
  db.insert(dataset).values(row).onConflictDoUpdate({ target: dataset.id, set: row }).run();
}

/** A write on top of the seed: `<seed hash>-r<revision>` is a new version. Undefined when no dataset is loaded. */
export function bumpRevision(db: Db): string | undefined {
  const ds = readDataset(db);
  if (!ds) return undefined;
  const revision = ds.revision + 1;
  const version = `${ds.seedHash}-r${revision}`;
  db.update(dataset).set({ revision, version }).where(eq(dataset.id, 1)).run();
  return version;
}

/** Empties the knowledge (not the history): the first step of a reseed, inside its transaction. */
export function clearKnowledge(db: Db): void {
  clearSearchIndex(db);
  for (const table of [sources, facts, migrationNotes, divergences, dimensions, topics, providers]) db.delete(table).run();
}
