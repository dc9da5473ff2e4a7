import { readDimensions, readProviders, readTopics } from '../db/catalog.js';
import { type Db, readTransaction } from '../db/connection.js';
import { EMPTY_VERSION, readDataset } from '../db/dataset.js';
import { readFacts } from '../db/facts.js';
import type { Dimension, Fact, Provider, TopicSummary } from '../domain/api.js';
import type { ProviderSlug } from '../domain/seed.js';

/**
 * The knowledge base changes only on a reseed or an admin write, so it is read once per dataset version into
 * plain objects that every read function shares. Full-text search is the one read that goes to SQLite.
 */
export interface Snapshot {
  version: string;
  seedHash: string;
  builtAt: string;
  revision: number;
  providers: Provider[];
  providerBySlug: Map<string, Provider>;
  topics: TopicRecord[];
  topicBySlug: Map<string, TopicRecord>;
  dimensionByKey: Map<string, DimensionRecord>;
  /** Sorted by id: the order of `/v1/facts` and of its cursor. */
  facts: Fact[];
  factById: Map<string, Fact>;
  sourceCount: number;
}

export interface TopicRecord extends TopicSummary {
  dimensions: DimensionRecord[];
}

export interface DimensionRecord extends Dimension {
  key: string;
  /** Facts per provider, the default variant first. */
  cells: Record<ProviderSlug, Fact[]>;
}

const byDirection = (a: { from: string; to: string }, b: { from: string; to: string }) =>
  a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0;

/** Reads the whole knowledge base in one transaction (one consistent version) and links it up. */
export function readSnapshot(db: Db): Snapshot {
  return readTransaction(db, () => {
    const ds = readDataset(db);
    const providers = readProviders(db);
    const topics = readTopics(db).map((t): TopicRecord => ({ ...t, dimension_count: 0, fact_count: 0, dimensions: [] }));
    const topicBySlug = new Map(topics.map((t) => [t.slug, t]));
    const dimensionByKey = new Map<string, DimensionRecord>();
    for (const { key, divergence, ...dim } of readDimensions(db)) {
      // the API lists a divergence's migration notes by direction
      const record: DimensionRecord = {
        key,
        ...dim,
        divergence: { ...divergence, migration: divergence.migration.slice().sort(byDirection) },
        cells: { aws: [], azure: [], gcp: [] },
      };
      dimensionByKey.set(key, record);
      const topic = topicBySlug.get(dim.topic);
      if (topic) {
        topic.dimensions.push(record);
        topic.dimension_count++;
      }
    }
    const facts = readFacts(db);
    let sourceCount = 0;
    for (const fact of facts) {
      dimensionByKey.get(`${fact.topic}/${fact.dimension}`)?.cells[fact.provider].push(fact);
      const topic = topicBySlug.get(fact.topic);
      if (topic) topic.fact_count++;
      sourceCount += fact.sources.length;
    }
    // a cell lists its default first, then the seed's order (a stable sort)
    for (const dim of dimensionByKey.values()) {
      for (const cell of Object.values(dim.cells)) cell.sort((a, b) => Number(b.default) - Number(a.default));
    }
    facts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      version: ds?.version ?? EMPTY_VERSION,
      seedHash: ds?.seedHash ?? '',
      builtAt: ds?.builtAt ?? '',
      revision: ds?.revision ?? 0,
      providers,
      providerBySlug: new Map(providers.map((p) => [p.slug, p])),
      topics,
      topicBySlug,
      dimensionByKey,
      facts,
      factById: new Map(facts.map((f) => [f.id, f])),
      sourceCount,
    };
  });
}
