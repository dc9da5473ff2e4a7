import type { Db } from '../db/connection.js';
import type { Dimension, Divergence, Fact, Provider, TopicSummary } from '../domain/api.js';
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

const EMPTY_VERSION = 'empty';

export interface Row {
  [k: string]: unknown;
}

/** A JSON text column (aliases, keywords, tags, revision snapshots) as its value. */
export function json<T>(text: unknown): T {
  return JSON.parse(String(text)) as T;
}

/** The API's Fact from its fields: the one place that fixes its shape and key order (the bytes clients get). */
export function factRecord(f: Omit<Fact, 'variant'> & { variant?: string | null }): Fact {
  return {
    id: f.id,
    provider: f.provider,
    topic: f.topic,
    dimension: f.dimension,
    ...(f.variant ? { variant: f.variant } : {}),
    default: f.default,
    value: f.value,
    details: f.details,
    sources: f.sources,
    verified: f.verified,
    confidence: f.confidence,
    tags: f.tags,
  };
}

/** A row of the `facts` table as the API's Fact: shared by the snapshot, the writes and export. */
export function factFromRow(r: Row, sources: Fact['sources']): Fact {
  return factRecord({
    id: r.id as string,
    provider: r.provider as ProviderSlug,
    topic: r.topic as string,
    dimension: (r.dimension_key as string).slice((r.topic as string).length + 1),
    variant: r.variant as string | null,
    default: r.is_default === 1,
    value: r.value as string,
    details: r.details as string,
    sources,
    verified: r.verified as string,
    confidence: r.confidence as Fact['confidence'],
    tags: json<string[]>(r.tags),
  });
}

/** The providers table, in canonical order (the snapshot and `npm run export` read it alike). */
export function readProviders(sqlite: Db['$client']): Provider[] {
  return (sqlite.prepare('SELECT * FROM providers ORDER BY position').all() as Row[]).map((r) => ({
    slug: r.slug as ProviderSlug,
    name: r.name as string,
    kubernetes_service: r.kubernetes_service as string,
    kubernetes_service_short: r.kubernetes_service_short as string,
    aliases: json<string[]>(r.aliases),
  }));
}

/** Every fact's sources, in their order. */
export function readSources(sqlite: Db['$client']): Map<string, Fact['sources']> {
  const sources = new Map<string, Fact['sources']>();
  for (const r of sqlite.prepare('SELECT fact_id, url, title FROM sources ORDER BY fact_id, position').all() as Row[]) {
    const list = sources.get(r.fact_id as string) ?? [];
    list.push({ url: r.url as string, title: r.title as string });
    sources.set(r.fact_id as string, list);
  }
  return sources;
}

/**
 * What a snapshot is made of, in the database's order: topics by position (without their dimensions),
 * dimensions by topic and position (empty cells), facts by dimension, provider, default first, then position.
 */
export interface SnapshotParts {
  dataset: Pick<Snapshot, 'version' | 'seedHash' | 'builtAt' | 'revision'>;
  providers: Provider[];
  topics: TopicRecord[];
  dimensions: DimensionRecord[];
  facts: Fact[];
}

/** Links the parts (dimensions to topics, facts to cells) and indexes them. */
export function assembleSnapshot(parts: SnapshotParts): Snapshot {
  const { providers, topics } = parts;
  const topicBySlug = new Map(topics.map((t) => [t.slug, t]));
  const dimensionByKey = new Map<string, DimensionRecord>();
  for (const dim of parts.dimensions) {
    dimensionByKey.set(dim.key, dim);
    const topic = topicBySlug.get(dim.topic);
    if (topic) {
      topic.dimensions.push(dim);
      topic.dimension_count++;
    }
  }
  let sourceCount = 0;
  for (const fact of parts.facts) {
    dimensionByKey.get(`${fact.topic}/${fact.dimension}`)?.cells[fact.provider].push(fact);
    const topic = topicBySlug.get(fact.topic);
    if (topic) topic.fact_count++;
    sourceCount += fact.sources.length;
  }
  const facts = parts.facts.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ...parts.dataset,
    providers,
    providerBySlug: new Map(providers.map((p) => [p.slug, p])),
    topics,
    topicBySlug,
    dimensionByKey,
    facts,
    factById: new Map(facts.map((f) => [f.id, f])),
    sourceCount,
  };
}

/** A topic as the snapshot holds it, before its dimensions are linked. */
export function topicRecord(t: { slug: string; title: string; summary: string; aliases: string[] }): TopicRecord {
  return {
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    aliases: t.aliases,
    dimension_count: 0,
    fact_count: 0,
    dimensions: [],
  };
}

