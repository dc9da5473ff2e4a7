import { describe, expect, it } from 'vitest';
import { ask } from '../../src/kb/ask/index.js';
import { askIndex } from '../../src/kb/ask/vocabulary.js';
import { Kb } from '../../src/kb/kb.js';
import { memo } from '../../src/kb/memo.js';
import { tokens } from '../../src/kb/words.js';
import { seededDb } from '../helpers/app.js';

describe("ask's index", () => {
  it('is built once per snapshot and shared by every question on it', () => {
    const kb = new Kb(seededDb());
    const snap = kb.snapshot();
    const index = askIndex(snap);
    ask(kb, 'ndots on gke');
    expect(askIndex(kb.snapshot())).toBe(index);
  });

  it('answers a question the same whatever was asked before it on the same index', () => {
    const kb = new Kb(seededDb());
    const first = ask(kb, 'cluster dns server on eks vs gke', 'compact');
    ask(kb, 'which load balancer does a Service get on AKS');
    ask(kb, 'ndots');
    expect(ask(kb, 'cluster dns server on eks vs gke', 'compact')).toEqual(first);
    expect(ask(new Kb(seededDb()), 'cluster dns server on eks vs gke', 'compact')).toEqual(first);
  });

  it('is built afresh for a new dataset version', () => {
    const kb = new Kb(seededDb());
    const before = askIndex(kb.snapshot());
    kb.invalidate();
    const after = askIndex(kb.snapshot());
    expect(after).not.toBe(before);
    expect([...after.idf.entries()]).toEqual([...before.idf.entries()]);
  });
});

describe('memo', () => {
  it('builds a value once per owner and key', () => {
    const a = {};
    const b = {};
    let builds = 0;
    const build = () => ++builds;
    expect(memo(a, 'k', build)).toBe(1);
    expect(memo(a, 'k', build)).toBe(1);
    expect(memo(a, 'other', build)).toBe(2);
    expect(memo(b, 'k', build)).toBe(3);
  });

  it('remembers undefined as a value', () => {
    const owner = {};
    let builds = 0;
    memo(owner, 'k', () => {
      builds++;
      return undefined;
    });
    memo(owner, 'k', () => builds++);
    expect(builds).toBe(1);
  });
});

describe('tokens (search and compare)', () => {
  it('reads text as the full-text index does: lower-cased runs of letters and digits, nothing split further', () => {
    expect(tokens('externalTrafficPolicy: "Local" (AKS\'s)')).toEqual(['externaltrafficpolicy', 'local', 'aks', 's']);
    expect(tokens('ﬁle ＩＰｖ６')).toEqual(['file', 'ipv6']);
  });
});
