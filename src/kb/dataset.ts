import type { Dataset, Fact } from '../domain/api.js';
import type { Kb } from './kb.js';

const DAY_MS = 86_400_000;

/** Version, build time, counts and which facts are older than the staleness threshold. */
export function datasetInfo(kb: Kb, now: Date = new Date()): Dataset {
  const snap = kb.snapshot();
  const problem = kb.writeProblem();
  const days = kb.options.staleAfterDays;
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);
  const stale = snap.facts.filter((f) => f.verified < cutoff).sort((a, b) => a.verified.localeCompare(b.verified));
  const oldest = snap.facts.reduce<string | null>((min, f) => (min === null || f.verified < min ? f.verified : min), null);
  return {
    version: snap.version,
    seed_hash: snap.seedHash,
    built_at: snap.builtAt,
    revision: snap.revision,
    writable: problem === undefined,
    write_problem: problem ?? null,
    counts: {
      providers: snap.providers.length,
      topics: snap.topics.length,
      dimensions: snap.dimensionByKey.size,
      facts: snap.facts.length,
      sources: snap.sourceCount,
    },
    staleness: {
      threshold_days: days,
      stale_facts: stale.length,
      oldest_verified: oldest,
      stale: stale.slice(0, 100).map((f: Fact) => ({ id: f.id, verified: f.verified })),
    },
  };
}
