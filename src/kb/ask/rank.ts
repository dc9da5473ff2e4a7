import type { Kb, Snapshot } from '../snapshot.js';
import { ftsScores } from './fts.js';
import type { Question } from './question.js';
import type { AskIndex, DimensionDoc, Doc, TopicDoc } from './vocabulary.js';
import { WEIGHTS } from './weights.js';

export const MAX_MATCHES = 5;
export const MAX_TOPICS = 3;

/** How well a question's words match a topic's or a dimension's own words. */
function lexicalScore(doc: Doc, q: Question, idf: Map<string, number>): number {
  let score = 0;
  // two words side by side as in a phrase ("service account", "pod range") say more than the words apart
  for (const pair of q.bigrams) {
    const w = doc.bigrams.get(pair);
    if (w === undefined) continue;
    const [a, b] = pair.split(' ') as [string, string];
    score += WEIGHTS.bigramBonus * w * ((idf.get(a) ?? 0) + (idf.get(b) ?? 0));
  }
  for (const s of q.stemSet) {
    const w = doc.weights.get(s);
    if (w !== undefined) score += w * (idf.get(s) ?? 0);
  }
  let bonus = 0;
  for (const p of doc.phrases) {
    if (p.stems.every((s) => q.phraseSet.has(s))) {
      bonus = Math.max(bonus, WEIGHTS.phraseBonus * p.weight * p.stems.reduce((sum, s) => sum + (idf.get(s) ?? 0), 0));
    }
  }
  return score + bonus;
}

export interface Scored<T> {
  doc: T;
  score: number;
}

export interface Ranked {
  /** every topic, best first */
  topics: Scored<TopicDoc>[];
  /** the dimensions of the best topics (at most MAX_TOPICS), best first */
  dims: Scored<DimensionDoc>[];
  best: number;
}

/** Topics by how well the question matches them, and the dimensions of the best ones. */
export function rank(kb: Kb, snap: Snapshot, index: AskIndex, question: Question): Ranked {
  const fts = ftsScores(kb, snap, question.ftsWords, question.ftsPhrases);
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
  const dims = [...candidates].map((doc) => ({
    doc,
    score: lexicalScore(doc, question, index.idf) + WEIGHTS.ftsDimension * (fts.dims.get(doc.dim.key) ?? 0),
  }));
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
      WEIGHTS.topicOwn * (topicOwn.get(doc.topic.slug) ?? 0) +
      Math.max(0, scores[0] ?? 0) +
      WEIGHTS.secondDimension * Math.max(0, scores[1] ?? 0) +
      WEIGHTS.ftsTopic * (fts.topics.get(doc.topic.slug) ?? 0);
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
      if (!candidates.has(doc)) inBest.push({ doc, score: 0 });
    }
  }
  // a dimension ranks by its own words, lifted by how well its topic matches as a whole
  const ranked = inBest
    .map((d) => ({ doc: d.doc, score: d.score + WEIGHTS.dimensionTopicLift * (topicOwn.get(d.doc.topic.slug) ?? 0) }))
    .sort((a, b) => b.score - a.score || a.doc.order - b.doc.order);
  return { topics, dims: ranked, best };
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
  const top = ranked.topics[0] as Scored<TopicDoc>;
  const topics = ranked.topics
    .filter((t, i) => i === 0 || t.score >= WEIGHTS.runnerUpTopic * top.score)
    .slice(0, MAX_TOPICS)
    .map((t) => t.doc);
  const named = new Set(topics.map((t) => t.topic.slug));
  const topSlug = top.doc.topic.slug;
  const bestDim = ranked.dims.find((d) => d.doc.topic.slug === topSlug)?.score ?? 0;
  let inTop = 0;
  const rows = ranked.dims
    .filter((d) => {
      if (d.doc.topic.slug === topSlug) return inTop++ < WEIGHTS.topRows || d.score >= WEIGHTS.topRowShare * bestDim;
      return named.has(d.doc.topic.slug) && d.score >= WEIGHTS.otherTopicRowShare * bestDim;
    })
    .slice(0, MAX_MATCHES)
    .map((d) => d.doc);
  return { topics, rows };
}
