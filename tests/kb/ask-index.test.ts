import { describe, expect, it } from 'vitest';
import { askIndex, warmAskIndex } from '../../src/kb/ask-index.js';
import { Kb } from '../../src/kb/kb.js';
import { REAL_SEED, seededDb } from '../helpers/app.js';

describe('warmAskIndex', () => {
  it('builds in slices the same index a first question would build, and questions then reuse it', async () => {
    const kb = new Kb(seededDb(REAL_SEED));
    const snap = kb.snapshot();
    await warmAskIndex(snap, 1);
    const warmed = askIndex(snap);
    expect(askIndex(snap)).toBe(warmed);
    const fresh = askIndex(new Kb(seededDb(REAL_SEED)).snapshot());
    expect(warmed.dimensions.map((d) => d.dim.key)).toEqual(fresh.dimensions.map((d) => d.dim.key));
    expect([...warmed.idf.entries()]).toEqual([...fresh.idf.entries()]);
    expect([...warmed.postings.keys()].sort()).toEqual([...fresh.postings.keys()].sort());
  });

  it('shares one build between the warm-up and a question asked meanwhile', async () => {
    const snap = new Kb(seededDb(REAL_SEED)).snapshot();
    const warming = warmAskIndex(snap, 0);
    const now = askIndex(snap);
    expect(await warming).toBe(now);
    expect(await warmAskIndex(snap)).toBe(now);
  });
});
