import type Database from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import type { Divergence, Fact } from '../domain/api.js';
import {
  factId,
  PROVIDER_SLUGS,
  type ProviderSlug,
  type SeedDimension,
  type SeedFact,
  type SeedProvider,
  type SeedTopic,
} from '../domain/seed.js';
import { factIndexEntry, SearchIndexWriter } from '../kb/search-index.js';
import { assembleSnapshot, factRecord, type Snapshot, type SnapshotParts, topicRecord } from '../kb/snapshot.js';
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

export function unexportedFactIds(db: Db): string[] {
  const rows = db.$client
    .prepare('SELECT DISTINCT fact_id FROM revisions WHERE unexported = 1 AND fact_id IS NOT NULL ORDER BY fact_id')
    .all() as { fact_id: string }[];
  return rows.map((r) => r.fact_id);
}

/**
 * Replaces the whole knowledge base with the seed in one transaction: either every row of the new seed is
 * in place, or (on any error) the database is exactly as it was. Revisions are kept: they are the history.
 */
export function loadSeed(db: Db, seed: Seed, options: LoadOptions = {}): { version: string; snapshot: Snapshot } {
  const run = db.$client.transaction(() => {
    const writer = new SeedWriter(db, options);
    writer.providers(seed.providers);
    seed.topics.forEach((topic, position) => {
      writer.topic(topic, position);
    });
    writer.finish(seed.version);
    return { version: seed.version, snapshot: writer.snapshot() };
  });
  return run();
}

/**
 * Writes a seed into the database piece by piece, for loadSeed and for loadSeedDir, which receives topics one
 * at a time from its parse workers. The caller owns the transaction around it: constructing a writer empties
 * the knowledge base, so only a committed finish() may be seen by anyone.
 */
export class SeedWriter {
  private readonly sqlite: Database.Database;
  private readonly now: string;
  private readonly actor: string;
  private readonly index: SearchIndexWriter;
  private readonly insert: Record<
    'provider' | 'topic' | 'dimension' | 'divergence' | 'note' | 'fact' | 'source',
    Database.Statement
  >;
  private readonly providersBySlug = new Map<string, SeedProvider>();
  /** The snapshot of what is written, as readSnapshot would read it back once committed. */
  private readonly parts: SnapshotParts = {
    dataset: { version: '', seedHash: '', builtAt: '', revision: 0 },
    providers: [],
    topics: [],
    dimensions: [],
    facts: [],
  };
  private assembled: Snapshot | undefined;

