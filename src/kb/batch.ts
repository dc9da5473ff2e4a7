import type { Divergence, Fact, Provider, TopicSummary } from '../domain/api.js';
import type { ProviderSlug } from '../domain/seed.js';
import { topicSummary } from './catalog.js';
import type { Kb } from './kb.js';
import type { DimensionRecord, Snapshot } from './snapshot.js';

/**
 * Lookups of many things at once, for batched resolvers (GraphQL loaders): each takes a list of keys and
 * answers a list of the same length and order, `undefined` (or an empty list) where a key is unknown.
 * They read the snapshot's maps, so a batch costs one map lookup per key whatever its size.
 */

/** A dimension without its facts and divergence: small, so a resolver can hand it on and ask for more. */
export interface DimensionInfo {
  /** `topic/dimension`, unique across topics. */
  key: string;
  slug: string;
  topic: string;
  title: string;
  question: string;
  baseline: string;
  keywords: string[];
}

// One object per dimension and snapshot: the same dimension is the same object in every answer.
const infoCache = new WeakMap<Snapshot, Map<string, DimensionInfo>>();
const summaryCache = new WeakMap<Snapshot, Map<string, TopicSummary>>();

function dimensionInfo(snap: Snapshot, dim: DimensionRecord): DimensionInfo {
  let cache = infoCache.get(snap);
  if (!cache) {
    cache = new Map();
    infoCache.set(snap, cache);
  }
  let info = cache.get(dim.key);
  if (!info) {
    const { key, slug, topic, title, question, baseline, keywords } = dim;
    info = { key, slug, topic, title, question, baseline, keywords };
    cache.set(key, info);
  }
  return info;
}

function summaries(snap: Snapshot): Map<string, TopicSummary> {
  let cache = summaryCache.get(snap);
  if (!cache) {
    cache = new Map(snap.topics.map((t) => [t.slug, topicSummary(t)]));
    summaryCache.set(snap, cache);
  }
  return cache;
}

export function providersBySlugs(kb: Kb, slugs: readonly string[]): (Provider | undefined)[] {
  const snap = kb.snapshot();
  return slugs.map((s) => snap.providerBySlug.get(s));
}

export function topicsBySlugs(kb: Kb, slugs: readonly string[]): (TopicSummary | undefined)[] {
  const byslug = summaries(kb.snapshot());
  return slugs.map((s) => byslug.get(s));
}

/** The dimensions of each topic, in seed order. */
export function dimensionsOfTopics(kb: Kb, slugs: readonly string[]): DimensionInfo[][] {
  const snap = kb.snapshot();
  return slugs.map((s) => snap.topicBySlug.get(s)?.dimensions.map((d) => dimensionInfo(snap, d)) ?? []);
}

/** Dimensions by `topic/dimension` key. */
export function dimensionsByKeys(kb: Kb, keys: readonly string[]): (DimensionInfo | undefined)[] {
  const snap = kb.snapshot();
  return keys.map((k) => {
    const dim = snap.dimensionByKey.get(k);
    return dim ? dimensionInfo(snap, dim) : undefined;
  });
}

export function divergencesByKeys(kb: Kb, keys: readonly string[]): (Divergence | undefined)[] {
  const snap = kb.snapshot();
  return keys.map((k) => snap.dimensionByKey.get(k)?.divergence);
}

/**
 * The facts of each dimension, provider by provider in canonical order, the default variant first within a
 * provider (the order of a compare cell). `providers` restricts to some providers.
 */
export function factsOfDimensions(kb: Kb, keys: readonly string[], providers?: readonly ProviderSlug[]): Fact[][] {
  const snap = kb.snapshot();
  const order = providers ?? snap.providers.map((p) => p.slug);
  return keys.map((k) => {
    const dim = snap.dimensionByKey.get(k);
    return dim ? order.flatMap((p) => dim.cells[p]) : [];
  });
}

export function sourcesOfFacts(kb: Kb, ids: readonly string[]): Fact['sources'][] {
  const snap = kb.snapshot();
  return ids.map((id) => snap.factById.get(id)?.sources ?? []);
}
