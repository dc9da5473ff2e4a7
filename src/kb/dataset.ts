import type { Dataset, Fact } from '../domain/api.js';
import type { WatchSummary } from '../domain/sources-lock.js';
import type { Kb } from './kb.js';
import type { Snapshot } from './snapshot.js';

const DAY_MS = 86_400_000;

/**
 * The lock file is read once per dataset version, not per request: a watch run lands in the seed (a commit,
 * then a new build), so the dataset a server answers from changes with it.
 */
const watchBySnapshot = new WeakMap<Snapshot, WatchSummary | null>();

function sourcesWatch(kb: Kb, snap: Snapshot): WatchSummary | null {
  let run = watchBySnapshot.get(snap);
  if (run === undefined) {
    run = kb.options.sourcesWatch?.() ?? null;
    watchBySnapshot.set(snap, run);
  }
  return run;
}

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
    sources_watch: sourcesWatch(kb, snap),
  };
}
