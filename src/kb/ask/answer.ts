import type { Fact } from '../../domain/api.js';
import type { AskTopic } from '../../domain/ask.js';
import type { ProviderSlug } from '../../domain/seed.js';
import { defaultFact } from '../compare.js';
import { memo } from '../memo.js';
import type { Snapshot } from '../snapshot.js';
import { isStopword, stem, words } from '../words.js';
import type { Question } from './question.js';
import { type AskIndex, type DimensionDoc, trigrams } from './vocabulary.js';

/**
 * The prose of an answer, apart from the ranking: what the chosen rows say for the providers asked about, and
 * what to say when nothing matched. Values, details, divergences and migration notes are quoted as written.
 */

/** Longer answers are cut at a sentence: an answer is read by people and by models with a budget. */
const MAX_ANSWER = 1600;
/** Sentences of a fact's details quoted beside its value: more when the question is about one provider. */
const DETAIL_SENTENCES = { one: 2, several: 1 } as const;

const trimStop = (s: string) => s.trim().replace(/[.;:,\s]+$/, '');
/** "EKS and GKE", "EKS, AKS and GKE". */
const list = (names: string[]) =>
  names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/** A fact as the ranking sees its details: sentences with their content stems. */
interface Sentence {
  text: string;
  stems: Set<string>;
}

/** Splits after a full stop followed by a capital or a digit ("v2.5", "e.g. the" stay whole). */
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9"(])/;

function sentencesOf(fact: Fact): Sentence[] {
  return memo(fact, 'ask:sentences', () =>
    fact.details
      .split(SENTENCE_END)
      .map((text) => text.trim())
      .filter((text) => text.length > 0)
      .map((text) => ({
        text,
        stems: new Set(
          words(text)
            .filter((w) => !isStopword(w))
            .map(stem),
        ),
      })),
  );
}

/** The fact's status when it records one (the field is newer than some datasets). */
function statusOf(fact: Fact): string | undefined {
  const status = (fact as Fact & { status?: unknown }).status;
  return typeof status === 'string' ? status : undefined;
}

/** How much of the question a set of stems holds, by rarity. */
function overlap(stems: Set<string>, q: Question, index: AskIndex): number {
  let score = 0;
  for (const s of q.stemSet) if (stems.has(s)) score += index.idf.get(s) ?? index.rareIdf;
  return score;
}

