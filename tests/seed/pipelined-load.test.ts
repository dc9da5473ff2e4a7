import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { openDb } from '../../src/db/connection.js';
import { factEtag, updateFact } from '../../src/kb/admin.js';
import { Kb } from '../../src/kb/snapshot.js';
import { ensureSeeded, ensureSeededAsync } from '../../src/seed/ensure.js';
import { loadSeed } from '../../src/seed/load.js';
import { loadSeedDir } from '../../src/seed/load-dir.js';
import { readSeed, SeedError } from '../../src/seed/read.js';
import { FIXTURE_SEED, REAL_SEED, seededDb, tempDir } from '../helpers/app.js';

const NOW = new Date('2026-01-02T03:04:05Z');

/** Every row the seed loader writes, in insertion order (rowid), search index included. */
function contentHash(db: Db): string {
  const hash = createHash('sha256');
  for (const table of [
    'providers',
    'topics',
    'dimensions',
    'divergences',
    'migration_notes',
    'facts',
    'sources',
    'search_index',
    'dataset',
  ]) {
    for (const row of db.$client.prepare(`SELECT rowid, * FROM ${table} ORDER BY rowid`).iterate()) {
      hash.update(`${table} ${JSON.stringify(row)}\n`);
    }
  }
  return hash.digest('hex');
}

function copySeed(from = REAL_SEED): string {
  const dir = tempDir();
  cpSync(from, dir, { recursive: true });
  return dir;
}

function editFile(dir: string, file: string, edit: (text: string) => string): void {
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
}

function readSeedError(dir: string): SeedError {
  try {
    readSeed(dir);
  } catch (err) {
    if (err instanceof SeedError) return err;
    throw err;
  }
  throw new Error(`expected ${dir} to be rejected`);
}

/** What must not change when a load is refused: the facts, the dataset row and the history. */
function state(db: Db) {
  return {
    content: contentHash(db),
    revisions: db.$client.prepare('SELECT count(*) FROM revisions').pluck().get(),
  };
}

// every worker a load starts posts it files: the spy's `this` values are the workers
let workers: MockInstance<Worker['postMessage']>;
beforeEach(() => {
  workers = vi.spyOn(Worker.prototype, 'postMessage');
});
afterEach(() => {
  // a worker left running would keep vitest's process alive
  for (const worker of workers.mock.contexts as Worker[]) expect(worker.threadId).toBe(-1);
  workers.mockRestore();
});

