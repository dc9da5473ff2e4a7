import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/connection.js';
import type { Snapshot } from '../kb/snapshot.js';
import { type LoadOptions, loadSeed, SeedWriter } from './load.js';
import { ParsePool } from './parse-pool.js';
import { readSeed, SeedReader, seedFiles } from './read.js';

/**
 * From this many bytes of seed files on, loadSeedDir parses on worker threads. Below it the main thread parses:
 * a worker takes ~0.2 s to start and warm up, more than the real seed (~0.8 MB) takes to parse, and at 3x
 * (2.4 MB) both ways load in ~0.5 s. The 100x benchmark seed (79 MB) loads 2-3 s sooner on workers.
 */
export const PIPELINE_MIN_BYTES = 4 * 1024 * 1024;

export interface LoadDirOptions extends LoadOptions {
  /** Parse on workers (true) or on the main thread (false) whatever the seed's size. */
  pipeline?: boolean;
}

/**
 * loadSeed(db, readSeed(dir)) with the same outcome (rows, version, errors; the database unchanged on any of
 * them), for big seeds in about the time of the slower of parsing and inserting rather than their sum.
 */
export async function loadSeedDir(
  db: Db,
  dir: string,
  options: LoadDirOptions = {},
): Promise<{ version: string; topics: number; snapshot: Snapshot }> {
  if (!(options.pipeline ?? seedBytes(dir) >= PIPELINE_MIN_BYTES)) {
    const seed = readSeed(dir);
    return { ...loadSeed(db, seed, options), topics: seed.topics.length };
  }
  const reader = new SeedReader(dir);
  const pool = new ParsePool(() => reader.nextTopicFile(), parseWorkers());
  try {
    const { version, writer } = await inTransaction(db, () => writeTopics(db, reader, pool, options));
    return { version, topics: reader.topicFiles.length, snapshot: writer.snapshot() };
  } finally {
    await pool.close();
  }
}

/**
 * db.transaction() cannot span awaits; nothing else uses the database while the seed loads. The commit skips
 * SQLite's automatic checkpoint: copying a 100x seed's 226 MB write-ahead log into the database file took
 * 0.5 s of the start-up. The log stays until SQLite checkpoints it on the next write or at close (reads find
 * their pages in it meanwhile); the commit itself is as durable as any (synchronous=FULL syncs the log).
 */
async function inTransaction<T>(db: Db, run: () => Promise<T>): Promise<T> {
  const sqlite = db.$client;
  const autoCheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await run();
    sqlite.exec('COMMIT');
    return result;
  } catch (err) {
    // some errors (a full disk) end the transaction themselves
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  }
}

/**
 * Inserts topics as they arrive, and reports failures in loadSeed(readSeed())'s order of precedence: every file
 * is checked before anything else counts, so an invalid seed is a SeedError listing all its problems even if
 * admin edits block the reseed or an insert failed; inserting stops at the first problem of either kind.
 */
async function writeTopics(
  db: Db,
  reader: SeedReader,
  pool: ParsePool,
  options: LoadOptions,
): Promise<{ version: string; writer: SeedWriter }> {
  let writer: SeedWriter | undefined;
  let failure: unknown;
  try {
    writer = new SeedWriter(db, options);
    if (reader.valid) writer.providers(reader.providers);
  } catch (err) {
    failure = err;
  }
  for (const [position, file] of reader.topicFiles.entries()) {
    const topic = reader.topic(file, await pool.next());
    if (!topic || !reader.valid || failure !== undefined) continue;
    try {
      writer?.topic(topic, position);
    } catch (err) {
      failure = err;
    }
  }
  const version = reader.finish();
  if (failure !== undefined || !writer) throw failure;
  writer.finish(version);
  return { version, writer };
}

/**
 * The main thread inserts, which takes longer (~5 s at 100x) than parsing and validating (~4.5 s): on 2 cores
 * one worker keeps ahead of it (and idles a third of the time); more than 2 would only wait.
 */
function parseWorkers(): number {
  return Math.min(2, Math.max(1, availableParallelism() - 1));
}

function seedBytes(dir: string): number {
  return seedFiles(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}
