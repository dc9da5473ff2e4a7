import type Database from 'better-sqlite3';
import { memo } from '../memo.js';
import type { Kb, Snapshot } from '../snapshot.js';
import { WEIGHTS } from './weights.js';

/** Full-text hits looked at per question. */
const FTS_LIMIT = 60;
/** Terms whose row counts are remembered per snapshot (questions are free text). */
const MAX_COUNTED_TERMS = 20_000;

interface FtsRow {
  topic: string;
  dimension: string | null;
  rank: number;
}

function statement(kb: Kb): Database.Statement {
  return memo(kb, 'ask:fts', () =>
    kb.db.$client.prepare(
      `SELECT topic, dimension, bm25(search_index, 0, 0, 0, 0, 0, ${WEIGHTS.bm25Title}, ${WEIGHTS.bm25Body}, ${WEIGHTS.bm25Keywords}) AS rank FROM search_index
       WHERE search_index MATCH @match AND kind IN ('fact', 'dimension') ORDER BY rank LIMIT ${FTS_LIMIT}`,
    ),
  );
}

/** The full-text index's row count and the rows holding each term, counted once a term per snapshot. */
function rowsHolding(kb: Kb, snap: Snapshot, term: string): { rows: number; holding: number } {
  const c = memo(snap, 'ask:fts-counts', () => ({
    rows: kb.db.$client.prepare('SELECT count(*) FROM search_index').pluck().get() as number,
    holding: new Map<string, number>(),
  }));
  let holding = c.holding.get(term);
  if (holding === undefined) {
    holding = kb.db.$client.prepare('SELECT count(*) FROM search_index WHERE search_index MATCH ?').pluck().get(term) as number;
    if (c.holding.size >= MAX_COUNTED_TERMS) c.holding.clear();
    c.holding.set(term, holding);
  }
  return { rows: c.rows, holding };
}

/**
 * The full-text query of a question: any of its terms. Ranking costs bm25 for every row that matches, and a
 * common word alone matches half the index. Rows holding only common terms rarely rank among the best, so when
 * the question also has selective terms (a rarer word, a phrase), only rows holding one of them are ranked,
 * still by all the terms (MaxScore's idea, approximately).
 */
function ftsMatch(kb: Kb, snap: Snapshot, terms: string[]): string {
  const any = terms.join(' OR ');
  const selective = terms.filter((t) => {
    const { rows, holding } = rowsHolding(kb, snap, t);
    // a term no row holds selects nothing: the common words alone must still find their rows
    return holding > 0 && holding <= WEIGHTS.commonShare * rows;
  });
  return selective.length > 0 && selective.length < terms.length ? `(${selective.join(' OR ')}) AND (${any})` : any;
}

export interface FtsScores {
  /** topic slug -> its share of the hits, the best topic 1 */
  topics: Map<string, number>;
  /** dimension key -> its best hit relative to the best hit overall */
  dims: Map<string, number>;
}

/** bm25 over facts and dimensions, any of the words: the full text sees what the vocabulary does not (details). */
export function ftsScores(kb: Kb, snap: Snapshot, ftsWords: string[], ftsPhrases: string[]): FtsScores {
  const topics = new Map<string, number>();
  const dims = new Map<string, number>();
  if (ftsWords.length === 0) return { topics, dims };
  const terms = [...ftsWords, ...ftsPhrases].map((t) => `"${t}"`);
  const rows = statement(kb).all({ match: ftsMatch(kb, snap, terms) }) as FtsRow[];
  const best = rows[0] ? -rows[0].rank : 0;
  if (best <= 0) return { topics, dims };
  for (const r of rows) {
    const share = -r.rank / best;
    topics.set(r.topic, (topics.get(r.topic) ?? 0) + share);
    if (r.dimension) {
      const key = `${r.topic}/${r.dimension}`;
      dims.set(key, Math.max(dims.get(key) ?? 0, share));
    }
  }
  const topBest = Math.max(...topics.values());
  for (const [k, v] of topics) topics.set(k, v / topBest);
  return { topics, dims };
}
