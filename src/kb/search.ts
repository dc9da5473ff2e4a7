import { MARKS, queryIndex } from '../db/search-index.js';
import type { SearchHit, SearchResult } from '../domain/api.js';
import { requireProvider, requireTopic } from './catalog.js';
import { BadInputError } from './errors.js';
import type { Kb } from './kb.js';
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

  const query = { provider, topic, limit };
  let rows = queryIndex(kb.db, { ...query, match: ftsQuery(words, 'all', true) });
  if (rows.length === 0 && words.length > 1) rows = queryIndex(kb.db, { ...query, match: ftsQuery(words, 'any', true) });

  const items: SearchHit[] = rows.map((r) => {
    const fact = r.kind === 'fact' ? snap.factById.get(r.ref) : undefined;
    return {
      kind: r.kind,
      id: r.ref,
      title: r.title,
      provider: r.provider,
      topic: r.topic,
      dimension: r.dimension,
      snippet: highlight(r.snippet),
      score: Math.round(-r.rank * 1000) / 1000,
      ...(fact ? { fact } : {}),
    };
  });
  return { query: params.q, items, dataset: { version: snap.version } };
}
