import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { REVISION_ACTIONS } from '../domain/admin.js';
import type { Fact } from '../domain/api.js';
import {
  type Applies,
  type Change,
  COMPARE_KINDS,
  CONFIDENCES,
  FACT_STATUSES,
  type FactKey,
  PROVIDER_SLUGS,
  SEVERITIES,
} from '../domain/seed.js';

export const providers = sqliteTable('providers', {
  slug: text('slug', { enum: PROVIDER_SLUGS }).primaryKey(),
  name: text('name').notNull(),
  kubernetesService: text('kubernetes_service').notNull(),
  kubernetesServiceShort: text('kubernetes_service_short').notNull(),
  aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull(),
  position: integer('position').notNull(),
});

export const topics = sqliteTable('topics', {
  slug: text('slug').primaryKey(),
  title: text('title').notNull(),
  summary: text('summary').notNull(),
  aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull(),
  position: integer('position').notNull(),
});

/** `key` is `topic/slug`: dimension slugs are unique only within their topic. */
export const dimensions = sqliteTable(
  'dimensions',
  {
    key: text('key').primaryKey(),
    topic: text('topic')
      .notNull()
      .references(() => topics.slug, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    question: text('question').notNull(),
    baseline: text('baseline').notNull(),
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    compareBy: text('compare_by', { enum: COMPARE_KINDS }),
    unit: text('unit'),
    values: text('values', { mode: 'json' }).$type<string[]>(),
    position: integer('position').notNull(),
  },
  (t) => [index('dimensions_topic_idx').on(t.topic, t.position)],
);

export const facts = sqliteTable(
  'facts',
  {
    id: text('id').primaryKey(),
    provider: text('provider', { enum: PROVIDER_SLUGS })
      .notNull()
      .references(() => providers.slug),
    topic: text('topic')
      .notNull()
      .references(() => topics.slug, { onDelete: 'cascade' }),
    dimensionKey: text('dimension_key')
      .notNull()
      .references(() => dimensions.key, { onDelete: 'cascade' }),
    variant: text('variant'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull(),
    value: text('value').notNull(),
    key: text('key', { mode: 'json' }).$type<FactKey>(),
    status: text('status', { enum: FACT_STATUSES }).notNull().default('ga'),
    applies: text('applies', { mode: 'json' }).$type<Applies>(),
    changes: text('changes', { mode: 'json' }).$type<Change[]>(),
    details: text('details').notNull(),
    confidence: text('confidence', { enum: CONFIDENCES }).notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    position: integer('position').notNull(),
    /** `seed` for facts loaded from seed files, `admin` once the write API has touched them. */
    origin: text('origin', { enum: ['seed', 'admin'] })
      .notNull()
      .default('seed'),
    updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index('facts_dimension_idx').on(t.dimensionKey, t.provider, t.position), index('facts_topic_idx').on(t.topic)],
);

export const sources = sqliteTable(
  'sources',
  {
    factId: text('fact_id')
      .notNull()
      .references(() => facts.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    position: integer('position').notNull(),
    url: text('url').notNull(),
    title: text('title').notNull(),
    /** The day this page was last read against the fact; the fact's `verified` is the oldest of its sources'. */
    checked: text('checked').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.factId, t.position] })],
);

export const divergences = sqliteTable('divergences', {
  dimensionKey: text('dimension_key')
    .primaryKey()
    .references(() => dimensions.key, { onDelete: 'cascade' }),
  summary: text('summary').notNull(),
  severity: text('severity', { enum: SEVERITIES }).notNull(),
  example: text('example').notNull(),
});

export const migrationNotes = sqliteTable(
  'migration_notes',
  {
    dimensionKey: text('dimension_key')
      .notNull()
      .references(() => dimensions.key, { onDelete: 'cascade' }),
    fromProvider: text('from_provider', { enum: PROVIDER_SLUGS }).notNull(),
    toProvider: text('to_provider', { enum: PROVIDER_SLUGS }).notNull(),
    note: text('note').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dimensionKey, t.fromProvider, t.toProvider] })],
);

/** One row (id = 1): what is loaded. `version` changes on every reseed and every admin write. */
export const dataset = sqliteTable('dataset', {
  id: integer('id').primaryKey(),
  version: text('version').notNull(),
  seedHash: text('seed_hash').notNull(),
  builtAt: text('built_at').notNull(),
  revision: integer('revision').notNull().default(0),
});

/** Every change to a fact (admin writes) and every reseed, for history and `/v1/changes`. */
export const revisions = sqliteTable(
  'revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    factId: text('fact_id'),
    action: text('action', { enum: REVISION_ACTIONS }).notNull(),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
    before: text('before', { mode: 'json' }).$type<Fact>(),
    after: text('after', { mode: 'json' }).$type<Fact>(),
    datasetVersion: text('dataset_version').notNull(),
    /** 1 until `npm run export` has written the change back to the seed files. */
    unexported: integer('unexported', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('revisions_fact_idx').on(t.factId, t.id), index('revisions_at_idx').on(t.at)],
);
