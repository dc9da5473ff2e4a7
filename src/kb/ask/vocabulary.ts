import type { ProviderSlug } from '../../domain/seed.js';
import { memo } from '../memo.js';
import type { DimensionRecord, Snapshot, TopicRecord } from '../snapshot.js';
import { isStopword, stem, words } from '../words.js';
import type { Resolved } from './question.js';
import { WEIGHTS } from './weights.js';

/**
 * The vocabulary ask resolves questions against, as inverted indexes: every topic's title, slug and aliases
 * and every dimension's title, slug, keywords, question and fact values, tokenized and stemmed the same way as
 * the question. A question is scored by walking the postings of its own words, so its cost follows how many
 * rows hold those words, not how many rows there are. Built once per snapshot (see `askIndex`).
 */

/** A phrase of the vocabulary (an alias, keyword or title) as its content stems. */
export interface Phrase {
  stems: string[];
  weight: number;
}

/** What a question's words are scored against: weighted stems, phrases that earn a bonus when all present, bigrams. */
export interface Doc {
  /** stem -> the strongest field weight it occurs in */
  weights: Map<string, number>;
  phrases: Phrase[];
  /** two stems next to each other in a phrase ("servic account"), keyed "a b", with the phrase's weight */
  bigrams: Map<string, number>;
}

/** One dimension's own words. */
export interface DimensionDoc extends Doc {
  dim: DimensionRecord;
  topic: TopicRecord;
  /** seed order across the dataset: the tie-breaker, and the dimension's number in the postings */
  order: number;
}

/** One topic's own words (its names and summary). */
export interface TopicDoc extends Doc {
  topic: TopicRecord;
  /** the topic's number in the postings (its seed order) */
  order: number;
  /** surface words of title, slug and aliases with their character trigrams, for suggestions when nothing matched */
  surface: Set<string>[];
}

export interface ProviderAlias {
  provider: ProviderSlug;
  words: string[];
  /**
   * Words that only name the provider (its slug, short name and the words of its names): taken out of the
   * question before topics are ranked. Other aliases (ec2, vpc cni, autopilot) also describe a topic and stay.
   */
  claims: string[];
}

/** Postings of a set of docs: who holds each stem, bigram and phrase, with the weight it holds it at. */
export interface Postings {
  /** stem -> [doc number, weight, doc number, weight, …] */
  stems: Map<string, number[]>;
  /** "a b" -> [doc number, weight, …] */
  bigrams: Map<string, number[]>;
  /** a phrase's first stem -> the distinct phrases starting with it, each with [doc number, weight, …] */
  phrases: Map<string, { stems: string[]; docs: number[] }[]>;
}

export interface AskIndex {
  topics: TopicDoc[];
  /** every dimension, in seed order (`order` is its position) */
  dimensions: DimensionDoc[];
  topicPostings: Postings;
  dimensionPostings: Postings;
  /** dimension number -> its topic's number */
  dimensionTopic: Int32Array;
  /** score buffers a question ranks in, one slot per topic and per dimension (zero between questions) */
  scratch: { topics: Float64Array; dimensions: Float64Array };
  /** inverse document frequency of a stem over dimensions (each including its topic's words) */
  idf: Map<string, number>;
  /** the idf of a stem no dimension holds (as rare as a word can be) */
  rareIdf: number;
  /** every stem of the vocabulary, with a surface word that produced it */
  surface: Map<string, string>;
  /** every word of the vocabulary as written (lower-cased) -> its stem */
  wordStems: Map<string, string>;
  /** vocabulary words by length, for typo-tolerant lookup */
  byLength: Map<number, string[]>;
  /** a compound written as one word ("loadbalancer", "nodepool") -> its parts' stems */
  compounds: Map<string, string[]>;
  /** the dimensions of each topic, in seed order */
  dimensionsByTopic: Map<string, DimensionDoc[]>;
  /** resolved question words, so a word costs its typo search once per snapshot */
  resolved: Map<string, Resolved>;
  providerAliases: ProviderAlias[];
}

/** Character trigrams of a word, for suggesting topics a garbled question may have meant. */
export function trigrams(word: string): Set<string> {
  const w = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= w.length; i++) out.add(w.slice(i, i + 3));
  return out;
}

class Builder {
  readonly surface = new Map<string, string>();
  readonly wordStems = new Map<string, string>();
  readonly compounds = new Map<string, string[]>();
  /** the vocabulary is a few thousand words repeated across every fact: each is stemmed once per build */
  private readonly stems = new Map<string, string>();
  /** tags and many short values repeat across facts: each distinct text is read once per build */
  private readonly texts = new Map<string, { ws: string[]; stems: string[] }>();

  /** The stem of a word of the vocabulary; the first time a word is seen it joins `wordStems` and `surface`. */
  stem(word: string): string {
    let s = this.stems.get(word);
    if (s === undefined) {
      s = stem(word);
      this.stems.set(word, s);
      this.wordStems.set(word, s);
      if (!this.surface.has(s)) this.surface.set(s, word);
    }
    return s;
  }

  private read(text: string): { ws: string[]; stems: string[] } {
    let r = this.texts.get(text);
    if (!r) {
      const ws = words(text).filter((w) => !isStopword(w));
      r = { ws, stems: ws.map((w) => this.stem(w)) };
      if (text.length <= 200) this.texts.set(text, r);
    }
    return r;
  }

  doc(): Doc {
    return { weights: new Map(), phrases: [], bigrams: new Map() };
  }

