import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const providers = sqliteTable('providers', {
  slug: text('slug').primaryKey(),
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
    position: integer('position').notNull(),
  },
  (t) => [index('dimensions_topic_idx').on(t.topic, t.position)],
);

export const facts = sqliteTable(
  'facts',
  {
    id: text('id').primaryKey(),
    provider: text('provider')
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
    details: text('details').notNull(),
    verified: text('verified').notNull(),
    confidence: text('confidence', { enum: ['high', 'medium', 'low'] }).notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    position: integer('position').notNull(),
    /** `seed` for facts loaded from seed files, `admin` once the write API has touched them. */
    origin: text('origin', { enum: ['seed', 'admin'] })
      .notNull()
      .default('seed'),
    updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    index('facts_dimension_idx').on(t.dimensionKey, t.provider, t.position),
    index('facts_topic_idx').on(t.topic),
    index('facts_verified_idx').on(t.verified),
  ],
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
  },
  (t) => [primaryKey({ columns: [t.factId, t.position] })],
);

export const divergences = sqliteTable('divergences', {
  dimensionKey: text('dimension_key')
    .primaryKey()
    .references(() => dimensions.key, { onDelete: 'cascade' }),
  summary: text('summary').notNull(),
  severity: text('severity', { enum: ['low', 'medium', 'high', 'critical'] }).notNull(),
  example: text('example').notNull(),
});

export const migrationNotes = sqliteTable(
  'migration_notes',
  {
    dimensionKey: text('dimension_key')
      .notNull()
      .references(() => dimensions.key, { onDelete: 'cascade' }),
    fromProvider: text('from_provider').notNull(),
    toProvider: text('to_provider').notNull(),
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
    action: text('action', { enum: ['create', 'update', 'delete', 'reseed'] }).notNull(),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    datasetVersion: text('dataset_version').notNull(),
    /** 1 until `npm run export` has written the change back to the seed files. */
    unexported: integer('unexported', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('revisions_fact_idx').on(t.factId, t.id), index('revisions_at_idx').on(t.at)],
);
