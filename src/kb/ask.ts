import type Database from 'better-sqlite3';
import type { CompareRow, Fact } from '../domain/api.js';
import type { Ask, AskTopic } from '../domain/ask.js';
import type { ProviderSlug } from '../domain/seed.js';
import {
  type AskIndex,
  askIndex,
  type Bigrams,
  type DimensionDoc,
  isStopword,
  type Phrase,
  resolveWord,
  stem,
  type TopicDoc,
  warmAskIndex,
  words,
} from './ask-index.js';
import { defaultFact } from './compare.js';
import { BadInputError } from './errors.js';
import type { Kb } from './kb.js';
import { compareKeys } from './keys.js';
import type { Snapshot } from './snapshot.js';

export const MAX_MATCHES = 5;
const MAX_TOPICS = 3;
const MAX_ANSWER = 700;
/** Question words looked at; a longer text is cut (the route already bounds q to 500 characters). */
const MAX_WORDS = 40;
/** Full-text hits looked at per question. */
const FTS_LIMIT = 60;
/** How much the full-text ranking adds to a topic or dimension, relative to one well-matched word. */
const FTS_WEIGHT = 4;
/** A phrase (alias, keyword, title) whose words all occur earns this share of its words' weight again. */
const PHRASE_BONUS = 0.75;
/** Two question words side by side that also stand side by side in a phrase earn this share of their weight again. */
const BIGRAM_BONUS = 0.5;
/** How much a match on the topic's own names (title, aliases) counts beside its best dimension's match. */
const TOPIC_OWN_WEIGHT = 0.5;
const SECOND_WEIGHT = 0.25;
const FTS_TOPIC_WEIGHT = 1;
/** Below this score nothing matched: one content word of ordinary specificity scores about 4. */
const MIN_SCORE = 2;

export interface Question {
  providers: ProviderSlug[];
  /** content stems, typo-corrected */
  stems: string[];
  stemSet: Set<string>;
  /** content stems plus the provider names taken out of `stems`, for phrase matches */
  phraseSet: Set<string>;
  /** adjacent content stems, "a b" */
  bigrams: string[];
  /** words for full-text search: the surface form of corrected words, the rest as typed */
  ftsWords: string[];
  /** adjacent words as phrases, so bm25 rewards "service account" over "service" and "account" apart */
  ftsPhrases: string[];
}