describe('loadSeedDir with parse workers', () => {
  it('loads the real seed into the same rows, search index and version as loadSeed(readSeed())', async () => {
    const expected = openDb(':memory:');
    const { version } = loadSeed(expected, readSeed(REAL_SEED), { now: NOW });
    const db = openDb(':memory:');

    await expect(loadSeedDir(db, REAL_SEED, { now: NOW, pipeline: true })).resolves.toMatchObject({ version, topics: 12 });
    expect(new Set(workers.mock.contexts).size).toBeGreaterThan(0);
    expect(contentHash(db)).toBe(contentHash(expected));
    expect(db.$client.prepare('SELECT count(*) FROM facts').pluck().get()).toBe(485);
    // the load's commit skips the automatic checkpoint; later writes get it back
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('rejects a YAML syntax error and schema errors with the problems readSeed reports, leaving the database as it was', async () => {
    const db = seededDb(REAL_SEED);
    const before = state(db);
    const dir = copySeed();
    editFile(dir, 'dns.yaml', (t) => `${t}\n  - : [unclosed\n`);
    editFile(dir, 'storage.yaml', (t) =>
      t.replace(/severity: \w+/, 'severity: huge').replace(/verified: [\d-]+/, 'verified: soon'),
    );
    editFile(dir, 'providers.yaml', (t) => t.replace('kubernetes_service_short: EKS', 'kubernetes_service_short: ""'));
    const expected = readSeedError(dir).problems;
    // file by file in name order, providers.yaml in its place although the loader reads it first
    expect(expected).toEqual([
      expect.stringMatching(/dns\.yaml: .*\(\d+:\d+\)$/),
      expect.stringMatching(/providers\.yaml: providers\[0\]\.kubernetes_service_short: /),
      expect.stringMatching(/storage\.yaml: dimensions\[0\]\.facts\.aws\[0\]\.verified: /),
      expect.stringMatching(/storage\.yaml: dimensions\[0\]\.divergence\.severity: /),
    ]);

    const err = await loadSeedDir(db, dir, { pipeline: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedError);
    expect((err as SeedError).problems).toEqual(expected);
    expect(state(db)).toEqual(before);
  });

  it('rolls back a load that fails halfway through the transaction, once every file is checked', async () => {
    const db = seededDb(REAL_SEED);
    const before = state(db);
    // the facts of the second topic file (dns) cannot be inserted; the first topic's already were
    db.$client.exec(
      `CREATE TEMP TRIGGER refuse BEFORE INSERT ON facts WHEN NEW.topic = 'dns' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    await expect(loadSeedDir(db, REAL_SEED, { pipeline: true })).rejects.toThrow('refused');
    expect(state(db)).toEqual(before);

    // as with loadSeed(readSeed()), a seed invalid in a file checked after the failed insert is a SeedError
    const dir = copySeed();
    editFile(dir, 'storage.yaml', (t) => t.replace('title:', 'title: Storage again\ntitle:'));
    await expect(loadSeedDir(db, dir, { pipeline: true })).rejects.toThrow(SeedError);
    expect(state(db)).toEqual(before);
  });

  it('fails like readSeed when a seed file cannot be read, and stops its workers', async () => {
    const db = seededDb(REAL_SEED);
    const before = state(db);
    const dir = copySeed();
    mkdirSync(join(dir, 'egress-copy.yaml'));
    expect(() => readSeed(dir)).toThrow(/EISDIR/);

    await expect(loadSeedDir(db, dir, { pipeline: true })).rejects.toThrow(/EISDIR/);
    expect(state(db)).toEqual(before);
  });
});

describe('ensureSeededAsync with parse workers', () => {
  const edit = (db: Db, id: string, value: string) => {
    const kb = new Kb(db);
    updateFact(kb, id, { value }, { actor: 'test', ifMatch: factEtag(kb, id) });
  };

  it('answers as ensureSeeded does: unchanged, kept-old for unexported edits, then for an invalid seed', async () => {
    const dir = copySeed(FIXTURE_SEED);
    const [sync, parallel] = [seededDb(dir), seededDb(dir)];
    expect(await ensureSeededAsync(parallel, dir, { pipeline: true })).toEqual(ensureSeeded(sync, dir));

    for (const db of [sync, parallel]) edit(db, 'aws/dns/ndots', 'ndots 1 (admin edit)');
    editFile(dir, 'dns.yaml', (t) => t.replaceAll('ndots 5', 'ndots 6'));
    const blocked = ensureSeeded(sync, dir);
    expect(blocked).toMatchObject({ action: 'kept-old', problem: 'unexported-edits' });
    expect(await ensureSeededAsync(parallel, dir, { pipeline: true })).toEqual(blocked);
    expect(new Kb(parallel).snapshot().factById.get('aws/dns/ndots')?.value).toBe('ndots 1 (admin edit)');

    // an invalid seed is reported before the edits it would drop
    editFile(dir, 'load-balancing.yaml', (t) => `${t}\n  - : [unclosed\n`);
    const invalid = ensureSeeded(sync, dir);
    expect(invalid).toMatchObject({ action: 'kept-old', problem: 'invalid-seed' });
    expect(await ensureSeededAsync(parallel, dir, { pipeline: true })).toEqual(invalid);
  });

  it('loads over discarded edits, and throws for an empty database and a broken seed', async () => {
    const dir = copySeed(FIXTURE_SEED);
    const db = seededDb(dir);
    edit(db, 'aws/dns/ndots', 'ndots 1 (admin edit)');
    editFile(dir, 'dns.yaml', (t) => t.replaceAll('ndots 5', 'ndots 6'));
    await expect(ensureSeededAsync(db, dir, { pipeline: true, discardUnexported: true })).resolves.toMatchObject({
      action: 'loaded',
    });
    expect(new Kb(db).snapshot().factById.get('azure/dns/ndots')?.value).toBe('ndots 6');

    editFile(dir, 'dns.yaml', (t) => `${t}\n  - : [unclosed\n`);
    await expect(ensureSeededAsync(openDb(':memory:'), dir, { pipeline: true })).rejects.toThrow(SeedError);
  });
});
