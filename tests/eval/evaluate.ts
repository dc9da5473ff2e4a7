import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Ask } from '../../src/domain/ask.js';
import { PROVIDER_SLUGS, TOPIC_SLUGS } from '../../src/domain/seed.js';
import { ask } from '../../src/kb/ask/index.js';
import { WEIGHTS } from '../../src/kb/ask/weights.js';
import type { Kb } from '../../src/kb/snapshot.js';

export const QUESTIONS_PATH = resolve(import.meta.dirname, 'questions.yaml');

const TopicSlug = z.enum(TOPIC_SLUGS);
const EvalQuestionSchema = z
  .object({
    q: z.string().min(1),
    topic: TopicSlug,
    /** other topics that answer the question equally well */
    also: z.array(TopicSlug).default([]),
    /** omitted: the question names no provider, so ask should take all three */
    providers: z.array(z.enum(PROVIDER_SLUGS)).min(1).optional(),
    terms: z.array(z.coerce.string().min(1)).min(1),
  })
  .strict();
export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

export function readQuestions(path = QUESTIONS_PATH): EvalQuestion[] {
  return z.array(EvalQuestionSchema).parse(parse(readFileSync(path, 'utf8')));
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
  kind: 'topic' | 'providers' | 'terms';
  expected: string;
  got: string;
}

export interface EvalReport {
  questions: number;
  topicAccuracy: number;
  providerAccuracy: number;
  termRecall: number;
  terms: number;
  misses: Miss[];
}

/** The text a key term is looked for in: the answer and every fact value and details of the matched rows. */
export function answerText(a: Ask): string {
  const parts = [a.answer];
  for (const row of a.matches)
    for (const cell of Object.values(row.cells)) for (const f of cell ?? []) parts.push(f.value, f.details);
  return parts.join('\n').toLowerCase();
}

export function evaluate(kb: Kb, questions: readonly EvalQuestion[]): EvalReport {
  let topicHits = 0;
  let providerHits = 0;
  let termsFound = 0;
  let termsAll = 0;
  const misses: Miss[] = [];
  for (const item of questions) {
    const a = ask(kb, item.q);
    const top = a.topics[0]?.slug ?? '(none)';
    if (top === item.topic || item.also.includes(top as EvalQuestion['topic'])) topicHits++;
    else misses.push({ q: item.q, kind: 'topic', expected: item.topic, got: a.topics.map((t) => t.slug).join(', ') || '(none)' });

    const expected = [...(item.providers ?? PROVIDER_SLUGS)].sort();
    const got = [...a.providers].sort();
    if (expected.join() === got.join()) providerHits++;
    else misses.push({ q: item.q, kind: 'providers', expected: expected.join(','), got: got.join(',') });

    const text = answerText(a);
    const missing = item.terms.filter((t) => !text.includes(t.toLowerCase()));
    termsAll += item.terms.length;
    termsFound += item.terms.length - missing.length;
    if (missing.length > 0) {
      misses.push({
        q: item.q,
        kind: 'terms',
        expected: missing.join(', '),
        got: `rows: ${a.matches.map((m) => m.dimension.slug).join(', ') || '(none)'}`,
      });
    }
  }
  const n = questions.length;
  return {
    questions: n,
    topicAccuracy: n ? topicHits / n : 1,
    providerAccuracy: n ? providerHits / n : 1,
    termRecall: termsAll ? termsFound / termsAll : 1,
    terms: termsAll,
    misses,
  };
}
