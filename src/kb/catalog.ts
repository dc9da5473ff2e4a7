import type { Provider, Topic, TopicSummary } from '../domain/api.js';
import type { ProviderSlug } from '../domain/seed.js';
import { BadInputError, listValues, NotFoundError } from './errors.js';
import type { Kb } from './kb.js';
import type { DimensionRecord, Snapshot, TopicRecord } from './snapshot.js';

export function listProviders(kb: Kb): Provider[] {
  return kb.snapshot().providers;
}

export function listTopics(kb: Kb): TopicSummary[] {
  return kb.snapshot().topics.map(topicSummary);
}

export function topicSummary(t: TopicRecord): TopicSummary {
  return {
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    aliases: t.aliases,
    dimension_count: t.dimension_count,
    fact_count: t.fact_count,
  };
}

export function getTopic(kb: Kb, slug: string): Topic {
  const snap = kb.snapshot();
  const t = snap.topicBySlug.get(slug);
  if (!t) throw new NotFoundError(`topic "${slug}" not found; topics are: ${listValues(snap.topics.map((x) => x.slug))}`);
  return { ...topicSummary(t), dimensions: t.dimensions.map(publicDimension) };
}

export function publicDimension(d: DimensionRecord): Topic['dimensions'][number] {
  return {
    slug: d.slug,
    topic: d.topic,
    title: d.title,
    question: d.question,
    baseline: d.baseline,
    keywords: d.keywords,
    ...(d.compare_by !== undefined ? { compare_by: d.compare_by } : {}),
    ...(d.unit !== undefined ? { unit: d.unit } : {}),
    ...(d.values !== undefined ? { values: d.values } : {}),
    divergence: d.divergence,
  };
}

/** A provider named by slug or alias ("eks", "Google"), or undefined. */
export function findProvider(snap: Snapshot, name: string): ProviderSlug | undefined {
  const needle = name.trim().toLowerCase();
  for (const p of snap.providers) {
    if (p.slug === needle || p.aliases.some((a) => a.toLowerCase() === needle)) return p.slug;
  }
  return undefined;
}

/** Resolves a query parameter naming one provider; 400 naming the parameter when unknown. */
export function requireProvider(snap: Snapshot, param: string, name: string): ProviderSlug {
  const slug = findProvider(snap, name);
  if (!slug) {
    throw new BadInputError(
      param,
      `unknown provider "${name}"; use one of ${listValues(snap.providers.map((p) => p.slug))} (or an alias such as eks, aks, gke)`,
    );
  }
  return slug;
}

/** A comma-separated provider list (`aws,gcp`); empty means all, in canonical order, without repeats. */
export function requireProviders(snap: Snapshot, param: string, list: string | undefined): ProviderSlug[] {
  if (list === undefined || list.trim() === '') return snap.providers.map((p) => p.slug);
  const wanted = new Set(
    list
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => requireProvider(snap, param, s)),
  );
  return snap.providers.map((p) => p.slug).filter((s) => wanted.has(s));
}

/** Topics by lower-cased alias, per snapshot: an alias two topics share names neither. */
const aliasIndexes = new WeakMap<Snapshot, Map<string, TopicRecord[]>>();

function topicsByAlias(snap: Snapshot): Map<string, TopicRecord[]> {
  let index = aliasIndexes.get(snap);
  if (!index) {
    index = new Map();
    for (const t of snap.topics) {
      for (const alias of new Set(t.aliases.map((a) => a.trim().toLowerCase())))
        index.set(alias, [...(index.get(alias) ?? []), t]);
    }
    aliasIndexes.set(snap, index);
  }
  return index;
}

/**
 * Resolves a topic parameter; 400 naming the parameter and the valid topics when unknown. With `aliases`, a
 * topic's seed aliases (case-insensitive) name it too; an alias several topics share is refused, listing them.
 */
export function requireTopic(snap: Snapshot, param: string, slug: string, opts: { aliases?: boolean } = {}): TopicRecord {
  const needle = slug.trim().toLowerCase();
  const t = snap.topicBySlug.get(needle);
  if (t) return t;
  const named = opts.aliases ? (topicsByAlias(snap).get(needle) ?? []) : [];
  if (named.length === 1) return named[0] as TopicRecord;
  if (named.length > 1) {
    throw new BadInputError(
      param,
      `"${slug}" is an alias of several topics (${listValues(named.map((x) => x.slug))}); use a slug`,
    );
  }
  throw new BadInputError(param, `unknown topic "${slug}"; use one of ${listValues(snap.topics.map((x) => x.slug))}`);
}
