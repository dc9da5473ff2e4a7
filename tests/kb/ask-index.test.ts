import { describe, expect, it } from 'vitest';
import { askIndex, buildAskIndex, warmAskIndex } from '../../src/kb/ask-index.js';
import { Kb } from '../../src/kb/snapshot.js';
import { REAL_SEED, seededDb } from '../helpers/app.js';

describe('warmAskIndex', () => {
  it('builds in slices the same index a first question would build, and questions then reuse it', async () => {
    const kb = new Kb(seededDb(REAL_SEED));
    const snap = kb.snapshot();
    await warmAskIndex(snap, 1);
    const warmed = askIndex(snap);
    expect(askIndex(snap)).toBe(warmed);
    const fresh = buildAskIndex(snap);
    expect(warmed.dimensions.map((d) => d.dim.key)).toEqual(fresh.dimensions.map((d) => d.dim.key));
    expect([...warmed.idf.entries()]).toEqual([...fresh.idf.entries()]);
    expect([...warmed.postings.keys()].sort()).toEqual([...fresh.postings.keys()].sort());
  });
});
