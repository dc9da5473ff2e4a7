import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ProviderSlug } from '../domain/seed.js';
import type { Db } from './connection.js';

/**
 * The FTS5 table `search_index` (migrations/0001_fts.sql): its rows, written by the seed loader and the write
 * API alike so the index never drifts, and its query. Raw SQL, since drizzle has no words for FTS5.
 */

/** What the index holds for one topic, dimension or fact. */
export interface IndexEntry {
  kind: 'topic' | 'dimension' | 'fact';
  ref: string;
  provider: string | null;
  topic: string;
  dimension: string | null;
  title: string;
  body: string;
  keywords: string;
}

export function topicIndexEntry(topic: { slug: string; title: string; summary: string; aliases: string[] }): IndexEntry {
  return {
    kind: 'topic',
    ref: topic.slug,
    provider: null,
    topic: topic.slug,
    dimension: null,
    title: topic.title,
    body: topic.summary,
    keywords: topic.aliases.join(' '),
  };
}

export function dimensionIndexEntry(
  topic: { slug: string; title: string; aliases: string[] },
  dim: { slug: string; title: string; question: string; baseline: string; keywords: string[] },
  divergence: { summary: string; example: string },
): IndexEntry {
  return {
    kind: 'dimension',
    ref: `${topic.slug}/${dim.slug}`,
    provider: null,
    topic: topic.slug,
    dimension: dim.slug,
    title: dim.title,
    body: `${dim.question} ${dim.baseline} ${divergence.summary} ${divergence.example}`,
    keywords: [...dim.keywords, topic.title, ...topic.aliases].join(' '),
  };
}

export interface FactIndexInput {
  id: string;
  provider: string;
  topic: string;
  dimension: string;
  variant?: string | null;
  value: string;
  details: string;
  tags: string[];
}

/**
 * A fact's index row. Its keywords carry the provider's name and service (EKS, AKS, GKE) and the dimension's
 * vocabulary, so a question worded like the dimension ("pod range exhaustion on GKE") finds the fact itself.
 * Other provider aliases resolve through the `provider` parameter and ask's provider detection instead:
 * repeating twenty aliases in every fact's row made the index a third larger to build.
 */
export function factIndexEntry(
  fact: FactIndexInput,
  dim: { title: string; keywords: string[] },
  provider: { name: string; kubernetes_service_short: string },
): IndexEntry {
  return {
    kind: 'fact',
    ref: fact.id,
    provider: fact.provider,
    topic: fact.topic,
    dimension: fact.dimension,
    title: `${dim.title} on ${provider.kubernetes_service_short}${fact.variant ? ` (${fact.variant})` : ''}`,
    body: `${fact.value}. ${fact.details}`,
    keywords: [provider.name, provider.kubernetes_service_short, ...dim.keywords, ...fact.tags].join(' '),
  };
}

/** Writes and removes index rows. */
export class SearchIndexWriter {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(db: Db) {
    this.insert = db.$client.prepare(
      'INSERT INTO search_index (kind, ref, provider, topic, dimension, title, body, keywords) VALUES (@kind, @ref, @provider, @topic, @dimension, @title, @body, @keywords)',
    );
    this.remove = db.$client.prepare('DELETE FROM search_index WHERE kind = ? AND ref = ?');
  }

  /** Adds a row; for a table known not to hold it (the seed loader empties the index first). */
  add(entry: IndexEntry): void {
    this.insert.run(entry);
  }

  /**
   * Replaces the row of an entry. Finding it scans the table (kind and ref are UNINDEXED columns), which is
   * fine for the write API's one fact at a time and never done by the seed loader.
   */
  put(entry: IndexEntry): void {
    this.remove.run(entry.kind, entry.ref);
    this.insert.run(entry);
  }

  delete(kind: IndexEntry['kind'], ref: string): void {
    this.remove.run(kind, ref);
  }
}

export function clearSearchIndex(db: Db): void {
  db.$client.prepare('DELETE FROM search_index').run();
}

/** Merges the index's segments into one: a database built ahead is searched at its fastest from the first query. */
export function optimizeSearchIndex(db: Db): void {
  db.$client.prepare("INSERT INTO search_index (search_index) VALUES ('optimize')").run();
}

/** Marks around matched words in a snippet (control characters; the caller escapes the text and replaces them). */
// FTS5 wraps each match in these; a nonce of this process makes them strings stored text cannot hold
const MARK_NONCE = randomBytes(12).toString('hex');
export const MARK_OPEN = `\u0002${MARK_NONCE}o`;
export const MARK_CLOSE = `\u0002${MARK_NONCE}c`;
/** Splits a snippet at the markers; the captured parts are `o` (open) and `c` (close). */
export const MARKS = new RegExp(`\u0002${MARK_NONCE}([oc])`);

export interface IndexQuery {
  /** An FTS5 MATCH expression, built from quoted terms so user input is never FTS syntax. */
  match: string;
  provider?: string;
  topic?: string;
  limit: number;
}

export interface IndexHit {
  kind: IndexEntry['kind'];
  ref: string;
  /** Only provider slugs are ever written to the column. */
  provider: ProviderSlug | null;
  topic: string;
  dimension: string | null;
  title: string;
  snippet: string;
  /** bm25: lower is better. */
  rank: number;
}

/** bm25 column weights: title, body, keywords (the UNINDEXED columns before them weigh nothing). */
const RANK = 'bm25(search_index, 0, 0, 0, 0, 0, 6.0, 1.0, 3.0)';

const statements = new WeakMap<Db, Map<string, Database.Statement<Record<string, unknown>, IndexHit>>>();

/** The best `limit` rows matching a query, best first, with snippets of their body. */
export function queryIndex(db: Db, q: IndexQuery): IndexHit[] {
  const where = ['search_index MATCH @match'];
  if (q.provider) where.push('provider = @provider');
  if (q.topic) where.push('topic = @topic');
  const text = `SELECT kind, ref, provider, topic, dimension, title,
      snippet(search_index, 6, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 20) AS snippet, ${RANK} AS rank
    FROM search_index WHERE ${where.join(' AND ')} ORDER BY rank LIMIT @limit`;
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = db.$client.prepare<Record<string, unknown>, IndexHit>(text);
    cache.set(text, stmt);
  }
  return stmt.all({
    match: q.match,
    limit: q.limit,
    ...(q.provider ? { provider: q.provider } : {}),
    ...(q.topic ? { topic: q.topic } : {}),
  });
}
