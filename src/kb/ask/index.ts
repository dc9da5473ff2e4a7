import type { Fact } from '../../domain/api.js';
import type { Ask } from '../../domain/ask.js';
import type { ProviderSlug } from '../../domain/seed.js';
import { compareRow } from '../compare.js';
import { BadInputError } from '../errors.js';
import type { Kb, Snapshot } from '../snapshot.js';
import { words } from '../words.js';
import { composeAnswer, noMatchAnswer, suggestTopics } from './answer.js';
import { readQuestion } from './question.js';
import { MAX_TOPICS, rank, select } from './rank.js';
import { askIndex } from './vocabulary.js';
import { WEIGHTS } from './weights.js';

export { MAX_MATCHES } from './rank.js';

/** The asked providers first, then the others in canonical order. */
function providerOrder(snap: Snapshot, asked: ProviderSlug[]): ProviderSlug[] {
  return [...asked, ...snap.providers.map((p) => p.slug).filter((p) => !asked.includes(p))];
}

/**
 * Answers a free-text question from the facts, deterministically: resolves the providers it names (aliases:
 * EKS, Azure, Google …; none means all three), ranks topics and dimensions by the vocabulary of the seed
 * (aliases, titles, keywords, fact values; tolerant of plurals and typos) plus full-text search over the facts,
 * and assembles a short answer from the best rows, the asked providers first and the others for contrast.
 */
export function ask(kb: Kb, q: string): Ask {
  const snap = kb.snapshot();
  const question = q.trim();
  if (words(question).length === 0) throw new BadInputError('q', 'must contain a question (at least one letter or digit)');
  const index = askIndex(snap);
  const read = readQuestion(index, question);
  const asked = read.providers.length > 0 ? read.providers : snap.providers.map((p) => p.slug);
  const order = providerOrder(snap, asked);
  const base = { question, providers: asked, dataset: { version: snap.version } };

  const ranked = read.stems.length > 0 ? rank(snap, index, read, asked) : undefined;
  if (!ranked || ranked.best < WEIGHTS.minScore) {
    const suggestions = suggestTopics(index, question, MAX_TOPICS);
    return { ...base, topics: [], answer: noMatchAnswer(suggestions), matches: [], citations: [], suggestions };
  }

  const chosen = select(ranked);
  const topics = chosen.topics.map((t) => ({ slug: t.topic.slug, title: t.topic.title }));
  const { answer, facts } = composeAnswer(snap, chosen.rows, asked, order);
  // every provider's cell, the asked ones first; `differs` compares the asked ones (all when one is asked)
  const matches = chosen.rows.map((d) => compareRow(d.dim, order, asked.length >= 2 ? asked : order));
  const seen = new Set<string>();
  const citations: Ask['citations'] = [];
  const cite = (f: Fact) => {
    for (const s of f.sources) {
      if (seen.has(s.url)) continue;
      seen.add(s.url);
      citations.push(s);
    }
  };
  for (const f of facts) cite(f);
  for (const row of matches) for (const p of order) for (const f of row.cells[p] ?? []) cite(f);
  return { ...base, topics, answer, matches, citations, suggestions: [] };
}
