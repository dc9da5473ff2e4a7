import { describe, expect, it } from 'vitest';
import { TOPIC_SLUGS } from '../../src/domain/seed.js';
import { WEIGHTS } from '../../src/kb/ask/weights.js';
import { Kb } from '../../src/kb/kb.js';
import { REAL_SEED, seededDb } from '../helpers/app.js';
import { answerable, applyWeights, evaluate, readQuestions, seedTopics } from './evaluate.js';

// Only questions about topics that exist in seed/ count (and those the knowledge does not hold).
const available = seedTopics(REAL_SEED);
const questions = readQuestions().filter((q) => answerable(q, available));

describe('ask quality on the real seed (tests/eval/questions.yaml)', () => {
  it('holds at least 60 questions, over every topic', () => {
    const all = readQuestions();
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.flatMap((q) => q.topic ?? [])).size).toBe(TOPIC_SLUGS.length);
  });

  it('resolves the topic of at least 95% of them and finds 95% of their key terms', () => {
    const report = evaluate(new Kb(seededDb(REAL_SEED)), questions);
    const misses = report.misses.map((m) => `[${m.kind}] ${m.q} (expected ${m.expected}; got ${m.got})`).join('\n');
    expect(report.topicAccuracy, misses).toBeGreaterThanOrEqual(0.95);
    expect(report.termRecall, misses).toBeGreaterThanOrEqual(0.95);
  });

  it('answers with 90% of the key terms in `answer` alone, in responses of at most 8 KB (median) and 16 KB', () => {
    const report = evaluate(new Kb(seededDb(REAL_SEED)), questions);
    expect(report.answerRecall).toBeGreaterThanOrEqual(0.9);
    expect(report.sizes.median).toBeLessThanOrEqual(8 * 1024);
    expect(report.sizes.largest, report.sizes.largestQuestion).toBeLessThanOrEqual(16 * 1024);
  });
});

describe('npm run eval -- --weight name=value', () => {
  it('sets a ranking weight for the run, and refuses unknown names and values that are not numbers', () => {
    const before = WEIGHTS.proseTopic;
    try {
      expect(applyWeights(['proseTopic=2.5'])).toEqual(['proseTopic=2.5']);
      expect(WEIGHTS.proseTopic).toBe(2.5);
    } finally {
      WEIGHTS.proseTopic = before;
    }
    expect(() => applyWeights(['nope=1'])).toThrow(/unknown weight/);
    expect(() => applyWeights(['proseTopic=x'])).toThrow(/not a number/);
    expect(() => applyWeights(['proseTopic='])).toThrow(/not a number/);
  });
});
