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

/** A row of the `facts` table as the API's Fact: the one mapping, shared by the snapshot, the writes and export. */
export function factFromRow(r: Row, sources: Fact['sources']): Fact {
  return {
    id: r.id as string,
    provider: r.provider as ProviderSlug,
    topic: r.topic as string,
    dimension: (r.dimension_key as string).slice((r.topic as string).length + 1),
    ...(r.variant ? { variant: r.variant as string } : {}),
    default: r.is_default === 1,
    value: r.value as string,
    details: r.details as string,
    sources,
    verified: r.verified as string,
    confidence: r.confidence as Fact['confidence'],
    tags: json<string[]>(r.tags),
  };
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

export function readSnapshot(db: Db): Snapshot {
  const sqlite = db.$client;
  const read = sqlite.transaction(() => {
    const ds = sqlite.prepare('SELECT version, seed_hash, built_at, revision FROM dataset WHERE id = 1').get() as Row | undefined;
    const providers = readProviders(sqlite);
    const sources = readSources(sqlite);
    let sourceCount = 0;
    for (const list of sources.values()) sourceCount += list.length;
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
    const topics: TopicRecord[] = (sqlite.prepare('SELECT * FROM topics ORDER BY position').all() as Row[]).map((r) => ({
      slug: r.slug as string,
      title: r.title as string,
      summary: r.summary as string,
      aliases: json<string[]>(r.aliases),
      dimension_count: 0,
      fact_count: 0,
      dimensions: [],
    }));
    const topicBySlug = new Map(topics.map((t) => [t.slug, t]));
    const dimensionByKey = new Map<string, DimensionRecord>();
    for (const r of sqlite.prepare('SELECT * FROM dimensions ORDER BY topic, position').all() as Row[]) {
      const key = r.key as string;
      const dim: DimensionRecord = {
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
      dimensionByKey.set(key, dim);
      const topic = topicBySlug.get(dim.topic);
      if (topic) {
        topic.dimensions.push(dim);
        topic.dimension_count++;
      }
    }
    const facts: Fact[] = [];
    for (const r of sqlite
      .prepare('SELECT * FROM facts ORDER BY dimension_key, provider, is_default DESC, position, id')
      .all() as Row[]) {
      const fact = factFromRow(r, sources.get(r.id as string) ?? []);
      facts.push(fact);
      dimensionByKey.get(r.dimension_key as string)?.cells[fact.provider].push(fact);
      const topic = topicBySlug.get(fact.topic);
      if (topic) topic.fact_count++;
    }
    facts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      version: (ds?.version as string) ?? EMPTY_VERSION,
      seedHash: (ds?.seed_hash as string) ?? '',
      builtAt: (ds?.built_at as string) ?? '',
      revision: (ds?.revision as number) ?? 0,
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

  invalidate(): void {
    this.current = undefined;
  }
}
