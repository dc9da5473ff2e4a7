// `npm run eval [-- path/to/seed] [-- --weight name=value ...]`: how well /v1/ask answers practitioners'
// questions (tests/eval/questions.yaml) on the real seed. `--weight` overrides one of ask's ranking weights
// (src/kb/ask/weights.ts) for this run, so a tuning change is measured before it is made.
// Questions whose topic has no seed file yet are skipped (and counted), so the numbers stay meaningful as topics land.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kb } from '../../src/kb/kb.js';
import { seededDb } from '../helpers/app.js';
import { answerable, applyWeights, evaluate, readQuestions, seedTopics } from './evaluate.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { weight: { type: 'string', multiple: true, default: [] } },
});
let overridden: string[] = [];
try {
  overridden = applyWeights(args.weight);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const seedDir = resolve(positionals[0] ?? resolve(import.meta.dirname, '../../seed'));
const available = seedTopics(seedDir);
const all = readQuestions();
const questions = all.filter((q) => answerable(q, available));
const kb = new Kb(seededDb(seedDir));
const report = evaluate(kb, questions);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const perTopic = new Map<string, number>();
for (const q of questions) perTopic.set(q.topic ?? '(none)', (perTopic.get(q.topic ?? '(none)') ?? 0) + 1);
console.log(`seed: ${seedDir} (${available.size} topics)`);
if (overridden.length > 0) console.log(`weights: ${overridden.join(', ')}`);
console.log(`questions: ${report.questions} of ${all.length} (skipped ${all.length - report.questions}: topic not in the seed)`);
console.log(`per topic: ${[...perTopic].map(([t, n]) => `${t} ${n}`).join(', ')}`);
console.log(`topic accuracy (top-1):     ${pct(report.topicAccuracy)}`);
console.log(`provider detection:         ${pct(report.providerAccuracy)}`);
console.log(`key-term recall:            ${pct(report.termRecall)} of ${report.terms} terms (answer and matched values)`);
console.log(`key-term recall, answer:    ${pct(report.answerRecall)}`);
const kb1 = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `response size:              median ${kb1(report.sizes.median)}, largest ${kb1(report.sizes.largest)} (${report.sizes.largestQuestion})`,
);
if (report.misses.length > 0) {
  console.log(`\nmisses (${report.misses.length}):`);
  for (const m of report.misses) console.log(`- [${m.kind}] ${m.q}\n    expected: ${m.expected}\n    got:      ${m.got}`);
}
