import type { ProviderSlug } from '../domain/seed.js';
import { STOPWORDS } from './search.js';
import type { DimensionRecord, Snapshot, TopicRecord } from './snapshot.js';

/**
 * The vocabulary ask resolves questions against: every topic's title, slug and aliases and every dimension's
 * title, slug, keywords, question and fact values, tokenized and stemmed the same way as the question.
 * It is built once per dataset version (see `askIndex`).
 */

/** Words of a question that say nothing about the topic (on top of search's STOPWORDS). */
const QUESTION_WORDS = new Set(
  'about across after again against all also am any anything around available based because been before being both but cannot cant case come currently dont doesnt each either else even ever every exactly example explain get gets getting go going good got handle handled handles happen happens help here im instead isnt its just know let like look looking make makes many mean means more most much must need needed needs new not now ok okay one only other out over own please possible really right say see set setting settings setup should show since some something still sure take tell thing things through too two under up us use used uses using via vs want wants way ways well were what whats whether while within without yes'.split(
    ' ',
  ),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || QUESTION_WORDS.has(word);
}

const ASCII = /^[\x00-\x7f]*$/;

/** Lower-cased words of a text; camelCase is split first so "LoadBalancer" reads as "load balancer". */
export function words(text: string): string[] {
  return (
    // NFKC leaves ASCII as it is, and most of the seed is ASCII: skipping it is a fifth of the index build
    (
      (ASCII.test(text) ? text : text.normalize('NFKC'))
        // a plural acronym is one word: "CIDRs", "IPs", "ENIs"
        // an acronym with a plural or verb ending is one word: "CIDRs", "IPs", "SNATed"
        .replace(/\b([A-Z]{2,})(s|es|ed|ing)\b/g, (_, acronym: string, ending: string) => acronym + ending.toUpperCase())
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .toLowerCase()
        .replace(/['’]s\b/g, '')
        .match(/[\p{L}\p{N}]+/gu) ?? []
    ).filter((w) => w.length <= 64)
  );
}

const STEP2 = [
  'ations',
  'ation',
  'ating',
  'ated',
  'ates',
  'ate',
  'ivity',
  'ities',
  'ity',
  'ing',
  'ers',
  'er',
  'ed',
  'ion',
  'ly',
  'e',
  'y',
];

/**
 * A light stemmer, applied alike to the vocabulary and to questions: plurals first ("policies" -> "policy"),
 * then at most two common suffixes ("balancing", "balancer" -> "balanc"; "allocation", "allocate" -> "alloc").
 * Stems are only compared with each other, never shown.
 */
export function stem(word: string): string {
  let cached = stems.get(word);
  if (cached === undefined) {
    cached = computeStem(word);
    // the vocabulary is a few thousand words, repeated across every fact: remember them (bounded)
    if (stems.size < MAX_STEM_CACHE) stems.set(word, cached);
  }
  return cached;
}

const MAX_STEM_CACHE = 200_000;
const stems = new Map<string, string>();

function computeStem(word: string): string {
  let w = word;
  // short plurals, mostly acronyms: "ips" -> "ip", "enis" -> "eni", "pods" -> "pod" ("dns" -> "dn" too, harmlessly)
  if (w.length <= 4) return w.length >= 3 && w.endsWith('s') && !/(ss|us)$/.test(w) ? w.slice(0, -1) : w;
  if (/\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(x|ch|sh|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (let pass = 0; pass < 2; pass++) {
    const suffix = STEP2.find((s) => w.endsWith(s) && w.length - s.length >= 4);
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
    // "overlapping" -> "overlap", "tagged" -> "tag" (but "install", "egress" keep their pairs)
    if ((suffix === 'ing' || suffix === 'ed' || suffix === 'er') && /([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
  }
  return w;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Uint16Array(b.length + 1);
  let prev = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length] as number;
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoBudget(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

/** A phrase of the vocabulary (an alias, keyword or title) as its content stems. */
export interface Phrase {
  stems: string[];
  weight: number;
}

/** Two stems next to each other in a phrase ("servic account", "pod rang"), keyed "a b", with the phrase's weight. */
export type Bigrams = Map<string, number>;

/** One dimension as a bag of weighted stems, plus the multi-word phrases that earn a bonus when all present. */
export interface DimensionDoc {
  dim: DimensionRecord;
  topic: TopicRecord;
  /** seed order across the dataset: the tie-breaker */
  order: number;
  /** stem -> the strongest field weight it occurs in (dimension fields only) */
  weights: Map<string, number>;
  phrases: Phrase[];
  bigrams: Bigrams;
}

export interface TopicDoc {
  topic: TopicRecord;
  weights: Map<string, number>;
  phrases: Phrase[];
  bigrams: Bigrams;
  /** surface words of title, slug and aliases, for suggesting topics when nothing matched */
  surface: string[];
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

export interface AskIndex {
  version: string;
  topics: TopicDoc[];
  dimensions: DimensionDoc[];
  /** inverse document frequency of a stem over dimensions (each including its topic's words) */
  idf: Map<string, number>;
  /** every stem of the vocabulary, with a surface word that produced it (for full-text search) */
  surface: Map<string, string>;
  /** every word of the vocabulary as written (lower-cased) -> its stem */
  wordStems: Map<string, string>;
  /** vocabulary words by length, for typo-tolerant lookup */
  byLength: Map<number, string[]>;
  /** a compound written as one word ("loadbalancer", "nodepool") -> its parts' stems */
  compounds: Map<string, string[]>;
  /**
   * stem -> the dimensions whose own words (weights, phrases, bigrams) hold it: ranking scores only the
   * dimensions sharing a word with the question (a dimension sharing none scores 0 on its own words)
   */
  postings: Map<string, DimensionDoc[]>;
  /** the dimensions of each topic, in seed order */
  dimensionsByTopic: Map<string, DimensionDoc[]>;
  /** resolved question words, so a word costs its typo search once per dataset version */
  resolved: Map<string, { stems: string[]; corrected: boolean }>;
  providerAliases: ProviderAlias[];
}

/** Field weights: how strongly a word in that field says "this is what the question is about". */
const WEIGHT = {
  topicName: 2,
  topicSummary: 0.5,
  dimTitle: 2,
  dimSlug: 1.5,
  keyword: 2,
  question: 1,
  value: 0.75,
  tag: 0.5,
} as const;

function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => !isStopword(w))
    .map(stem);
}

class Builder {
  readonly surface = new Map<string, string>();
  readonly wordStems = new Map<string, string>();
  readonly compounds = new Map<string, string[]>();

  add(weights: Map<string, number>, phrases: Phrase[] | undefined, text: string, weight: number, bigrams?: Bigrams): void {
    const ws = words(text).filter((w) => !isStopword(w));
    const stems = ws.map(stem);
    stems.forEach((s, i) => {
      if ((weights.get(s) ?? 0) < weight) weights.set(s, weight);
      if (!this.surface.has(s)) this.surface.set(s, ws[i] as string);
      this.wordStems.set(ws[i] as string, s);
      const next = stems[i + 1];
      if (bigrams && next !== undefined) {
        const key = `${s} ${next}`;
        if ((bigrams.get(key) ?? 0) < weight) bigrams.set(key, weight);
      }
    });
    if (!phrases) return;
    // names (titles, aliases, keywords: the texts that make phrases) are what a compound is written from, as
    // "loadbalancer" or "nodepool"; doing it for every fact value too was a third of a 100x seed's index build
    if (stems.length >= 2) phrases.push({ stems, weight });
    for (let i = 0; i + 1 < ws.length; i++) {
      const joined = stem(`${ws[i]}${ws[i + 1]}`);
      if (!this.compounds.has(joined)) this.compounds.set(joined, [stems[i] as string, stems[i + 1] as string]);
    }
  }
}

/**
 * The build, one topic per step: `warmAskIndex` runs it in slices between requests, so a large dataset's
 * index (seconds at 100x) never holds the event loop; `askIndex` runs what is left in one go.
 */
function* buildSteps(snap: Snapshot): Generator<void, AskIndex, void> {
  const b = new Builder();
  const topics: TopicDoc[] = [];
  const dimensions: DimensionDoc[] = [];
  let order = 0;
  for (const topic of snap.topics) {
    const weights = new Map<string, number>();
    const phrases: Phrase[] = [];
    const bigrams: Bigrams = new Map();
    b.add(weights, undefined, topic.summary, WEIGHT.topicSummary);
    for (const name of [topic.title, topic.slug.replaceAll('-', ' '), ...topic.aliases]) {
      b.add(weights, phrases, name, WEIGHT.topicName, bigrams);
    }
    topics.push({ topic, weights, phrases, bigrams, surface: words([topic.title, topic.slug, ...topic.aliases].join(' ')) });
    for (const dim of topic.dimensions) {
      const dw = new Map<string, number>();
      const dp: Phrase[] = [];
      const db: Bigrams = new Map();
      for (const fact of Object.values(dim.cells).flat()) {
        b.add(dw, undefined, fact.value, WEIGHT.value);
        if (fact.variant) b.add(dw, undefined, fact.variant, WEIGHT.value);
        for (const tag of fact.tags) b.add(dw, undefined, tag, WEIGHT.tag);
      }
      b.add(dw, undefined, dim.question, WEIGHT.question, db);
      b.add(dw, dp, dim.slug.replaceAll('-', ' '), WEIGHT.dimSlug, db);
      b.add(dw, dp, dim.title, WEIGHT.dimTitle, db);
      for (const k of dim.keywords) b.add(dw, dp, k, WEIGHT.keyword, db);
      dimensions.push({ dim, topic, order: order++, weights: dw, phrases: dp, bigrams: db });
    }
    yield;
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

  const postings = new Map<string, DimensionDoc[]>();
  const dimensionsByTopic = new Map<string, DimensionDoc[]>();
  for (const d of dimensions) {
    // every stem of a dimension's phrases and bigrams is in its weights too (Builder.add puts each there)
    for (const st of d.weights.keys()) {
      const list = postings.get(st) ?? [];
      list.push(d);
      postings.set(st, list);
    }
    const list = dimensionsByTopic.get(d.topic.slug) ?? [];
    list.push(d);
    dimensionsByTopic.set(d.topic.slug, list);
  }

  const byLength = new Map<number, string[]>();
  for (const w of b.wordStems.keys()) {
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }

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
    version: snap.version,
    topics,
    dimensions,
    idf,
    surface: b.surface,
    wordStems: b.wordStems,
    byLength,
    compounds: b.compounds,
    postings,
    dimensionsByTopic,
    resolved: new Map(),
    providerAliases,
  };
}

/** One build per snapshot, shared: the warm-up's slices and a question arriving meanwhile advance the same steps. */
interface Build {
  steps: Generator<void, AskIndex, void>;
  index?: AskIndex;
  warming?: Promise<AskIndex>;
}

const builds = new WeakMap<Snapshot, Build>();

function buildOf(snap: Snapshot): Build {
  let build = builds.get(snap);
  if (!build) {
    build = { steps: buildSteps(snap) };
    builds.set(snap, build);
  }
  return build;
}

function advance(build: Build): void {
  const step = build.steps.next();
  if (step.done) build.index = step.value;
}

/**
 * The index of the snapshot's dataset version, built in slices of about `sliceMs` of work with the event loop
 * free between them: the server starts it once it listens (a 100x seed's index takes seconds), and the ask
 * endpoints await it, so a question asked meanwhile waits for the index without holding other requests.
 */
export function warmAskIndex(snap: Snapshot, sliceMs = 10): Promise<AskIndex> {
  const build = buildOf(snap);
  if (build.index) return Promise.resolve(build.index);
  build.warming ??= (async () => {
    let started = performance.now();
    while (!build.index) {
      advance(build);
      if (!build.index && performance.now() - started > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        started = performance.now();
      }
    }
    return build.index;
  })();
  return build.warming;
}

/** The index of the snapshot's dataset version, at once: what a warm-up in progress has not built yet is built now. */
export function askIndex(snap: Snapshot): AskIndex {
  const build = buildOf(snap);
  while (!build.index) advance(build);
  return build.index;
}

/**
 * A question word as vocabulary stems: itself when known, else without a plural "s" ("ips", "lbs"), else a
 * compound split in two ("loadbalancer"), else the closest word within the typo budget ("kubenet" stays, but
 * "egres" -> "egress", "ingres" -> "ingress", "loadbalncer" -> "load balancer"). Unknown words stay as they are.
 */
export function resolveWord(index: AskIndex, word: string): { stems: string[]; corrected: boolean } {
  let r = index.resolved.get(word);
  if (!r) {
    r = resolveUncached(index, word);
    // bounded: questions are free text, and a flood of unique garbage must not grow memory without end
    if (index.resolved.size >= MAX_RESOLVED) index.resolved.clear();
    index.resolved.set(word, r);
  }
  return r;
}

const MAX_RESOLVED = 20_000;

function resolveUncached(index: AskIndex, word: string): { stems: string[]; corrected: boolean } {
  const s = stem(word);
  if (index.surface.has(s)) return { stems: [s], corrected: false };
  if (word.length >= 3 && word.endsWith('s') && index.surface.has(word.slice(0, -1))) {
    return { stems: [word.slice(0, -1)], corrected: false };
  }
  const compound = index.compounds.get(s);
  if (compound) return { stems: compound, corrected: false };
  const budget = typoBudget(word.length);
  if (budget > 0) {
    // typos are measured on words as written ("ingres" -> "ingress"), then mapped to the word's stem
    let best: string | undefined;
    let bestDistance = budget + 1;
    const rarity = (w: string) => index.idf.get(index.wordStems.get(w) ?? '') ?? Number.POSITIVE_INFINITY;
    for (let len = word.length - budget; len <= word.length + budget; len++) {
      for (const candidate of index.byLength.get(len) ?? []) {
        if (candidate.length < 4) continue;
        const d = editDistance(word, candidate, Math.min(budget, bestDistance));
        // on a tie, the more common word is the likelier intent
        if (d < bestDistance || (d === bestDistance && best !== undefined && rarity(candidate) < rarity(best))) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    const bestStem = best === undefined ? undefined : index.wordStems.get(best);
    if (bestStem !== undefined && bestDistance <= budget) return { stems: [bestStem], corrected: true };
    for (const [joined, parts] of index.compounds) {
      if (Math.abs(joined.length - s.length) <= budget && editDistance(s, joined, budget) <= budget) {
        return { stems: parts, corrected: true };
      }
    }
  }
  return { stems: [s], corrected: false };
}

export { contentStems };
