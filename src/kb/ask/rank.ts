import { PROVIDER_SLUGS, type ProviderSlug } from '../../domain/seed.js';
import type { Snapshot } from '../snapshot.js';
import { providerPart, topicProse } from './prose-index.js';
import type { Question } from './question.js';
import type { AskIndex, DimensionDoc, Postings, TopicDoc } from './vocabulary.js';
import { WEIGHTS } from './weights.js';

export const MAX_MATCHES = 5;
export const MAX_TOPICS = 3;
/** Prose hits that count towards a topic's share, as many as a page of full-text results. */
const PROSE_HITS = 60;

/** Scores of the docs of a postings set that hold a word of the question (the others score 0). */
interface Scores {
  /** by doc number: the index's scratch buffer, zeroed again by `clear` once the question is ranked */
  score: Float64Array;
  /** the doc numbers with a score, in the order first reached */
  touched: number[];
}

/**
 * How well the question's words match each doc of a postings set: the weight of the field each word comes from
 * times its rarity, bigrams as in a phrase, and the best whole phrase present. Only docs holding a word of the
 * question are touched.
 */
function lexicalScores(p: Postings, score: Float64Array, q: Question, idf: Map<string, number>): Scores {
  const touched: number[] = [];
  const add = (doc: number, x: number) => {
    if (x <= 0) return;
    if (score[doc] === 0) touched.push(doc);
    score[doc] = (score[doc] as number) + x;
  };
  for (const pair of q.bigrams) {
    const list = p.bigrams.get(pair);
    if (!list) continue;
    const [a, b] = pair.split(' ') as [string, string];
    const rarity = (idf.get(a) ?? 0) + (idf.get(b) ?? 0);
    for (let i = 0; i < list.length; i += 2) add(list[i] as number, WEIGHTS.bigramBonus * (list[i + 1] as number) * rarity);
  }
  for (const s of q.stemSet) {
    const list = p.stems.get(s);
    if (!list) continue;
    const rarity = (idf.get(s) ?? 0) * (q.corrected.has(s) ? WEIGHTS.corrected : 1);
    if (rarity === 0) continue;
    for (let i = 0; i < list.length; i += 2) add(list[i] as number, (list[i + 1] as number) * rarity);
  }
  const bonus = new Map<number, number>();
  for (const s of q.phraseSet) {
    for (const { stems, docs } of p.phrases.get(s) ?? []) {
      if (!stems.every((x) => q.phraseSet.has(x))) continue;
      const rarity = stems.reduce((sum, x) => sum + (idf.get(x) ?? 0), 0);
      for (let i = 0; i < docs.length; i += 2) {
        const doc = docs[i] as number;
        const b = WEIGHTS.phraseBonus * (docs[i + 1] as number) * rarity;
        if (b > (bonus.get(doc) ?? 0)) bonus.set(doc, b);
      }
    }
  }
  for (const [doc, b] of bonus) if (b > 0) add(doc, b);
  return { score, touched };
}

/** What a dimension's prose adds: each question word's rarity, saturating with how often the prose repeats it. */
function proseScores(
  snap: Snapshot,
  index: AskIndex,
  topics: readonly TopicDoc[],
  q: Question,
  providers: readonly ProviderSlug[],
): Map<DimensionDoc, number> {
  const parts = new Uint8Array(1 + PROVIDER_SLUGS.length);
  parts[0] = 1;
  for (const p of providers) parts[providerPart(p)] = 1;
  const out = new Map<DimensionDoc, number>();
  for (const t of topics) {
    const dims = index.dimensionsByTopic.get(t.topic.slug) ?? [];
    const { postings } = topicProse(snap, t.topic.slug, dims);
    const score = new Float64Array(dims.length);
    const tf = new Float64Array(dims.length);
    for (const s of q.stems) {
      const list = postings.get(s);
      if (!list) continue;
      for (let i = 0; i < list.length; i += 3) {
        const at = list[i] as number;
        if (parts[list[i + 1] as number] === 1) tf[at] = (tf[at] as number) + (list[i + 2] as number);
      }
      const rarity = index.idf.get(s) ?? index.rareIdf;
      for (let i = 0; i < list.length; i += 3) {
        const at = list[i] as number;
        const n = tf[at] as number;
        if (n === 0) continue;
        score[at] = (score[at] as number) + rarity * (n / (n + WEIGHTS.proseSaturation));
        tf[at] = 0;
      }
    }
    dims.forEach((d, at) => {
      if ((score[at] as number) > 0) out.set(d, score[at] as number);
    });
  }
  return out;
}

/** Zeroes what a question wrote into a scratch buffer. */
function clear({ score, touched }: Scores): void {
  for (const n of touched) score[n] = 0;
}

export interface Scored<T> {
  doc: T;
  score: number;
}

export interface Ranked {
  /** the candidate topics, best first */
  topics: Scored<TopicDoc>[];
  /** the dimensions of the best topics (at most MAX_TOPICS), best first */
  dims: Scored<DimensionDoc>[];
  /** the best topic's score by the vocabulary alone: prose reorders candidates, it does not make a match */
  best: number;
}

/**
 * Topics by how well the question matches them, and the dimensions of the best ones. The vocabulary ranks every
 * topic through the postings of the question's words; only the best few (`candidateTopics`) have their prose
 * read, which reorders them (a topic the vocabulary ranks lower cannot overtake them: prose only adds).
 */
