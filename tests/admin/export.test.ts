import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFact, updateFact } from '../../src/kb/admin.js';
import { factEtag } from '../../src/kb/fact-etag.js';
import { Kb } from '../../src/kb/kb.js';
import { ensureSeeded } from '../../src/seed/ensure.js';
import { canonicalTopic, exportSeed } from '../../src/seed/export.js';
import { loadSeed, UnexportedEditsError, unexportedFactIds } from '../../src/seed/load.js';
import { readSeed, type Seed } from '../../src/seed/read.js';
import { FIXTURE_SEED, REAL_SEED, seededDb, tempDir } from '../helpers/app.js';

/** The parsed seed without its version hash; `default` in its canonical form (absent = false on a lone fact). */
const content = (seed: Seed) => ({ providers: seed.providers, topics: seed.topics.map(canonicalTopic) });
const files = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
const copySeed = (from = FIXTURE_SEED) => {
  const dir = tempDir();
  cpSync(from, dir, { recursive: true });
  return dir;
};
const edit = (kb: Kb, id: string, patch: object) => updateFact(kb, id, patch, { actor: 'test', ifMatch: factEtag(kb, id) });

describe('npm run export', () => {
  it.each([
    ['the fixture seed', FIXTURE_SEED],
    ['the real seed', REAL_SEED],
  ])('writes %s back so that reading it gives the identical seed (seed -> load -> export -> read)', (_name, seedDir) => {
    const out = tempDir();
    const result = exportSeed(seededDb(seedDir), out);
    expect(result.written.sort()).toEqual(
      readdirSync(seedDir)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    );
    expect(content(readSeed(out))).toEqual(content(readSeed(seedDir)));
  });

  it('is byte-identical when run twice, and leaves unedited files of an existing seed untouched', () => {
    const db = seededDb();
    const out = tempDir();
    exportSeed(db, out);
    const first = files(out);
    expect(exportSeed(db, out).written).toEqual([]);
    expect(files(out)).toEqual(first);

    const dir = copySeed();
    const original = files(dir);
    expect(exportSeed(seededDb(), dir).written).toEqual([]);
    expect(files(dir)).toEqual(original);
  });

  it('patches only the edited cells in place, keeping comments and the rest of the file byte for byte', () => {
    const dir = copySeed();
    const db = seededDb(dir);
    const kb = new Kb(db);
    edit(kb, 'azure/dns/ndots', { value: 'ndots 2 (edited)', tags: ['edited'] });
    const original = readFileSync(join(dir, 'dns.yaml'), 'utf8');

    expect(exportSeed(db, dir).written).toEqual(['dns.yaml']);
    const patched = readFileSync(join(dir, 'dns.yaml'), 'utf8');
    expect(patched.startsWith('# Fixture: a small, fixed dataset')).toBe(true);
    const changed = patched.split('\n').filter((line, i) => line !== original.split('\n')[i]);
    expect(changed).toEqual(['        - value: ndots 2 (edited)', '          tags: [edited]']);
    const azureNdots = readSeed(dir).topics.find((t) => t.slug === 'dns')?.dimensions[1]?.facts.azure;
    expect(azureNdots?.[0]?.value).toBe('ndots 2 (edited)');
    // the export equals what a full export of the database gives
    const full = tempDir();
    exportSeed(db, full);
    expect(content(readSeed(dir))).toEqual(content(readSeed(full)));
  });

  it('writes a new variant into a cell and marks the revisions exported, so a reseed proceeds', () => {
    const dir = copySeed();
    const db = seededDb(dir);
    const kb = new Kb(db);
    createFact(
      kb,
      {
        provider: 'gcp',
        topic: 'dns',
        dimension: 'cluster-dns-server',
        variant: 'Exported variant',
        value: 'A value with: a colon and "quotes"',
        status: 'preview',
        details: `A long paragraph ${'that goes on and on '.repeat(12)}and ends.`,
        sources: [
          {
            url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/',
            title: 'Doc',
            checked: '2026-11-01',
          },
        ],
        confidence: 'low',
        tags: [],
      },
      { actor: 'test' },
    );
    expect(() => loadSeed(db, readSeed(dir))).toThrow(UnexportedEditsError);
    exportSeed(db, dir);
    expect(unexportedFactIds(db)).toEqual([]);
    const cell = readSeed(dir).topics.find((t) => t.slug === 'dns')?.dimensions[0]?.facts.gcp;
    expect(cell?.map((f) => f.variant)).toEqual(['kube-dns', 'Cloud DNS for GKE', 'Exported variant']);
    expect(cell?.[2]?.value).toBe('A value with: a colon and "quotes"');
    expect(() => loadSeed(db, readSeed(dir))).not.toThrow();
    expect(new Kb(db).snapshot().factById.get('gcp/dns/cluster-dns-server#exported-variant')?.value).toBe(
      'A value with: a colon and "quotes"',
    );
  });
});

describe('start-up with a changed seed and unexported admin edits', () => {
  it('keeps serving the database, edits included, and names the way out', () => {
    const dir = copySeed();
    const db = seededDb(dir);
    const kb = new Kb(db);
    edit(kb, 'aws/dns/ndots', { value: 'ndots 1 (admin edit)' });
    const version = kb.version();
    writeFileSync(join(dir, 'dns.yaml'), readFileSync(join(dir, 'dns.yaml'), 'utf8').replaceAll('ndots 5', 'ndots 6'));

    const result = ensureSeeded(db, dir);
    expect(result).toMatchObject({ action: 'kept-old', problem: 'unexported-edits', version });
    if (result.action !== 'kept-old') throw new Error('unreachable');
    expect(result.reason).toMatch(/aws\/dns\/ndots/);
    expect(result.reason).toMatch(/npm run export/);
    expect(result.reason).toMatch(/--discard-edits/);
    expect(new Kb(db).snapshot().factById.get('aws/dns/ndots')?.value).toBe('ndots 1 (admin edit)');
  });

  it('loads the changed seed once the edits are exported', () => {
    const dir = copySeed();
    const db = seededDb(dir);
    edit(new Kb(db), 'aws/dns/ndots', { value: 'ndots 1 (admin edit)' });
    writeFileSync(join(dir, 'dns.yaml'), readFileSync(join(dir, 'dns.yaml'), 'utf8').replaceAll('ndots 5', 'ndots 6'));
    exportSeed(db, dir);
    expect(ensureSeeded(db, dir).action).toBe('loaded');
    const snap = new Kb(db).snapshot();
    expect(snap.factById.get('aws/dns/ndots')?.value).toBe('ndots 1 (admin edit)');
    // the change made to the file by someone else survived the export
    expect(snap.factById.get('azure/dns/ndots')?.value).toBe('ndots 6');
  });
});
