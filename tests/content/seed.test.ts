import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { factId, PROVIDER_SLUGS, sourceUrlProblem, TOPIC_SLUGS } from '../../src/domain/seed.js';
import { readSeed } from '../../src/seed/read.js';
import { REAL_SEED } from '../helpers/app.js';

/**
 * Coverage rules of the knowledge base (seed/README.md): these fail when coverage or citations regress.
 */
const seed = readSeed(REAL_SEED);
const facts = seed.topics.flatMap((t) =>
  t.dimensions.flatMap((d) =>
    PROVIDER_SLUGS.flatMap((p) =>
      d.facts[p].map((f) => ({ ...f, id: factId(p, t.slug, d.slug, f.variant), topic: t.slug, provider: p })),
    ),
  ),
);
const ids = new Set(facts.map((f) => f.id));

/** Official and canonical, by the one rule the seed reader and the write API apply (src/domain/seed.ts). */
const isOfficial = (url: string) => sourceUrlProblem(url) === undefined;

describe('the knowledge base', () => {
  it('has all twelve canonical topics, each with a summary and aliases users type', () => {
    expect(seed.topics.map((t) => t.slug).sort()).toEqual([...TOPIC_SLUGS].sort());
    for (const t of seed.topics) {
      expect(t.summary.length, t.slug).toBeGreaterThan(80);
      expect(t.aliases.length, t.slug).toBeGreaterThanOrEqual(3);
    }
  });

  it('has at least 8 dimensions per topic and 96 in all, each with a baseline and keywords', () => {
    for (const t of seed.topics) expect(t.dimensions.length, t.slug).toBeGreaterThanOrEqual(8);
    expect(seed.topics.reduce((n, t) => n + t.dimensions.length, 0)).toBeGreaterThanOrEqual(96);
    for (const t of seed.topics) {
      for (const d of t.dimensions) {
        expect(d.baseline.length, `${t.slug}/${d.slug}`).toBeGreaterThan(40);
        expect(d.keywords.length, `${t.slug}/${d.slug}`).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('has a fact for aws, azure and gcp in every dimension, and a divergence with migration notes', () => {
    for (const t of seed.topics) {
      for (const d of t.dimensions) {
        for (const p of PROVIDER_SLUGS) expect(d.facts[p].length, `${t.slug}/${d.slug} ${p}`).toBeGreaterThan(0);
        expect(d.divergence.summary.length, `${t.slug}/${d.slug}`).toBeGreaterThan(20);
        expect(d.divergence.example.length, `${t.slug}/${d.slug}`).toBeGreaterThan(20);
        expect(Object.keys(d.divergence.migration).length, `${t.slug}/${d.slug}`).toBeGreaterThan(0);
      }
    }
  });

  it('gives every fact an id of its own', () => {
    expect(ids.size).toBe(facts.length);
  });

  it('cites at least one official source in every fact, and 95% or more of all sources are official', () => {
    const sources = facts.flatMap((f) => f.sources);
    for (const f of facts)
      expect(
        f.sources.some((s) => isOfficial(s.url)),
        `${f.id} cites an official page`,
      ).toBe(true);
    expect(sources.filter((s) => isOfficial(s.url)).length / sources.length).toBeGreaterThanOrEqual(0.95);
  });

  it('dates every time-sensitive fact: structured changes or versions, or a year or version in its text', () => {
    for (const f of facts.filter((x) => x.tags.includes('time-sensitive'))) {
      if (f.changes?.length || f.applies?.versions) continue;
      expect(`${f.value} ${f.details}`, f.id).toMatch(/\b(19|20)\d{2}\b|\b\d+\.\d+\b|\bv\d+/);
    }
  });

  it('keeps every verified date in the past', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const f of facts) expect(f.verified <= today, f.id).toBe(true);
  });
});

describe('the source document map (docs/source-coverage.yaml)', () => {
  const map = load(readFileSync(resolve(import.meta.dirname, '../../docs/source-coverage.yaml'), 'utf8')) as {
    claims: { claim: string; facts: string[] }[];
  };

  it('maps every claim to facts that exist in the seed', () => {
    expect(map.claims.length).toBeGreaterThanOrEqual(25);
    for (const c of map.claims) {
      expect(c.facts.length, c.claim).toBeGreaterThan(0);
      for (const id of c.facts) expect(ids.has(id), `${id} (for "${c.claim}")`).toBe(true);
    }
  });
});
