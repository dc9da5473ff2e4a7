import { randomBytes } from 'node:crypto';
import type { SearchHit, SearchResult } from '../domain/api.js';
import { requireProvider, requireTopic } from './catalog.js';
import { BadInputError } from './errors.js';
import type { Kb } from './snapshot.js';

export interface SearchParams {
  q: string;
  provider?: string;
  topic?: string;
  limit?: number;
  /** Restrict to some kinds of entries (ask looks at facts and dimensions). */
  kinds?: SearchHit['kind'][];
}

export const MAX_SEARCH_LIMIT = 50;
const MAX_TERMS = 24;

/** Words that carry no meaning in a question; dropped unless nothing else is left. */
export const STOPWORDS = new Set(
  'a an and are as at be by can could do does did for from has have how i if in into is it its me my of on or our should so than that the their them then there these this those to was we what when where which who why will with would you your vs versus between differ differs different difference differences compare compared comparison behave behaves behavior behaviour work works'.split(
    ' ',
  ),
);

/** Terms of free text, lower-cased; punctuation and FTS syntax never survive this. */
export function terms(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
    .filter((t) => t.length <= 64)
    .slice(0, MAX_TERMS);
}

/** Every term becomes a quoted FTS5 string, so quotes, NEAR(, *, ^ or SQL typed by a user are plain text. */
export function ftsQuery(words: readonly string[], mode: 'all' | 'any', prefixLast: boolean): string {
  const quoted = words.map((w, i) => `"${w}"${prefixLast && i === words.length - 1 && w.length >= 3 ? '*' : ''}`);
  return quoted.join(mode === 'all' ? ' ' : ' OR ');
}

// FTS5 wraps each match in these; a nonce of this process makes them strings stored text cannot hold
const MARK_NONCE = randomBytes(12).toString('hex');
const MARK_OPEN = `\u0002${MARK_NONCE}o`;
const MARK_CLOSE = `\u0002${MARK_NONCE}c`;
const MARKS = new RegExp(`\u0002${MARK_NONCE}([oc])`);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Split at the markers (odd parts are `o`/`c`); stored text is escaped, its control characters dropped. */
function highlight(raw: string): string {
  return raw
    .split(MARKS)
    .map((part, i) => (i % 2 === 1 ? (part === 'o' ? '<mark>' : '</mark>') : escapeHtml(part.replaceAll(/[\u0000-\u0008]/g, ''))))
    .join('');
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

  let rows = runQuery(kb, ftsQuery(words, 'all', true), provider, topic, params.kinds, limit);
  if (rows.length === 0 && words.length > 1)
    rows = runQuery(kb, ftsQuery(words, 'any', true), provider, topic, params.kinds, limit);

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

function runQuery(
  kb: Kb,
  match: string,
  provider: string | undefined,
  topic: string | undefined,
  kinds: SearchHit['kind'][] | undefined,
  limit: number,
): Row[] {
  const where = ['search_index MATCH @match'];
  if (provider) where.push('provider = @provider');
  if (topic) where.push('topic = @topic');
  if (kinds && kinds.length > 0) where.push(`kind IN (${kinds.map((k) => `'${k}'`).join(', ')})`);
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
