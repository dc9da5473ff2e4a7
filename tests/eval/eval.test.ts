import { describe, expect, it } from 'vitest';
import { TOPIC_SLUGS } from '../../src/domain/seed.js';
import { Kb } from '../../src/kb/kb.js';
import { REAL_SEED, seededDb } from '../helpers/app.js';
import { evaluate, readQuestions, seedTopics } from './evaluate.js';

const available = seedTopics(REAL_SEED);
const questions = readQuestions();

describe('ask quality on the real seed (tests/eval/questions.yaml)', () => {
  it('holds at least 60 questions, over every topic', () => {
    const all = readQuestions();
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((q) => q.topic)).size).toBe(TOPIC_SLUGS.length);
  });

  it('asks only about topics the seed holds', () => {
    expect(questions.map((q) => q.topic).filter((t) => !available.has(t))).toEqual([]);
  });

  it('resolves the topic of at least 95% of them and finds 95% of their key terms', () => {
    const report = evaluate(new Kb(seededDb(REAL_SEED)), questions);
    const misses = report.misses.map((m) => `[${m.kind}] ${m.q} (expected ${m.expected}; got ${m.got})`).join('\n');
    expect(report.topicAccuracy, misses).toBeGreaterThanOrEqual(0.95);
    expect(report.termRecall, misses).toBeGreaterThanOrEqual(0.95);
  });
});
