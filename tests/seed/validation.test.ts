import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { loadSeed } from '../../src/seed/load.js';
import { MAX_SEED_FILE_BYTES, readSeed, SeedError, seedHash } from '../../src/seed/read.js';
import { FIXTURE_SEED, tempDir } from '../helpers/app.js';

/** A copy of the fixture seed with one file edited. */
function brokenSeed(file: string, edit: (text: string) => string): string {
  const dir = tempDir();
  cpSync(FIXTURE_SEED, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    readSeed(dir);
  } catch (err) {
    if (err instanceof SeedError) return err.problems;
    throw err;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seed validation', () => {
  it('accepts the fixture seed and hashes it the same way with and without parsing', () => {
    const seed = readSeed(FIXTURE_SEED);
    expect(seed.topics.map((t) => t.slug)).toEqual(['dns', 'load-balancing']);
    expect(seed.version).toBe(seedHash(FIXTURE_SEED));
  });

  it('names the file and the path of a source URL that is not a URL', () => {
    const dir = brokenSeed('dns.yaml', (t) =>
      t.replace('https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns', 'not a url'),
    );
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/dns\.yaml: dimensions\[0\]\.facts\.gcp\[0\]\.sources\[0\]\.url: Invalid URL$/);
  });

  it('names a missing provider cell', () => {
    const dir = brokenSeed('load-balancing.yaml', (t) => t.replace(/ {6}azure:\n(?: {8}.*\n)+/, ''));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/load-balancing\.yaml: dimensions\[0\]\.facts\.azure: /)]);
  });

  it('requires exactly one default among variants', () => {
    const dir = brokenSeed('dns.yaml', (t) => t.replace('default: true', 'default: false'));
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/dns\.yaml: dimensions\[0\]\.facts\.gcp: exactly one variant must have default: true \(found 0\)/),
    ]);
  });

  it('rejects an unknown severity, a bad date and an unknown key, all at once', () => {
    const dir = brokenSeed('dns.yaml', (t) =>
      t
        .replace('severity: medium', 'severity: huge')
        .replace('checked: 2025-01-10', 'checked: yesterday')
        .replace('slug: ndots', 'slug: ndots\n    colour: blue'),
    );
    const problems = problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/dns\.yaml: dimensions\[0\]\.divergence\.severity: /),
        expect.stringMatching(/dns\.yaml: dimensions\[0\]\.facts\.azure\[0\]\.sources\[0\]\.checked: /),
        expect.stringMatching(/dns\.yaml: dimensions\[1\]: Unrecognized key: "colour"/),
      ]),
    );
  });

  it('rejects a topic whose slug differs from its file name, and YAML syntax errors', () => {
    expect(problemsOf(brokenSeed('dns.yaml', (t) => t.replace('slug: dns', 'slug: dnss')))).toEqual([
      expect.stringMatching(/dns\.yaml: slug: "dnss" must equal the file name "dns"/),
    ]);
    expect(problemsOf(brokenSeed('dns.yaml', (t) => `${t}\n  - : [unclosed\n`))[0]).toMatch(/dns\.yaml: /);
  });

  it('leaves the existing database exactly as it was when a file is bad', () => {
    const db = openDb(':memory:');
    loadSeed(db, readSeed(FIXTURE_SEED));
    const before = db.$client.prepare('SELECT id, value FROM facts ORDER BY id').all();
    const version = db.$client.prepare('SELECT version FROM dataset').pluck().get();
    const dir = brokenSeed('dns.yaml', (t) => t.replace('value: ndots 5', 'value: ""'));
    expect(() => loadSeed(db, readSeed(dir))).toThrow(SeedError);
    expect(db.$client.prepare('SELECT id, value FROM facts ORDER BY id').all()).toEqual(before);
    expect(db.$client.prepare('SELECT version FROM dataset').pluck().get()).toBe(version);
  });

  it('rolls back a load that fails halfway through the transaction', () => {
    const db = openDb(':memory:');
    const seed = readSeed(FIXTURE_SEED);
    loadSeed(db, seed);
    const before = db.$client.prepare('SELECT count(*) FROM facts').pluck().get();
    // a provider missing from providers.yaml only fails while inserting facts
    const broken = { ...seed, version: 'x', providers: seed.providers.filter((p) => p.slug !== 'gcp') };
    expect(() => loadSeed(db, broken)).toThrow(/providers\.yaml does not define gcp/);
    expect(db.$client.prepare('SELECT count(*) FROM facts').pluck().get()).toBe(before);
    expect(db.$client.prepare('SELECT version FROM dataset').pluck().get()).toBe(seed.version);
  });
});

describe('seed entries that are not regular files', () => {
  it.each([
    ['a directory', (path: string) => mkdirSync(path), 'is a directory, not a seed file'],
    ['a symlink to /dev/zero', (path: string) => symlinkSync('/dev/zero', path), 'is not a regular file'],
    ['a named pipe nobody writes', (path: string) => execFileSync('mkfifo', [path]), 'is not a regular file'],
  ])('names the entry when it is %s, without hanging, and hashes the seed all the same', (_name, replace, problem) => {
    const dir = tempDir();
    cpSync(FIXTURE_SEED, dir, { recursive: true });
    rmSync(join(dir, 'dns.yaml'));
    replace(join(dir, 'dns.yaml'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(new RegExp(`dns\\.yaml: ${problem}`))]);
    expect(seedHash(dir)).not.toBe(seedHash(FIXTURE_SEED));
  });

  it(`refuses a seed file over ${MAX_SEED_FILE_BYTES / 1024 / 1024} MB`, () => {
    const dir = tempDir();
    cpSync(FIXTURE_SEED, dir, { recursive: true });
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(MAX_SEED_FILE_BYTES + 1, 0x20));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/huge\.yaml: is larger than 8 MB/)]);
  });
});