/** Providers named in the question (in the order named) and the words left once their names are taken out. */
export function readQuestion(index: AskIndex, q: string): Question {
  const ws = words(q).slice(0, MAX_WORDS);
  const claimed = new Array<boolean>(ws.length).fill(false);
  const found: { provider: ProviderSlug; at: number }[] = [];
  for (const alias of index.providerAliases) {
    const n = alias.words.length;
    for (let i = 0; i + n <= ws.length; i++) {
      const hit = alias.words.every((a, k) => {
        const w = ws[i + k] as string;
        if (w === a || (w.endsWith('s') && w.slice(0, -1) === a)) return true;
        // a typo in a long name ("Azrue", "Amazn") still names the provider, unless it is a word we know ("cloud")
        return (
          n === 1 &&
          alias.claims.length === 1 &&
          a.length >= 5 &&
          w.length >= 5 &&
          w[0] === a[0] &&
          !index.surface.has(stem(w)) &&
          editDistance1(w, a)
        );
      });
      if (!hit) continue;
      found.push({ provider: alias.provider, at: i });
      alias.words.forEach((a, k) => {
        if (alias.claims.includes(a)) claimed[i + k] = true;
      });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const providers = [...new Set(found.map((f) => f.provider))];

  const stems: string[] = [];
  // with the provider names kept: phrases such as "Azure CNI" or "GKE Ingress" still match as phrases
  const sequence: string[] = [];
  const ftsWords: string[] = [];
  ws.forEach((w, i) => {
    if (isStopword(w) || w.length < 2) return;
    if (claimed[i]) {
      sequence.push(stem(w));
      return;
    }
    const r = resolveWord(index, w);
    stems.push(...r.stems);
    sequence.push(...r.stems);
    ftsWords.push(r.corrected ? r.stems.map((s) => index.surface.get(s) ?? s).join(' ') : w);
  });
  const bigrams = sequence.slice(1).map((s, i) => `${sequence[i]} ${s}`);
  const unique = [...new Set(stems)];
  return {
    providers,
    stems: unique,
    stemSet: new Set(unique),
    phraseSet: new Set(sequence),
    bigrams: [...new Set(bigrams)],
    ftsWords: [...new Set(ftsWords.flatMap((w) => w.split(' ')))],
    ftsPhrases: [...new Set(ftsWords.slice(1).map((w, i) => `${ftsWords[i]} ${w}`))],
  };
}

function editDistance1(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function lexicalScore(
  doc: { weights: Map<string, number>; phrases: Phrase[]; bigrams: Bigrams },
  q: Question,
  idf: Map<string, number>,
): number {
  const { weights, phrases } = doc;
  const stems = q.stemSet;
  const inPhrase = q.phraseSet;
  let score = 0;
  // two words side by side as in a phrase ("service account", "pod range") say more than the words apart
  for (const pair of q.bigrams) {
    const w = doc.bigrams.get(pair);
    if (w === undefined) continue;
    const [a, b] = pair.split(' ') as [string, string];
    score += BIGRAM_BONUS * w * ((idf.get(a) ?? 0) + (idf.get(b) ?? 0));
  }
  for (const s of stems) {
    const w = weights.get(s);
    if (w !== undefined) score += w * (idf.get(s) ?? 0);
  }
  let bonus = 0;
  for (const p of phrases) {
    if (p.stems.every((s) => inPhrase.has(s))) {
      bonus = Math.max(bonus, PHRASE_BONUS * p.weight * p.stems.reduce((sum, s) => sum + (idf.get(s) ?? 0), 0));
    }
  }
  return score + bonus;
}

interface FtsRow {
  topic: string;
  dimension: string | null;
  rank: number;
}

const statements = new WeakMap<Kb, Database.Statement>();

/** A term in more of the index's rows than this share is common ("pod", "node", "cluster"). */
const COMMON_SHARE = 0.1;
const MAX_COUNTED_TERMS = 20_000;

/** Per dataset version: the full-text index's row count and the rows holding each term, counted once a term. */
const counts = new WeakMap<Snapshot, { rows: number; holding: Map<string, number> }>();

function rowsHolding(kb: Kb, snap: Snapshot, term: string): { rows: number; holding: number } {
  let c = counts.get(snap);
  if (!c) {
    c = { rows: kb.db.$client.prepare('SELECT count(*) FROM search_index').pluck().get() as number, holding: new Map() };
    counts.set(snap, c);
  }
  let holding = c.holding.get(term);
  if (holding === undefined) {
    holding = kb.db.$client.prepare('SELECT count(*) FROM search_index WHERE search_index MATCH ?').pluck().get(term) as number;
    // bounded: questions are free text
    if (c.holding.size >= MAX_COUNTED_TERMS) c.holding.clear();
    c.holding.set(term, holding);
  }
  return { rows: c.rows, holding };
}

/**
 * The full-text query of a question: any of its terms. Ranking costs bm25 for every row that matches, and a
 * common word alone matches half the index (30,000 rows of a 100x seed: ~90 ms). Rows holding only common
 * terms rarely rank among the best, so when the question also has selective terms (a rarer word, a phrase),
 * only rows holding one of them are ranked, still by all the terms (MaxScore's idea, approximately: the eval's
 * topic accuracy is the same with and without it).
 */
function ftsMatch(kb: Kb, snap: Snapshot, terms: string[]): string {
  const any = terms.join(' OR ');
  const selective = terms.filter((t) => {
    const { rows, holding } = rowsHolding(kb, snap, t);
    // a term no row holds selects nothing: the common words alone must still find their rows
    return holding > 0 && holding <= COMMON_SHARE * rows;
  });
  return selective.length > 0 && selective.length < terms.length ? `(${selective.join(' OR ')}) AND (${any})` : any;
}

/** bm25 over facts and dimensions, any of the words: the full text sees what the vocabulary does not (details). */
function ftsScores(
  kb: Kb,
  snap: Snapshot,
  ftsWords: string[],
  ftsPhrases: string[],
): { topics: Map<string, number>; dims: Map<string, number> } {
  const topics = new Map<string, number>();
  const dims = new Map<string, number>();
  if (ftsWords.length === 0) return { topics, dims };
  let stmt = statements.get(kb);
  if (!stmt) {
    stmt = kb.db.$client.prepare(
      `SELECT topic, dimension, bm25(search_index, 0, 0, 0, 0, 0, 6.0, 1.0, 3.0) AS rank FROM search_index
       WHERE search_index MATCH @match AND kind IN ('fact', 'dimension') ORDER BY rank LIMIT ${FTS_LIMIT}`,
    );
    statements.set(kb, stmt);
  }
  const terms = [...ftsWords, ...ftsPhrases].map((t) => `"${t}"`);
  const rows = stmt.all({ match: ftsMatch(kb, snap, terms) }) as FtsRow[];
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

interface Ranked {
  topics: { doc: TopicDoc; score: number }[];
  /** the dimensions of the best topics (at most MAX_TOPICS), best first */
  dims: { doc: DimensionDoc; score: number }[];
  best: number;
}

/** Topics by how well the question matches them, and the dimensions of the best ones. */
function rank(kb: Kb, snap: Snapshot, index: AskIndex, question: Question): Ranked {
  const fts = ftsScores(kb, snap, question.ftsWords, question.ftsPhrases);
  const topicScore = new Map<string, number>();
  const topicOwn = new Map<string, number>();
  for (const t of index.topics) topicOwn.set(t.topic.slug, lexicalScore(t, question, index.idf));

  // only dimensions sharing a word with the question, or found by full text, can score on their own
  const candidates = new Set<DimensionDoc>();
  for (const st of question.phraseSet) for (const d of index.postings.get(st) ?? []) candidates.add(d);
  for (const key of fts.dims.keys()) {
    const [topic, slug] = key.split('/');
    const d = index.dimensionsByTopic.get(topic ?? '')?.find((x) => x.dim.slug === slug);
    if (d) candidates.add(d);
  }
  const dims = [...candidates].map((doc) => {
    const own = lexicalScore(doc, question, index.idf);
    const score = own + FTS_WEIGHT * (fts.dims.get(doc.dim.key) ?? 0);
    return { doc, own, score };
  });
  const perTopic = new Map<string, number[]>();
  for (const d of dims) {
    const list = perTopic.get(d.doc.topic.slug) ?? [];
    list.push(d.score);
    perTopic.set(d.doc.topic.slug, list);
  }
  let best = 0;
  const topics = index.topics.map((doc) => {
    const scores = (perTopic.get(doc.topic.slug) ?? []).sort((a, b) => b - a);
    const score =
      TOPIC_OWN_WEIGHT * (topicOwn.get(doc.topic.slug) ?? 0) +
      Math.max(0, scores[0] ?? 0) +
      SECOND_WEIGHT * Math.max(0, scores[1] ?? 0) +
      FTS_TOPIC_WEIGHT * (fts.topics.get(doc.topic.slug) ?? 0);
    topicScore.set(doc.topic.slug, score);
    best = Math.max(best, score);
    return { doc, score };
  });
  const position = new Map(index.topics.map((t, i) => [t, i]));
  topics.sort((a, b) => b.score - a.score || (position.get(a.doc) ?? 0) - (position.get(b.doc) ?? 0));
  // answers come from the best topics only: their dimensions are the ones ranked (all of them: those sharing no
  // word with the question score 0 on their own but still rank by their topic's lift)
  const best3 = new Set(topics.slice(0, MAX_TOPICS).map((t) => t.doc.topic.slug));
  const inBest = dims.filter((d) => best3.has(d.doc.topic.slug));
  for (const slug of best3) {
    for (const doc of index.dimensionsByTopic.get(slug) ?? []) {
      if (!candidates.has(doc)) inBest.push({ doc, own: 0, score: 0 });
    }
  }
  // a dimension ranks by its own words, lifted by how well its topic matches as a whole
  const ranked = inBest
    .map((d) => ({ doc: d.doc, score: d.score + 0.5 * (topicOwn.get(d.doc.topic.slug) ?? 0) }))
    .sort((a, b) => b.score - a.score || a.doc.order - b.doc.order);
  return { topics, dims: ranked, best };
}

function providerOrder(snap: Snapshot, asked: ProviderSlug[]): ProviderSlug[] {
  return [...asked, ...snap.providers.map((p) => p.slug).filter((p) => !asked.includes(p))];
}

/** A compare row with a cell for every provider, the asked ones first; `differs` compares the asked ones (all when one). */
function askRow(doc: DimensionDoc, order: ProviderSlug[], asked: ProviderSlug[]): CompareRow {
  const cells: CompareRow['cells'] = {};
  for (const p of order) cells[p] = doc.dim.cells[p];
  const dim = doc.dim;
  return {
    dimension: { slug: dim.slug, title: dim.title, question: dim.question, baseline: dim.baseline },
    cells,
    ...compareKeys(dim, asked.length >= 2 ? asked : order),
    divergence: dim.divergence,
  };
}

const trimStop = (s: string) => s.trim().replace(/[.;:,\s]+$/, '');

/** "On GKE, … . By contrast, on EKS …; on AKS …." for one dimension; the facts it quoted are collected. */
function sentence(snap: Snapshot, doc: DimensionDoc, asked: ProviderSlug[], order: ProviderSlug[], used: Fact[]): string {
  const part = (p: ProviderSlug) => {
    const fact = defaultFact(doc.dim.cells[p]);
    if (!fact) return undefined;
    used.push(fact);
    const name = snap.providerBySlug.get(p)?.kubernetes_service_short ?? p;
    const variant = doc.dim.cells[p].length > 1 && fact.variant ? ` (${fact.variant})` : '';
    return `on ${name}${variant}, ${trimStop(fact.value)}`;
  };
  const focus = asked.length < order.length ? asked : order;
  const others = order.filter((p) => !focus.includes(p));
  const head = focus.map(part).filter(Boolean).join('; ');
  const tail = others.map(part).filter(Boolean).join('; ');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `${trimStop(doc.dim.title)}: ${cap(head)}.${tail ? ` By contrast, ${tail}.` : ''}`;
}

function fitSentences(parts: string[], max: number): string {
  let out = '';
  for (const p of parts) {
    const next = out ? `${out} ${p}` : p;
    if (next.length > max) {
      if (!out) return `${p.slice(0, max - 1).trimEnd()}…`;
      break;
    }
    out = next;
  }
  return out;
}

/** Character trigrams of a word, for suggesting topics a garbled question may have meant. */
function trigrams(word: string): Set<string> {
  const w = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= w.length; i++) out.add(w.slice(i, i + 3));
  return out;
}

function similarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  return (2 * common) / (ta.size + tb.size);
}

function suggestTopics(index: AskIndex, q: string): AskTopic[] {
  const qs = words(q).filter((w) => w.length >= 3 && !isStopword(w));
  const scored = index.topics.map((t, i) => {
    let score = 0;
    for (const w of qs) score += Math.max(0, ...t.surface.map((s) => similarity(w, s)));
    return { t, i, score };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, MAX_TOPICS).map(({ t }) => ({ slug: t.topic.slug, title: t.topic.title }));
}

/**
 * Answers a free-text question from the facts, deterministically: resolves the providers it names (aliases:
 * EKS, Azure, Google …; none means all three), ranks topics and dimensions by the vocabulary of the seed
 * (aliases, titles, keywords, fact values; tolerant of plurals and typos) plus full-text search over the facts,
 * and assembles a short answer from the best rows, the asked providers first and the others for contrast.
 */
export function ask(kb: Kb, q: string): Ask {
  const snap = kb.snapshot();
  const question = q.trim();
  if (words(question).length === 0) throw new BadInputError('q', 'must contain a question (at least one letter or digit)');
  const index = askIndex(snap);
  const read = readQuestion(index, question);
  const asked = read.providers.length > 0 ? read.providers : snap.providers.map((p) => p.slug);
  const order = providerOrder(snap, asked);
  const base = { question, providers: asked, dataset: { version: snap.version } };

  const ranked = read.stems.length > 0 ? rank(kb, snap, index, read) : undefined;
  if (!ranked || ranked.best < MIN_SCORE) {
    const suggestions = suggestTopics(index, question);
    const names = suggestions.map((s) => s.title).join(', ');
    return {
      ...base,
      topics: [],
      answer: `No facts match this question. Try naming a topic${names ? `, for example: ${names}` : ''}.`,
      matches: [],
      citations: [],
      suggestions,
    };
  }

  const topTopic = ranked.topics[0] as Ranked['topics'][number];
  const topics = ranked.topics
    .filter((t, i) => i === 0 || t.score >= 0.6 * topTopic.score)
    .slice(0, MAX_TOPICS)
    .map((t) => ({ slug: t.doc.topic.slug, title: t.doc.topic.title }));
  const inTopics = new Set(topics.map((t) => t.slug));
  const bestDim = ranked.dims.find((d) => d.doc.topic.slug === topTopic.doc.topic.slug)?.score ?? 0;
  let inTop = 0;
  const chosen = ranked.dims
    .filter((d) => {
      // the top topic's best rows (at least 3, so a question about a whole topic gets its headline rows), and
      // rows of the runner-up topics that match about as well as the best one
      if (d.doc.topic.slug === topTopic.doc.topic.slug) return inTop++ < 3 || d.score >= 0.35 * bestDim;
      return inTopics.has(d.doc.topic.slug) && d.score >= 0.8 * bestDim;
    })
    .slice(0, MAX_MATCHES);

  const quoted = chosen.slice(0, 2).map((d) => {
    const facts: Fact[] = [];
    return { text: sentence(snap, d.doc, asked, order, facts), facts };
  });
  const parts = [quoted[0]?.text as string];
  const summary = chosen[0]?.doc.dim.divergence.summary;
  if (summary) parts.push(`${trimStop(summary)}.`);
  if (quoted[1]) parts.push(quoted[1].text);
  const answer = fitSentences(parts, MAX_ANSWER);
  const answerFacts = quoted.filter((s) => answer.includes(s.text)).flatMap((s) => s.facts);
  if (answerFacts.length === 0) answerFacts.push(...(quoted[0]?.facts ?? []));

  const matches = chosen.map((d) => askRow(d.doc, order, asked));
  const seen = new Set<string>();
  const citations: Ask['citations'] = [];
  const cite = (f: Fact) => {
    for (const s of f.sources) {
      if (seen.has(s.url)) continue;
      seen.add(s.url);
      citations.push(s);
    }
  };
  for (const f of answerFacts) cite(f);
  for (const row of matches) for (const p of order) for (const f of row.cells[p] ?? []) cite(f);
  return { ...base, topics, answer, matches, citations, suggestions: [] };
}

/** `ask` once the dataset's index is built: during the start-up warm-up a question waits without holding other requests. */
export async function askWhenReady(kb: Kb, q: string): Promise<Ask> {
  await warmAskIndex(kb.snapshot());
  return ask(kb, q);
}
