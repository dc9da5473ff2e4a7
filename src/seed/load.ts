import { readProviders, writeDimensions, writeProviders, writeTopics } from '../db/catalog.js';
import { type Db, transaction } from '../db/connection.js';
import { clearKnowledge, readDataset, writeDataset } from '../db/dataset.js';
import { type FactInput, insertFacts } from '../db/facts.js';
import { insertRevision, markExported, readUnexported } from '../db/revisions.js';
import { dimensionIndexEntry, factIndexEntry, SearchIndexWriter, topicIndexEntry } from '../db/search-index.js';
import { factId, PROVIDER_SLUGS } from '../domain/seed.js';
import type { Seed } from './read.js';

export interface LoadOptions {
  actor?: string;
  /** Drop admin edits that were never exported to the seed files. */
  discardUnexported?: boolean;
  now?: Date;
}

/** Admin edits that a reseed would overwrite; the caller must export or discard them first. */
export class UnexportedEditsError extends Error {
  constructor(readonly factIds: string[]) {
    super(
      `the database holds admin edits not yet exported to the seed: ${factIds.join(', ')}. ` +
        'Run `npm run export` to write them to seed/ (then review and commit), or reseed with --discard-edits to drop them.',
    );
    this.name = 'UnexportedEditsError';
  }
}

/** The facts with admin edits not yet exported, sorted. */
export function unexportedFactIds(db: Db): string[] {
  const ids = new Set(readUnexported(db).flatMap((r) => (r.factId === null ? [] : [r.factId])));
  return [...ids].sort();
}

/**
 * Replaces the whole knowledge base with the seed in one transaction: either every row of the new seed is
 * in place, or (on any error) the database is exactly as it was. Revisions are kept: they are the history.
 * Throws UnexportedEditsError, before touching anything, when the reseed would drop admin edits.
 */
export function loadSeed(db: Db, seed: Seed, options: LoadOptions = {}): { version: string } {
  const now = (options.now ?? new Date()).toISOString();
  transaction(db, () => {
    const pending = unexportedFactIds(db);
    if (pending.length > 0 && !options.discardUnexported) throw new UnexportedEditsError(pending);
    clearKnowledge(db);
    writeProviders(db, seed.providers);
    const providers = new Map(readProviders(db).map((p) => [p.slug, p]));
    const index = new SearchIndexWriter(db);
    const facts: { fact: FactInput; position: number }[] = [];
    writeTopics(db, seed.topics);
    writeDimensions(db, seed.topics);
    for (const topic of seed.topics) {
      index.add(topicIndexEntry(topic));
      for (const dim of topic.dimensions) {
        index.add(dimensionIndexEntry(topic, dim, dim.divergence));
        for (const provider of PROVIDER_SLUGS) {
          const p = providers.get(provider);
          if (!p) throw new Error(`providers.yaml does not define ${provider}`);
          const cell = dim.facts[provider];
          cell.forEach(({ verified: _verified, ...f }, position) => {
            const fact: FactInput = {
              ...f,
              id: factId(provider, topic.slug, dim.slug, f.variant),
              provider,
              topic: topic.slug,
              dimension: dim.slug,
              default: cell.length === 1 || f.default === true,
            };
            facts.push({ fact, position });
            index.add(factIndexEntry(fact, dim, p));
          });
        }
      }
    }
    insertFacts(db, facts, 'seed', now);
    writeDataset(db, seed.version, now);
    markExported(db);
    insertRevision(db, {
      factId: null,
      action: 'reseed',
      actor: options.actor ?? 'seed',
      at: now,
      before: null,
      after: null,
      datasetVersion: seed.version,
    });
  });
  return { version: seed.version };
}

/** The seed hash the database was last loaded from, or null for an empty database. */
export function loadedSeedHash(db: Db): string | null {
  return readDataset(db)?.seedHash ?? null;
}
