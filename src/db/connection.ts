import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getTableColumns, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface OpenOptions {
  /**
   * Open an existing file for reading only (a database built ahead by `npm run db:build`): nothing is created
   * or migrated, and a file whose schema is behind the code is refused rather than read wrongly.
   */
  readonly?: boolean;
}

/**
 * Opens (creating when missing) the SQLite file and brings its schema up to date.
 * WAL lets readers proceed during a write; synchronous=FULL makes an acknowledged write survive a crash;
 * busy_timeout makes a second writer wait instead of failing with SQLITE_BUSY.
 */
export function openDb(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) {
    const sqlite = new Database(path, { readonly: true, fileMustExist: true });
    const db = drizzle({ client: sqlite, schema });
    const behind = pendingMigrations(sqlite);
    if (behind > 0) {
      sqlite.close();
      throw new Error(`${path}: the database lacks ${behind} migration(s) of this version; rebuild it (npm run db:build)`);
    }
    remember(sqlite);
    return db;
  }
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  remember(sqlite);
  return db;
}

/** The file a connection opened, to notice later that it was deleted or replaced under the running process. */
const opened = new WeakMap<Database.Database, { dev: number; ino: number; wal: boolean }>();

function remember(sqlite: Database.Database): void {
  if (sqlite.memory) return;
  const { dev, ino } = statSync(sqlite.name);
  opened.set(sqlite, { dev, ino, wal: sqlite.pragma('journal_mode', { simple: true }) === 'wal' });
}

/**
 * Why a write to this database would fail or be lost, or undefined when it can be written: opened read-only,
 * its file (or write-ahead log) deleted or replaced since it was opened (SQLite would go on writing to the
 * unlinked file, and the write would vanish with the process), or no longer writable.
 */
export function writeProblem(db: Db): string | undefined {
  const sqlite = db.$client;
  if (sqlite.memory) return undefined;
  const path = sqlite.name;
  if (sqlite.readonly) {
    return `the database ${path} is read-only (built ahead, or not writable by this process): this server serves reads only`;
  }
  const was = opened.get(sqlite);
  let now: { dev: number; ino: number };
  try {
    now = statSync(path);
  } catch {
    return `the database file ${path} was deleted while the server runs; writes would be lost: restart the server`;
  }
  if (was && (now.dev !== was.dev || now.ino !== was.ino)) {
    return `the database file ${path} was replaced while the server runs; writes would go to the old file: restart the server`;
  }
  if (was?.wal && !existsSync(`${path}-wal`)) {
    return `the write-ahead log of ${path} was deleted while the server runs; writes would be lost: restart the server`;
  }
  if (!canWrite(path) || !canWrite(dirname(path))) return `the database ${path} (or its directory) is no longer writable`;
  return undefined;
}

/** A write that failed in the storage (read-only file, full disk, I/O error) rather than by its content, or undefined. */
export function storageFailure(err: unknown, db: Db): string | undefined {
  if (!(err instanceof Database.SqliteError) || !/^SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(err.code)) return undefined;
  const why = err.code.startsWith('SQLITE_FULL') ? 'the disk is full' : `${err.code}: ${err.message}`;
  return `writing the database ${db.$client.name} failed (${why}); nothing was written`;
}

/**
 * Opens a new file to build a database ahead (npm run db:build): the rollback journal, so that replicas can open
 * the result read-only (WAL would need files beside it), and no syncs, since a build that fails is thrown away.
 */
export function openForBuild(path: string): Db {
  const db = openDb(path);
  db.$client.pragma('journal_mode = DELETE');
  db.$client.pragma('synchronous = OFF');
  return db;
}

/** Rewrites the file without free pages, its tables and indexes each in one piece, and closes it. */
export function compactAndClose(db: Db): void {
  db.$client.exec('VACUUM');
  db.$client.close();
}

/** A database file that cannot be opened or created; the message names the path and the way out. */
export class DbOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbOpenError';
  }
}

/**
 * Whether this process may write `path`. A file without any write permission bit counts as read-only even for
 * root, who may write anything: that is how `npm run db:build` marks the database it builds.
 */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return (statSync(path).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}

function nearestExisting(dir: string): string {
  return existsSync(dir) || dirname(dir) === dir ? dir : nearestExisting(dirname(dir));
}

/**
 * The database a server serves: written when this process may write the file and its directory (WAL needs
 * files beside it), opened read-only when it may only read an existing file (the read-only file that
 * `npm run db:build` writes, built into an image), created when missing. Answers whether writes are possible.
 */
export function openForServing(path: string): { db: Db; writable: boolean } {
  if (path === ':memory:') return { db: openDb(path), writable: true };
  const file = resolve(path);
  const dir = dirname(file);
  try {
    if (existsSync(file)) {
      if (canWrite(file) && canWrite(dir)) return { db: openDb(file), writable: true };
      return { db: openDb(file, { readonly: true }), writable: false };
    }
    const existing = nearestExisting(dir);
    if (!canWrite(existing)) {
      throw new DbOpenError(
        `cannot create the database ${file}: ${existing} is not writable; set DB_PATH to a writable place, or build the database ahead (npm run db:build)`,
      );
    }
    return { db: openDb(file), writable: true };
  } catch (err) {
    if (err instanceof DbOpenError) throw err;
    throw new DbOpenError(`cannot open the database ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** How many of the code's migrations the file has not applied (drizzle records each applied one by its hash). */
function pendingMigrations(sqlite: Database.Database): number {
  const table = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .pluck()
    .get();
  const applied = new Set<unknown>(table ? sqlite.prepare('SELECT hash FROM __drizzle_migrations').pluck().all() : []);
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).filter((m) => !applied.has(m.hash)).length;
}

/** Runs `fn` as one write transaction (IMMEDIATE: it takes the write lock first, so a second writer waits). */
export function transaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

/** Runs `fn` as one read transaction: everything it reads is of one committed version. */
export function readTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).deferred();
}

/** A reader of SQLite's data_version, which changes when another connection commits to the file. */
export function dataVersionReader(db: Db): () => unknown {
  const stmt = db.$client.prepare('PRAGMA data_version').pluck();
  return () => stmt.get();
}

/**
 * Inserts many rows through one prepared INSERT (a placeholder per column; drizzle still encodes each value as its
 * column says: JSON, booleans). Building a query per row costs ~1 ms, which a seed of thousands of rows pays for
 * each; every column must be given (a default is not applied: an absent value is written as NULL).
 */
export function insertRows<T extends SQLiteTable>(db: Db, table: T, rows: readonly T['$inferInsert'][]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(getTableColumns(table));
  // a row of placeholders has the shape of the table's insert type, which TypeScript cannot follow through fromEntries
  const placeholders = Object.fromEntries(columns.map((c) => [c, sql.placeholder(c)])) as T['$inferInsert'];
  const stmt = db.insert(table).values(placeholders).prepare();
  for (const row of rows) {
    const given = new Map(Object.entries(row));
    stmt.run(Object.fromEntries(columns.map((c) => [c, given.get(c) ?? null])));
  }
}
