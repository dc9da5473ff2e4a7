import type { SearchHit, SearchResult } from '../domain/api.js';
import { requireProvider, requireTopic } from './catalog.js';
import { BadInputError } from './errors.js';
import type { Kb } from './snapshot.js';
import { STOPWORDS, tokens } from './words.js';

export interface SearchParams {
  q: string;
  provider?: string;
  topic?: string;
  limit?: number;
}

export const MAX_SEARCH_LIMIT = 50;
const MAX_TERMS = 24;

/** Terms of free text, lower-cased; punctuation and FTS syntax never survive this. */
export function terms(text: string): string[] {
  return tokens(text).slice(0, MAX_TERMS);
}

/** Every term becomes a quoted FTS5 string, so quotes, NEAR(, *, ^ or SQL typed by a user are plain text. */
export function ftsQuery(words: readonly string[], mode: 'all' | 'any', prefixLast: boolean): string {
  const quoted = words.map((w, i) => `"${w}"${prefixLast && i === words.length - 1 && w.length >= 3 ? '*' : ''}`);
  return quoted.join(mode === 'all' ? ' ' : ' OR ');
}

const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function highlight(raw: string): string {
  return escapeHtml(raw.replaceAll(/[\u0000-\u0001\u0004-\u0008]/g, ''))
    .replaceAll(MARK_OPEN, '<mark>')
    .replaceAll(MARK_CLOSE, '</mark>');
}

interface Row {
  kind: SearchHit['kind'];
  ref: string;
  provider: string | null;
  topic: string;
  dimension: string | null;
  title: string;
  snippet: string;
  rank: number;
}

/** bm25 column weights: title, body, keywords (the UNINDEXED columns before them weigh nothing). */
const RANK = 'bm25(search_index, 0, 0, 0, 0, 0, 6.0, 1.0, 3.0)';

/** Full-text search over topics, dimensions and facts, ranked by bm25, with highlighted snippets. */
export function search(kb: Kb, params: SearchParams): SearchResult {
  const snap = kb.snapshot();
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new BadInputError('limit', `must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  const all = terms(params.q);
  if (all.length === 0) throw new BadInputError('q', 'must contain at least one letter or digit');
  const meaningful = all.filter((t) => !STOPWORDS.has(t));
  const words = meaningful.length > 0 ? meaningful : all;
  const provider = params.provider ? requireProvider(snap, 'provider', params.provider) : undefined;
  const topic = params.topic ? requireTopic(snap, 'topic', params.topic).slug : undefined;

  let rows = runQuery(kb, ftsQuery(words, 'all', true), provider, topic, limit);
  if (rows.length === 0 && words.length > 1) rows = runQuery(kb, ftsQuery(words, 'any', true), provider, topic, limit);

  const items: SearchHit[] = rows.map((r) => {
    const fact = r.kind === 'fact' ? snap.factById.get(r.ref) : undefined;
    return {
      kind: r.kind,
      id: r.ref,
      title: r.title,
      provider: (r.provider as SearchHit['provider']) ?? null,
      topic: r.topic,
      dimension: r.dimension,
      snippet: highlight(r.snippet),
      score: Math.round(-r.rank * 1000) / 1000,
      ...(fact ? { fact } : {}),
    };
  });
  return { query: params.q, items, dataset: { version: snap.version } };
}

const statements = new WeakMap<Kb, Map<string, import('better-sqlite3').Statement>>();

function runQuery(kb: Kb, match: string, provider: string | undefined, topic: string | undefined, limit: number): Row[] {
  const where = ['search_index MATCH @match'];
  if (provider) where.push('provider = @provider');
  if (topic) where.push('topic = @topic');
  const sql = `SELECT kind, ref, provider, topic, dimension, title,
      snippet(search_index, 6, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 20) AS snippet, ${RANK} AS rank
    FROM search_index WHERE ${where.join(' AND ')} ORDER BY rank LIMIT @limit`;
  let cache = statements.get(kb);
  if (!cache) {
    cache = new Map();
    statements.set(kb, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = kb.db.$client.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt.all({ match, limit, ...(provider ? { provider } : {}), ...(topic ? { topic } : {}) }) as Row[];
}