export function readSnapshot(db: Db): Snapshot {
  const sqlite = db.$client;
  const read = sqlite.transaction(() => {
    const ds = sqlite.prepare('SELECT version, seed_hash, built_at, revision FROM dataset WHERE id = 1').get() as Row | undefined;
    const sources = readSources(sqlite);
    const notes = new Map<string, Divergence['migration']>();
    for (const r of sqlite
      .prepare('SELECT * FROM migration_notes ORDER BY dimension_key, from_provider, to_provider')
      .all() as Row[]) {
      const list = notes.get(r.dimension_key as string) ?? [];
      list.push({
        direction: `${r.from_provider}->${r.to_provider}`,
        from: r.from_provider as ProviderSlug,
        to: r.to_provider as ProviderSlug,
        note: r.note as string,
      });
      notes.set(r.dimension_key as string, list);
    }
    const divergences = new Map<string, Divergence>();
    for (const r of sqlite.prepare('SELECT * FROM divergences').all() as Row[]) {
      const key = r.dimension_key as string;
      divergences.set(key, {
        summary: r.summary as string,
        severity: r.severity as Divergence['severity'],
        example: r.example as string,
        migration: notes.get(key) ?? [],
      });
    }
    const topics = (sqlite.prepare('SELECT * FROM topics ORDER BY position').all() as Row[]).map((r) =>
      topicRecord({
        slug: r.slug as string,
        title: r.title as string,
        summary: r.summary as string,
        aliases: json<string[]>(r.aliases),
      }),
    );
    const dimensions = (sqlite.prepare('SELECT * FROM dimensions ORDER BY topic, position').all() as Row[]).map(
      (r): DimensionRecord => {
        const key = r.key as string;
        return {
          key,
          slug: r.slug as string,
          topic: r.topic as string,
          title: r.title as string,
          question: r.question as string,
          baseline: r.baseline as string,
          keywords: json<string[]>(r.keywords),
          divergence: divergences.get(key) ?? { summary: '', severity: 'low', example: '', migration: [] },
          cells: { aws: [], azure: [], gcp: [] },
        };
      },
    );
    const facts = (
      sqlite.prepare('SELECT * FROM facts ORDER BY dimension_key, provider, is_default DESC, position, id').all() as Row[]
    ).map((r) => factFromRow(r, sources.get(r.id as string) ?? []));
    return assembleSnapshot({
      dataset: {
        version: (ds?.version as string) ?? EMPTY_VERSION,
        seedHash: (ds?.seed_hash as string) ?? '',
        builtAt: (ds?.built_at as string) ?? '',
        revision: (ds?.revision as number) ?? 0,
      },
      providers: readProviders(sqlite),
      topics,
      dimensions,
      facts,
    });
  });
  return read();
}

/**
 * The knowledge layer's handle: the database plus the snapshot of its current version. Another process
 * (a reseed, an admin write on a replica sharing the file) is noticed through `PRAGMA data_version`,
 * which SQLite bumps whenever another connection commits; a write through this process calls `invalidate`.
 */
export class Kb {
  private current: Snapshot | undefined;
  private dataVersion = -1;
  private readonly dataVersionStmt;

  constructor(
    readonly db: Db,
    readonly options: { staleAfterDays: number } = { staleAfterDays: 180 },
  ) {
    this.dataVersionStmt = db.$client.prepare('PRAGMA data_version').pluck();
  }

  snapshot(): Snapshot {
    const dv = this.dataVersionStmt.get() as number;
    if (!this.current || dv !== this.dataVersion) {
      const version =
        (this.db.$client.prepare('SELECT version FROM dataset WHERE id = 1').pluck().get() as string | undefined) ??
        EMPTY_VERSION;
      if (!this.current || this.current.version !== version) this.current = readSnapshot(this.db);
      this.dataVersion = dv;
    }
    return this.current;
  }

  /** The dataset version, cheap enough to call on every request (it is what ETags derive from). */
  version(): string {
    return this.snapshot().version;
  }

  /**
   * Serves `snapshot` as the current version without reading it back: the seed loader assembles it from what it
   * has just committed (reading 48,500 facts back takes seconds at 100x). Tests prove it equals readSnapshot's.
   */
  prime(snapshot: Snapshot): void {
    this.current = snapshot;
    this.dataVersion = this.dataVersionStmt.get() as number;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
