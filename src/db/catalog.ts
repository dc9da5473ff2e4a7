import { asc, eq, sql } from 'drizzle-orm';
import type { Divergence, Provider } from '../domain/api.js';
import { PROVIDER_SLUGS, type SeedDimension, type SeedProvider, type SeedTopic } from '../domain/seed.js';
import { type Db, insertRows } from './connection.js';
import { dimensions, divergences, migrationNotes, providers, topics } from './schema.js';

/** Readers and writers of the catalog tables: providers, topics, dimensions with their divergences and notes. */

export function readProviders(db: Db): Provider[] {
  return db
    .select()
    .from(providers)
    .orderBy(asc(providers.position))
    .all()
    .map((r) => ({
      slug: r.slug,
      name: r.name,
      kubernetes_service: r.kubernetesService,
      kubernetes_service_short: r.kubernetesServiceShort,
      aliases: r.aliases,
    }));
}

/** The providers in canonical order (aws, azure, gcp), whatever the order of the file. */
export function writeProviders(db: Db, list: readonly SeedProvider[]): void {
  const sorted = list.slice().sort((a, b) => PROVIDER_SLUGS.indexOf(a.slug) - PROVIDER_SLUGS.indexOf(b.slug));
  insertRows(
    db,
    providers,
    sorted.map((p, position) => ({
      slug: p.slug,
      name: p.name,
      kubernetesService: p.kubernetes_service,
      kubernetesServiceShort: p.kubernetes_service_short,
      aliases: p.aliases,
      position,
    })),
  );
}

export interface TopicRow {
  slug: string;
  title: string;
  summary: string;
  aliases: string[];
}

export function readTopics(db: Db): TopicRow[] {
  return db
    .select({ slug: topics.slug, title: topics.title, summary: topics.summary, aliases: topics.aliases })
    .from(topics)
    .orderBy(asc(topics.position))
    .all();
}

/** `position` orders the topics as their files are ordered in the seed directory. */
export function writeTopics(db: Db, list: readonly SeedTopic[]): void {
  insertRows(
    db,
    topics,
    list.map((t, position) => ({ slug: t.slug, title: t.title, summary: t.summary, aliases: t.aliases, position })),
  );
}

/** A dimension as stored, with its divergence; migration notes in the seed's order. */
export interface DimensionRow {
  /** `topic/slug`: dimension slugs are unique only within their topic. */
  key: string;
  slug: string;
  topic: string;
  title: string;
  question: string;
  baseline: string;
  keywords: string[];
  compare_by?: NonNullable<SeedDimension['compare_by']>;
  unit?: string;
  values?: string[];
  divergence: Divergence;
}

/** Every dimension (or those of one topic), by topic and position. */
export function readDimensions(db: Db, topic?: string): DimensionRow[] {
  const notes = new Map<string, Divergence['migration']>();
  // rowid is the order the seed lists the notes in
  for (const n of db.select().from(migrationNotes).orderBy(migrationNotes.dimensionKey, sql`rowid`).all()) {
    const list = notes.get(n.dimensionKey) ?? [];
    list.push({ direction: `${n.fromProvider}->${n.toProvider}`, from: n.fromProvider, to: n.toProvider, note: n.note });
    notes.set(n.dimensionKey, list);
  }
  return db
    .select({ dimension: dimensions, divergence: divergences })
    .from(dimensions)
    .innerJoin(divergences, eq(divergences.dimensionKey, dimensions.key))
    .where(topic === undefined ? undefined : eq(dimensions.topic, topic))
    .orderBy(asc(dimensions.topic), asc(dimensions.position))
    .all()
    .map(({ dimension: d, divergence: v }) => ({
      key: d.key,
      slug: d.slug,
      topic: d.topic,
      title: d.title,
      question: d.question,
      baseline: d.baseline,
      keywords: d.keywords,
      ...(d.compareBy !== null ? { compare_by: d.compareBy } : {}),
      ...(d.unit !== null ? { unit: d.unit } : {}),
      ...(d.values !== null ? { values: d.values } : {}),
      divergence: { summary: v.summary, severity: v.severity, example: v.example, migration: notes.get(d.key) ?? [] },
    }));
}

/** Every dimension of the topics with its divergence and migration notes (in the seed's order). */
export function writeDimensions(db: Db, list: readonly SeedTopic[]): void {
  const dims = list.flatMap((t) =>
    t.dimensions.map((dim, position) => ({ topic: t.slug, key: `${t.slug}/${dim.slug}`, dim, position })),
  );
  insertRows(
    db,
    dimensions,
    dims.map(({ topic, key, dim, position }) => ({
      key,
      topic,
      slug: dim.slug,
      title: dim.title,
      question: dim.question,
      baseline: dim.baseline,
      keywords: dim.keywords,
      compareBy: dim.compare_by ?? null,
      unit: dim.unit ?? null,
      values: dim.values ?? null,
      position,
    })),
  );
  insertRows(
    db,
    divergences,
    dims.map(({ key, dim: { divergence: d } }) => ({
      dimensionKey: key,
      summary: d.summary,
      severity: d.severity,
      example: d.example,
    })),
  );
  insertRows(
    db,
    migrationNotes,
    dims.flatMap(({ key, dim }) =>
      Object.entries(dim.divergence.migration).flatMap(([direction, note]) => {
        const [from, to] = direction.split('->');
        const fromProvider = PROVIDER_SLUGS.find((p) => p === from);
        const toProvider = PROVIDER_SLUGS.find((p) => p === to);
        return fromProvider && toProvider ? [{ dimensionKey: key, fromProvider, toProvider, note }] : [];
      }),
    ),
  );
}
