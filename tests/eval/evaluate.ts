import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { AskCompact } from '../../src/domain/ask.js';
import { PROVIDER_SLUGS, TOPIC_SLUGS } from '../../src/domain/seed.js';
import { ask } from '../../src/kb/ask/index.js';
import { WEIGHTS } from '../../src/kb/ask/weights.js';
import type { Kb } from '../../src/kb/kb.js';

export const QUESTIONS_PATH = resolve(import.meta.dirname, 'questions.yaml');

const TopicSlug = z.enum(TOPIC_SLUGS);
const EvalQuestionSchema = z
  .object({
    q: z.string().min(1),
    /** the topic a correct answer is about; omitted for a question the knowledge does not hold */
    topic: TopicSlug.optional(),
    /** other topics that answer the question equally well */
    also: z.array(TopicSlug).default([]),
    /** omitted: the question names no provider, so ask should take all three */
    providers: z.array(z.enum(PROVIDER_SLUGS)).min(1).optional(),
    terms: z.array(z.coerce.string().min(1)).default([]),
  })
  .strict()
  .refine((q) => (q.topic === undefined) === (q.terms.length === 0), {
    message: 'a question has a topic and key terms, or neither (the knowledge does not hold it)',
  });
export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

export function readQuestions(path = QUESTIONS_PATH): EvalQuestion[] {
  return z.array(EvalQuestionSchema).parse(parse(readFileSync(path, 'utf8')));
}

/** A question counts on a seed that holds its topic; one the knowledge does not hold counts on every seed. */
export function answerable(q: EvalQuestion, topics: Set<string>): boolean {
  return q.topic === undefined || topics.has(q.topic);
}

/** The topics a seed directory holds (one file per topic), so the eval only counts questions it can answer. */
export function seedTopics(seedDir: string): Set<string> {
  return new Set(
    readdirSync(seedDir)
      .filter((f) => f.endsWith('.yaml') && f !== 'providers.yaml')
      .map((f) => f.slice(0, -'.yaml'.length)),
  );
}

/**
 * Sets ranking weights from `name=value` pairs (before any question is asked: the field weights are read when
 * a snapshot's index is built). Returns them as applied; an unknown name or a value that is not a number throws.
 */
export function applyWeights(pairs: readonly string[]): string[] {
  return pairs.map((pair) => {
    const [name = '', text = ''] = pair.split('=');
    if (!Object.hasOwn(WEIGHTS, name))
      throw new Error(`--weight ${pair}: unknown weight; known: ${Object.keys(WEIGHTS).join(', ')}`);
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--weight ${pair}: not a number`);
    WEIGHTS[name as keyof typeof WEIGHTS] = value;
    return `${name}=${value}`;
  });
}

export interface Miss {
  q: string;
  kind: 'topic' | 'providers' | 'terms' | 'answer';
  expected: string;
  got: string;
}

export interface EvalReport {
  questions: number;
  topicAccuracy: number;
  providerAccuracy: number;
  /** key terms found anywhere in the response: the answer and the values of the matched rows */
  termRecall: number;
  /** key terms found in `answer` alone */
  answerRecall: number;
  terms: number;
  /** bytes of the JSON response (as `GET /v1/ask` sends it) */
  sizes: { median: number; largest: number; largestQuestion: string };
  misses: Miss[];
}

/** The text of the response a key term is looked for in: the answer and every value of the matched rows. */
export function responseText(a: AskCompact): string {
  const parts = [a.answer];
  for (const row of a.matches)
    for (const cell of Object.values(row.cells)) for (const f of cell ?? []) parts.push(f.variant ?? '', f.value);
  return parts.join('\n').toLowerCase();
}

export function evaluate(kb: Kb, questions: readonly EvalQuestion[]): EvalReport {
  let topicHits = 0;
  let providerHits = 0;
  let termsFound = 0;
  let termsAll = 0;
  let inAnswer = 0;
  const sizes: { q: string; bytes: number }[] = [];
  const misses: Miss[] = [];
  for (const item of questions) {
    const a = ask(kb, item.q, 'compact');
    sizes.push({ q: item.q, bytes: Buffer.byteLength(JSON.stringify(a)) });
    const top = a.topics[0]?.slug ?? '(none)';
    // a question the knowledge does not hold is answered right by no rows and suggestions instead
    const hit =
      item.topic === undefined
        ? a.matches.length === 0 && a.suggestions.length > 0
        : top === item.topic || item.also.includes(top as NonNullable<EvalQuestion['topic']>);
    if (hit) topicHits++;
    else {
      const got = a.topics.map((t) => t.slug).join(', ') || '(none)';
      misses.push({ q: item.q, kind: 'topic', expected: item.topic ?? '(none: suggestions)', got });
    }

    const expected = [...(item.providers ?? PROVIDER_SLUGS)].sort();
    const got = [...a.providers].sort();
    if (expected.join() === got.join()) providerHits++;
    else misses.push({ q: item.q, kind: 'providers', expected: expected.join(','), got: got.join(',') });

    const text = responseText(a);
    const answer = a.answer.toLowerCase();
    const missing = item.terms.filter((t) => !text.includes(t.toLowerCase()));
    const notInAnswer = item.terms.filter((t) => !answer.includes(t.toLowerCase()));
    termsAll += item.terms.length;
    termsFound += item.terms.length - missing.length;
    inAnswer += item.terms.length - notInAnswer.length;
    if (missing.length > 0) {
      misses.push({
        q: item.q,
        kind: 'terms',
        expected: missing.join(', '),
        got: `rows: ${a.matches.map((m) => m.dimension.slug).join(', ') || '(none)'}`,
      });
    } else if (notInAnswer.length > 0) {
      misses.push({ q: item.q, kind: 'answer', expected: notInAnswer.join(', '), got: a.answer });
    }
  }
  const n = questions.length;
  sizes.sort((x, y) => x.bytes - y.bytes);
  const largest = sizes[sizes.length - 1];
  return {
    questions: n,
    topicAccuracy: n ? topicHits / n : 1,
    providerAccuracy: n ? providerHits / n : 1,
    termRecall: termsAll ? termsFound / termsAll : 1,
    answerRecall: termsAll ? inAnswer / termsAll : 1,
    terms: termsAll,
    sizes: {
      median: sizes.length ? (sizes[Math.floor((sizes.length - 1) / 2)]?.bytes ?? 0) : 0,
      largest: largest?.bytes ?? 0,
      largestQuestion: largest?.q ?? '',
    },
    misses,
  };
}