/** The cell's fact the question is about: a variant it names ("overlay", "Auto Mode"), else the default. */
function pickFact(cell: readonly Fact[], q: Question, index: AskIndex): Fact | undefined {
  let best = defaultFact(cell);
  let bestScore = 0;
  for (const f of cell) {
    if (!f.variant) continue;
    const variant = f.variant;
    const score = overlap(
      memo(f, 'ask:variant', () => new Set(words(variant).map(stem))),
      q,
      index,
    );
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/** The sentences of a fact's details that hold most of the question (in their order), at most `n`. */
function keyDetails(fact: Fact, q: Question, index: AskIndex, n: number): string[] {
  const scored = sentencesOf(fact)
    .map((s, i) => ({ s, i, score: overlap(s.stems, q, index) }))
    .filter((x) => x.score > 0);
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored
    .slice(0, n)
    .sort((a, b) => a.i - b.i)
    .map((x) => trimStop(x.s.text));
}

export interface AnswerInput {
  snap: Snapshot;
  index: AskIndex;
  question: Question;
  /** the rows chosen, best first */
  rows: DimensionDoc[];
  /** the providers the question names, in the order named (empty: none) */
  named: ProviderSlug[];
  /** every provider, the named ones first */
  order: ProviderSlug[];
}

/**
 * A focused answer from the best row: for each provider the question names (all when it names none) the value
 * with its variant, status and the sentences of its details that hold the question's words; a contrast when
 * several providers are in focus (the divergence summary, or that they agree) and the migration note when the
 * question moves a workload; the other providers in one line; the second row's values when there is room.
 * Returns the text and the facts it quotes.
 */
export function composeAnswer({ snap, index, question, rows, named, order }: AnswerInput): { answer: string; facts: Fact[] } {
  const facts: Fact[] = [];
  const name = (p: ProviderSlug) => snap.providerBySlug.get(p)?.kubernetes_service_short ?? p;
  const [first, second] = rows as [DimensionDoc, DimensionDoc | undefined];
  const dim = first.dim;
  const focus = named.length > 0 ? named : order;
  const others = order.filter((p) => !focus.includes(p));
  const quote = (f: Fact) => {
    if (!facts.includes(f)) facts.push(f);
  };

  const parts: string[] = [];
  /** the fact quoted for each provider in focus: the contrast compares these, variants included */
  const picked: Fact[] = [];
  focus.forEach((p, i) => {
    const cell = dim.cells[p];
    const fact = pickFact(cell, question, index);
    if (fact) picked.push(fact);
    if (!fact) {
      parts.push(`${i === 0 ? `${trimStop(dim.title)}: ` : ''}${name(p)}: no fact recorded.`);
      return;
    }
    quote(fact);
    const variant = cell.length > 1 && fact.variant ? ` (${fact.variant})` : '';
    const status = statusOf(fact);
    const flag = status && status !== 'ga' ? ` [${status}]` : '';
    const details = keyDetails(fact, question, index, focus.length === 1 ? DETAIL_SENTENCES.one : DETAIL_SENTENCES.several);
    const head = i === 0 ? `${trimStop(dim.title)}: on ${name(p)}` : `On ${name(p)}`;
    parts.push([`${head}${variant}${flag}, ${trimStop(fact.value)}.`, ...details.map((d) => `${d}.`)].join(' '));
    if (focus.length === 1) {
      const rest = cell.filter((f) => f !== fact && f.variant);
      for (const f of rest) quote(f);
      if (rest.length > 0) parts.push(`Other variants: ${rest.map((f) => `${f.variant}: ${trimStop(f.value)}`).join('; ')}.`);
    }
  });

  if (focus.length >= 2) {
    const summary = trimStop(dim.divergence.summary);
    // the same only when every quoted fact has a comparable key and the keys agree (a quoted variant may differ
    // from its cell's default, which is what a row's `differs` compares); otherwise the divergence says how
    const keys = picked.map((f) => f.key);
    const comparable = dim.compare_by !== undefined && dim.compare_by !== 'none' && picked.length === focus.length;
    const same = comparable && keys.every((k) => k !== undefined && k === keys[0]);
    if (!same && summary) parts.push(`${summary}.`);
    else if (same) parts.push(`${list(focus.map(name))} state the same value here.`);
  }
  if (question.migrates && named.length >= 2) {
    const [from, to] = named as [ProviderSlug, ProviderSlug];
    const note = dim.divergence.migration.find((m) => m.from === from && m.to === to)?.note;
    if (note) parts.push(`Moving from ${name(from)} to ${name(to)}: ${trimStop(note)}.`);
  }
  const line = (d: DimensionDoc, providers: ProviderSlug[]) =>
    providers
      .map((p) => {
        const f = defaultFact(d.dim.cells[p]);
        if (f) quote(f);
        return f ? `${name(p)}: ${trimStop(f.value)}` : undefined;
      })
      .filter(Boolean)
      .join('; ');
  if (others.length > 0) parts.push(`Elsewhere, ${line(first, others)}.`);
  if (second) parts.push(`Also ${trimStop(second.dim.title).toLowerCase()}: ${line(second, focus)}.`);

  return { answer: fitParts(parts, MAX_ANSWER), facts };
}

/** The parts that fit in `max` characters, in order (the first one cut when it alone is longer). */
function fitParts(parts: string[], max: number): string {
  let out = '';
  for (const p of parts) {
    const next = out ? `${out} ${p}` : p;
    if (next.length <= max) out = next;
    else if (!out) return `${p.slice(0, max - 1).trimEnd()}…`;
  }
  return out;
}

/** How alike two words are by their character trigrams (Dice's coefficient). */
function similarity(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return (2 * common) / (a.size + b.size);
}

/** The topics whose names are closest to a question's words, for a question that matched nothing. */
export function suggestTopics(index: AskIndex, q: string, max: number): AskTopic[] {
  const qs = words(q)
    .filter((w) => w.length >= 3 && !isStopword(w))
    .map(trigrams);
  const scored = index.topics.map((t, i) => {
    let score = 0;
    for (const w of qs) score += Math.max(0, ...t.surface.map((s) => similarity(w, s)));
    return { t, i, score };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, max).map(({ t }) => ({ slug: t.topic.slug, title: t.topic.title }));
}

/** The answer to a question that matched nothing. */
export function noMatchAnswer(suggestions: AskTopic[]): string {
  const names = suggestions.map((s) => s.title).join(', ');
  return `No facts match this question. Try naming a topic${names ? `, for example: ${names}` : ''}.`;
}