  /** Adds a text's stems at a weight; `phrase` texts (names) also give phrases, bigrams and compounds. */
  add(doc: Doc, text: string, weight: number, kind: 'word' | 'bigram' | 'phrase'): void {
    const { ws, stems } = this.read(text);
    const { weights, bigrams } = doc;
    stems.forEach((s, i) => {
      if ((weights.get(s) ?? 0) < weight) weights.set(s, weight);
      const next = stems[i + 1];
      if (kind !== 'word' && next !== undefined) {
        const key = `${s} ${next}`;
        if ((bigrams.get(key) ?? 0) < weight) bigrams.set(key, weight);
      }
    });
    if (kind !== 'phrase') return;
    // names (titles, aliases, keywords: the texts that make phrases) are what a compound is written from, as
    // "loadbalancer" or "nodepool"; fact values are not (they would cost a third of a large index's build)
    if (stems.length >= 2) doc.phrases.push({ stems, weight });
    for (let i = 0; i + 1 < ws.length; i++) {
      const joined = stem(`${ws[i]}${ws[i + 1]}`);
      if (!this.compounds.has(joined)) this.compounds.set(joined, [stems[i] as string, stems[i + 1] as string]);
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

function postingsOf(docs: readonly Doc[]): Postings {
  const p: Postings = { stems: new Map(), bigrams: new Map(), phrases: new Map() };
  // a phrase is checked against a question once, however many docs hold it
  const distinct = new Map<string, { stems: string[]; docs: number[] }>();
  docs.forEach((d, n) => {
    for (const [s, w] of d.weights) push(p.stems, s, n, w);
    for (const [b, w] of d.bigrams) push(p.bigrams, b, n, w);
    for (const phrase of d.phrases) {
      const key = phrase.stems.join(' ');
      let entry = distinct.get(key);
      if (!entry) {
        entry = { stems: phrase.stems, docs: [] };
        distinct.set(key, entry);
        push(p.phrases, phrase.stems[0] as string, entry);
      }
      entry.docs.push(n, phrase.weight);
    }
  });
  return p;
}

function build(snap: Snapshot): AskIndex {
  const b = new Builder();
  const topics: TopicDoc[] = [];
  const dimensions: DimensionDoc[] = [];
  for (const topic of snap.topics) {
    const own = b.doc();
    b.add(own, topic.summary, WEIGHTS.topicSummary, 'word');
    for (const name of [topic.title, topic.slug.replaceAll('-', ' '), ...topic.aliases]) {
      b.add(own, name, WEIGHTS.topicName, 'phrase');
    }
    const surface = [...new Set(words([topic.title, topic.slug, ...topic.aliases].join(' ')))].map(trigrams);
    topics.push({ ...own, topic, order: topics.length, surface });
    for (const dim of topic.dimensions) {
      const doc = b.doc();
      for (const cell of Object.values(dim.cells)) {
        for (const fact of cell) {
          b.add(doc, fact.value, WEIGHTS.value, 'word');
          if (fact.variant) b.add(doc, fact.variant, WEIGHTS.value, 'word');
          for (const tag of fact.tags) b.add(doc, tag, WEIGHTS.tag, 'word');
        }
      }
      b.add(doc, dim.question, WEIGHTS.question, 'bigram');
      b.add(doc, dim.slug.replaceAll('-', ' '), WEIGHTS.dimSlug, 'phrase');
      b.add(doc, dim.title, WEIGHTS.dimTitle, 'phrase');
      for (const k of dim.keywords) b.add(doc, k, WEIGHTS.keyword, 'phrase');
      dimensions.push({ ...doc, dim, topic, order: dimensions.length });
    }
  }

  const df = new Map<string, number>();
  const topicBySlug = new Map(topics.map((t) => [t.topic.slug, t]));
  for (const d of dimensions) {
    for (const s of d.weights.keys()) df.set(s, (df.get(s) ?? 0) + 1);
    for (const s of topicBySlug.get(d.topic.slug)?.weights.keys() ?? []) {
      if (!d.weights.has(s)) df.set(s, (df.get(s) ?? 0) + 1);
    }
  }
  const n = Math.max(dimensions.length, 1);
  const idf = new Map<string, number>();
  for (const [s, count] of df) idf.set(s, Math.log(1 + n / count));

  const dimensionsByTopic = new Map<string, DimensionDoc[]>();
  for (const d of dimensions) push(dimensionsByTopic, d.topic.slug, d);

  const byLength = new Map<number, string[]>();
  for (const w of b.wordStems.keys()) push(byLength, w.length, w);

  const providerAliases: ProviderAlias[] = [];
  for (const p of snap.providers) {
    const own = new Set(words([p.slug, p.name, p.kubernetes_service, p.kubernetes_service_short].join(' ')));
    for (const name of new Set([p.slug, p.name, p.kubernetes_service, p.kubernetes_service_short, ...p.aliases])) {
      const w = words(name);
      if (w.length > 0) providerAliases.push({ provider: p.slug, words: w, claims: w.filter((x) => own.has(x)) });
    }
  }
  // longest aliases first, so "google cloud platform" claims its words before "google" does
  providerAliases.sort((a, c) => c.words.length - a.words.length);

  return {
    topics,
    dimensions,
    topicPostings: postingsOf(topics),
    dimensionPostings: postingsOf(dimensions),
    dimensionTopic: Int32Array.from(dimensions, (d) => topicBySlug.get(d.topic.slug)?.order ?? 0),
    scratch: { topics: new Float64Array(topics.length), dimensions: new Float64Array(dimensions.length) },
    idf,
    rareIdf: Math.log(1 + n),
    surface: b.surface,
    wordStems: b.wordStems,
    byLength,
    compounds: b.compounds,
    dimensionsByTopic,
    resolved: new Map(),
    providerAliases,
  };
}

/** The index of a snapshot, built on its first question and dropped with the snapshot. */
export function askIndex(snap: Snapshot): AskIndex {
  return memo(snap, 'ask:index', () => build(snap));
}
