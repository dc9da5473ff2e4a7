import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { readSnapshot, type Snapshot } from '../../src/kb/snapshot.js';
import { loadSeed } from '../../src/seed/load.js';
import { loadSeedDir } from '../../src/seed/load-dir.js';
import { readSeed } from '../../src/seed/read.js';
import { FIXTURE_SEED, REAL_SEED } from '../helpers/app.js';

/** The JSON a client sees of a snapshot: the same bytes need the same values and the same key order. */
function served(snap: Snapshot): string {
  return JSON.stringify({
    ...snap,
    providerBySlug: [...snap.providerBySlug],
    topicBySlug: [...snap.topicBySlug.keys()],
    dimensionByKey: [...snap.dimensionByKey],
    factById: [...snap.factById.keys()],
  });
}

describe('the snapshot the seed loader hands to the server', () => {
  it.each([
    ['the real seed', REAL_SEED],
    ['the fixture seed', FIXTURE_SEED],
  ])('is what reading the committed database gives, for %s (variants, defaults, migration notes)', (_name, dir) => {
    const db = openDb(':memory:');
    const { snapshot } = loadSeed(db, readSeed(dir), { now: new Date('2026-01-02T03:04:05Z') });
    const read = readSnapshot(db);
    expect(snapshot).toEqual(read);
    expect(served(snapshot)).toBe(served(read));
    expect(read.facts.some((f) => f.variant && !f.default)).toBe(true);
    expect([...read.dimensionByKey.values()].some((d) => d.divergence.migration.length > 1)).toBe(true);
  });

  it("puts a cell's default first however the seed orders its variants, as the database does", () => {
    const seed = readSeed(REAL_SEED);
    let reversed = 0;
    for (const topic of seed.topics) {
      for (const dim of topic.dimensions) {
        for (const cell of Object.values(dim.facts)) {
          if (cell.length > 1 && cell[0]?.default) {
            cell.reverse();
            reversed++;
          }
        }
      }
    }
    expect(reversed).toBeGreaterThan(0);
    const db = openDb(':memory:');
    const { snapshot } = loadSeed(db, seed);
    expect(served(snapshot)).toBe(served(readSnapshot(db)));
  });

  it('is the same on the pipelined path (parse workers) as on the database', async () => {
    const db = openDb(':memory:');
    const { snapshot } = await loadSeedDir(db, REAL_SEED, { pipeline: true });
    expect(served(snapshot)).toBe(served(readSnapshot(db)));
  });
});