export function rank(snap: Snapshot, index: AskIndex, question: Question, providers: readonly ProviderSlug[]): Ranked {
  // ask is synchronous: one question at a time ranks in the index's scratch buffers, and leaves them zeroed
  const lexTopics = lexicalScores(index.topicPostings, index.scratch.topics, question, index.idf);
  const lexDims = lexicalScores(index.dimensionPostings, index.scratch.dimensions, question, index.idf);
  try {
    return rankScored(snap, index, question, providers, lexTopics.score, lexDims);
  } finally {
    clear(lexTopics);
    clear(lexDims);
  }
}

function rankScored(
  snap: Snapshot,
  index: AskIndex,
  question: Question,
  providers: readonly ProviderSlug[],
  topicOwn: Float64Array,
  lexDims: Scores,
): Ranked {
  // a topic scores mostly through its best dimension, plus some of its second and of its own names
  const first = new Float64Array(index.topics.length);
  const second = new Float64Array(index.topics.length);
  for (const n of lexDims.touched) {
    const t = index.dimensionTopic[n] as number;
    const score = lexDims.score[n] as number;
    if (score > (first[t] as number)) {
      second[t] = first[t] as number;
      first[t] = score;
    } else if (score > (second[t] as number)) second[t] = score;
  }
  // the best few topics, in one pass (every topic may hold a common word)
  const byOrder = (a: Scored<TopicDoc>, b: Scored<TopicDoc>) => b.score - a.score || a.doc.order - b.doc.order;
  const candidates: Scored<TopicDoc>[] = [];
  const k = WEIGHTS.candidateTopics;
  index.topics.forEach((doc, t) => {
    const score =
      WEIGHTS.topicOwn * (topicOwn[t] as number) + (first[t] as number) + WEIGHTS.secondDimension * (second[t] as number);
    if (score <= 0) return;
    const last = candidates[k - 1];
    if (last && score <= last.score) return;
    candidates.push({ doc, score });
    candidates.sort(byOrder);
    if (candidates.length > k) candidates.pop();
  });

  // the prose of the candidates: a dimension's best hit relative to the best overall, and a topic's share of hits
  const prose = proseScores(
    snap,
    index,
    candidates.map((c) => c.doc),
    question,
    providers,
  );
  const hits = [...prose].sort((a, b) => b[1] - a[1]).slice(0, PROSE_HITS);
  const bestHit = hits[0]?.[1] ?? 0;
  const dimShare = new Map<DimensionDoc, number>();
  const topicShare = new Map<string, number>();
  for (const [d, score] of hits) {
    dimShare.set(d, score / bestHit);
    topicShare.set(d.topic.slug, (topicShare.get(d.topic.slug) ?? 0) + score / bestHit);
  }
  const bestShare = Math.max(0, ...topicShare.values());

  const dimScore = (d: DimensionDoc) => (lexDims.score[d.order] as number) + WEIGHTS.proseDimension * (dimShare.get(d) ?? 0);
  const topics = candidates.map(({ doc }) => {
    const scores = (index.dimensionsByTopic.get(doc.topic.slug) ?? []).map(dimScore).sort((a, b) => b - a);
    const score =
      WEIGHTS.topicOwn * (topicOwn[doc.order] as number) +
      Math.max(0, scores[0] ?? 0) +
      WEIGHTS.secondDimension * Math.max(0, scores[1] ?? 0) +
      (bestShare > 0 ? WEIGHTS.proseTopic * ((topicShare.get(doc.topic.slug) ?? 0) / bestShare) : 0);
    return { doc, score };
  });
  const best = candidates[0]?.score ?? 0;
  topics.sort(byOrder);
  // a dimension of the best topics ranks by its own words, lifted by how well its topic's names match
  const dims = topics
    .slice(0, MAX_TOPICS)
    .flatMap(({ doc }) =>
      (index.dimensionsByTopic.get(doc.topic.slug) ?? []).map((d) => ({
        doc: d,
        score: dimScore(d) + WEIGHTS.dimensionTopicLift * (topicOwn[doc.order] as number),
      })),
    )
    .sort((a, b) => b.score - a.score || a.doc.order - b.doc.order);
  return { topics, dims, best };
}

/** What the answer is made of: the topics named (best first) and the rows shown (best first). */
export interface Selection {
  topics: TopicDoc[];
  rows: DimensionDoc[];
}

/**
 * The topics and rows of an answer: the best topic and runner-ups close to it; the best topic's best rows (at
 * least `topRows`, so a question about a whole topic gets its headline rows) and rows of the runner-up topics
 * that match about as well as its best one.
 */
export function select(ranked: Ranked): Selection {
  const best = ranked.topics[0] as Scored<TopicDoc>;
  const topics = ranked.topics
    .filter((t, i) => i === 0 || t.score >= WEIGHTS.runnerUpTopic * best.score)
    .slice(0, MAX_TOPICS)
    .map((t) => t.doc);
  const named = new Set(topics.map((t) => t.topic.slug));
  const topSlug = best.doc.topic.slug;
  const bestDim = ranked.dims.find((d) => d.doc.topic.slug === topSlug)?.score ?? 0;
  let inTop = 0;
  const rows = ranked.dims
    .filter((d) => {
      if (d.doc.topic.slug === topSlug) return inTop++ < WEIGHTS.topRows || d.score >= WEIGHTS.topRowShare * bestDim;
      return named.has(d.doc.topic.slug) && d.score >= WEIGHTS.otherTopicRowShare * bestDim;
    })
    .slice(0, MAX_MATCHES)
    .map((d) => d.doc);
  // the answer speaks from the best topic's best row: rows of the runner-ups follow the best topic's
  const top = (d: DimensionDoc) => (d.topic.slug === topSlug ? 0 : 1);
  rows.sort((a, b) => top(a) - top(b));
  return { topics, rows };
}
