import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { Kb } from '../../src/kb/kb.js';
import { search } from '../../src/kb/search.js';
import { buildDb } from '../../src/seed/build.js';
import { readSeed } from '../../src/seed/read.js';
import { FIXTURE_SEED, tempDir } from '../helpers/app.js';

describe('npm run db:build', () => {
  it('writes a read-only, compacted file in the rollback journal mode, with the seed loaded and indexed', () => {
    const path = join(tempDir(), 'built.sqlite');
    const { version, facts } = buildDb(FIXTURE_SEED, path);
    expect(version).toBe(readSeed(FIXTURE_SEED).version);
    expect(facts).toBe(10);
    expect(statSync(path).mode & 0o777).toBe(0o444);

    const db = openDb(path, { readonly: true });
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.$client.pragma('freelist_count', { simple: true })).toBe(0);
    const kb = new Kb(db);
    expect(kb.snapshot().facts).toHaveLength(10);
    expect(search(kb, { q: 'ndots' }).items.length).toBeGreaterThan(0);
    db.$client.close();
  });

  it('replaces an older build in place, and leaves no partial file behind when the seed is invalid', () => {
    const dir = tempDir();
    const path = join(dir, 'built.sqlite');
    buildDb(FIXTURE_SEED, path);
    buildDb(FIXTURE_SEED, path);
    expect(() => buildDb(join(dir, 'no-such-seed'), path)).toThrow();
    expect(readdirSync(dir)).toEqual(['built.sqlite']);
    const db = openDb(path, { readonly: true });
    expect(new Kb(db).snapshot().facts).toHaveLength(10);
    db.$client.close();
  });
});