  /** Throws UnexportedEditsError (before touching anything) when the reseed would drop admin edits. */
  constructor(db: Db, options: LoadOptions) {
    const pending = unexportedFactIds(db);
    if (pending.length > 0 && !options.discardUnexported) throw new UnexportedEditsError(pending);
    this.sqlite = db.$client;
    this.now = (options.now ?? new Date()).toISOString();
    this.actor = options.actor ?? 'seed';
    for (const table of [
      'search_index',
      'sources',
      'facts',
      'migration_notes',
      'divergences',
      'dimensions',
      'topics',
      'providers',
    ]) {
      this.sqlite.prepare(`DELETE FROM ${table}`).run();
    }
    this.index = new SearchIndexWriter(this.sqlite);
    this.insert = {
      provider: this.sqlite.prepare(
        'INSERT INTO providers (slug, name, kubernetes_service, kubernetes_service_short, aliases, position) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      topic: this.sqlite.prepare('INSERT INTO topics (slug, title, summary, aliases, position) VALUES (?, ?, ?, ?, ?)'),
      dimension: this.sqlite.prepare(
        'INSERT INTO dimensions (key, topic, slug, title, question, baseline, keywords, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      divergence: this.sqlite.prepare('INSERT INTO divergences (dimension_key, summary, severity, example) VALUES (?, ?, ?, ?)'),
      note: this.sqlite.prepare(
        'INSERT INTO migration_notes (dimension_key, from_provider, to_provider, note) VALUES (?, ?, ?, ?)',
      ),
      fact: this.sqlite.prepare(
        `INSERT INTO facts (id, provider, topic, dimension_key, variant, is_default, value, details, verified, confidence, tags, position, origin, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?)`,
      ),
      source: this.sqlite.prepare('INSERT INTO sources (fact_id, position, url, title) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Before any topic: facts name their provider and its index rows carry the provider's names. */
  providers(providers: SeedProvider[]): void {
    providers
      .slice()
      .sort((a, b) => PROVIDER_SLUGS.indexOf(a.slug) - PROVIDER_SLUGS.indexOf(b.slug))
      .forEach((p, i) => {
        this.insert.provider.run(p.slug, p.name, p.kubernetes_service, p.kubernetes_service_short, JSON.stringify(p.aliases), i);
        this.providersBySlug.set(p.slug, p);
        this.parts.providers.push({
          slug: p.slug,
          name: p.name,
          kubernetes_service: p.kubernetes_service,
          kubernetes_service_short: p.kubernetes_service_short,
          aliases: p.aliases,
        });
      });
  }

  /** `position` orders the topics as their files are ordered in the seed directory. */
  topic(topic: SeedTopic, position: number): void {
    this.insert.topic.run(topic.slug, topic.title, topic.summary, JSON.stringify(topic.aliases), position);
    this.parts.topics.push(topicRecord(topic));
    this.index.add({
      kind: 'topic',
      ref: topic.slug,
      provider: null,
      topic: topic.slug,
      dimension: null,
      title: topic.title,
      body: topic.summary,
      keywords: topic.aliases.join(' '),
    });
    topic.dimensions.forEach((dim, di) => {
      this.dimension(topic, dim, di);
    });
  }

  /** Records the dataset version and the reseed in the history; the knowledge base is complete. */
  finish(version: string): void {
    this.sqlite
      .prepare(
        `INSERT INTO dataset (id, version, seed_hash, built_at, revision) VALUES (1, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, seed_hash = excluded.seed_hash, built_at = excluded.built_at, revision = 0`,
      )
      .run(version, version, this.now);
    this.sqlite.prepare('UPDATE revisions SET unexported = 0 WHERE unexported = 1').run();
    this.sqlite
      .prepare(
        "INSERT INTO revisions (fact_id, action, actor, at, before, after, dataset_version, unexported) VALUES (NULL, 'reseed', ?, ?, NULL, NULL, ?, 0)",
      )
      .run(this.actor, this.now, version);
    this.parts.dataset = { version, seedHash: version, builtAt: this.now, revision: 0 };
  }

  /** The snapshot of the knowledge base as written, once finish() ran: the server serves it without reading it back. */
  snapshot(): Snapshot {
    this.assembled ??= assembleSnapshot(this.parts);
    return this.assembled;
  }

  private dimension(topic: SeedTopic, dim: SeedDimension, position: number): void {
    const key = `${topic.slug}/${dim.slug}`;
    this.insert.dimension.run(
      key,
      topic.slug,
      dim.slug,
      dim.title,
      dim.question,
      dim.baseline,
      JSON.stringify(dim.keywords),
      position,
    );
    this.insert.divergence.run(key, dim.divergence.summary, dim.divergence.severity, dim.divergence.example);
    const migration: Divergence['migration'] = [];
    for (const [direction, note] of Object.entries(dim.divergence.migration)) {
      const [from, to] = direction.split('->') as [ProviderSlug, ProviderSlug];
      this.insert.note.run(key, from, to, note);
      migration.push({ direction, from, to, note });
    }
    // the order readSnapshot reads them in: by the providers' slugs
    migration.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    this.parts.dimensions.push({
      key,
      slug: dim.slug,
      topic: topic.slug,
      title: dim.title,
      question: dim.question,
      baseline: dim.baseline,
      keywords: dim.keywords,
      divergence: {
        summary: dim.divergence.summary,
        severity: dim.divergence.severity,
        example: dim.divergence.example,
        migration,
      },
      cells: { aws: [], azure: [], gcp: [] },
    });
    this.index.add({
      kind: 'dimension',
      ref: key,
      provider: null,
      topic: topic.slug,
      dimension: dim.slug,
      title: dim.title,
      body: `${dim.question} ${dim.baseline} ${dim.divergence.summary} ${dim.divergence.example}`,
      keywords: [...dim.keywords, topic.title, ...topic.aliases].join(' '),
    });
    for (const provider of PROVIDER_SLUGS) {
      const cell = dim.facts[provider];
      const facts = cell.map((fact, fi) => this.fact(topic, dim, provider, fact, fi, cell.length === 1 || fact.default === true));
      // the default first, then seed order (a stable sort), as readSnapshot reads a cell
      this.parts.facts.push(...facts.sort((a, b) => Number(b.default) - Number(a.default)));
    }
  }

  private fact(
    topic: SeedTopic,
    dim: SeedDimension,
    provider: ProviderSlug,
    fact: SeedFact,
    position: number,
    isDefault: boolean,
  ): Fact {
    const id = factId(provider, topic.slug, dim.slug, fact.variant);
    this.insert.fact.run(
      id,
      provider,
      topic.slug,
      `${topic.slug}/${dim.slug}`,
      fact.variant ?? null,
      isDefault ? 1 : 0,
      fact.value,
      fact.details,
      fact.verified,
      fact.confidence,
      JSON.stringify(fact.tags),
      position,
      this.now,
    );
    fact.sources.forEach((s, si) => {
      this.insert.source.run(id, si, s.url, s.title);
    });
    const p = this.providersBySlug.get(provider);
    if (!p) throw new Error(`providers.yaml does not define ${provider}`);
    this.index.add(
      factIndexEntry(
        {
          id,
          provider,
          topic: topic.slug,
          dimension: dim.slug,
          variant: fact.variant,
          value: fact.value,
          details: fact.details,
          tags: fact.tags,
        },
        dim,
        { name: p.name, kubernetesServiceShort: p.kubernetes_service_short, aliases: p.aliases },
      ),
    );
    return factRecord({
      id,
      provider,
      topic: topic.slug,
      dimension: dim.slug,
      variant: fact.variant,
      default: isDefault,
      value: fact.value,
      details: fact.details,
      sources: fact.sources.map((src) => ({ url: src.url, title: src.title })),
      verified: fact.verified,
      confidence: fact.confidence,
      tags: fact.tags,
    });
  }
}

/** The seed hash the database was last loaded from, or null for an empty database. */
export function loadedSeedHash(db: Db): string | null {
  const row = db.$client.prepare('SELECT seed_hash FROM dataset WHERE id = 1').get() as { seed_hash: string } | undefined;
  return row?.seed_hash ?? null;
}
