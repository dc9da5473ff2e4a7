import type { Fact } from '../../domain/api.js';
import type { Ask, AskCompact, AskDetail, AskFact, AskMatch } from '../../domain/ask.js';
import type { ProviderSlug } from '../../domain/seed.js';
import { compareRow, differs } from '../compare.js';
import { BadInputError } from '../errors.js';
import type { Kb } from '../kb.js';
import type { DimensionRecord, Snapshot } from '../snapshot.js';
import { words } from '../words.js';
import { composeAnswer, noMatchAnswer, suggestTopics } from './answer.js';
import { readQuestion } from './question.js';
import { MAX_TOPICS, rank, select } from './rank.js';
import { askIndex } from './vocabulary.js';
import { WEIGHTS } from './weights.js';

/** The asked providers first, then the others in canonical order. */
function providerOrder(snap: Snapshot, asked: ProviderSlug[]): ProviderSlug[] {
  return [...asked, ...snap.providers.map((p) => p.slug).filter((p) => !asked.includes(p))];
}

function compactFact(f: Fact): AskFact {
  const status = (f as Fact & { status?: unknown }).status;
  return {
    id: f.id,
    ...(f.variant ? { variant: f.variant } : {}),
    value: f.value,
    ...(typeof status === 'string' ? { status } : {}),
    source: f.sources[0]?.url ?? '',
  };
}

/**
 * A row cut to what an answer needs: every variant of the providers in focus, the default of the others
 * (`detail=full` has them all); `differs` as in the full row.
 */
function compactRow(dim: DimensionRecord, order: ProviderSlug[], focus: ProviderSlug[], among: ProviderSlug[]): AskMatch {
  const cells: AskMatch['cells'] = {};
  for (const p of order) {
    const cell = focus.includes(p) ? dim.cells[p] : dim.cells[p].slice(0, 1);
    cells[p] = cell.map(compactFact);
  }
  return { dimension: { topic: dim.topic, slug: dim.slug, title: dim.title }, differs: differs(dim, among), cells };
}

/**
 * Answers a free-text question from the facts, deterministically: resolves the providers it names (aliases:
 * EKS, Azure, Google …; none means all three), ranks topics and dimensions by the vocabulary of the seed
 * (aliases, titles, keywords, fact values; tolerant of plurals and typos) plus the prose of the likeliest
 * topics, and answers from the best rows, the asked providers first and the others for contrast. `compact`
 * rows carry each fact's id, value and first source; the default `full` rows are whole comparison rows.
 */
export function ask(kb: Kb, q: string, detail?: 'full'): Ask;
export function ask(kb: Kb, q: string, detail: 'compact'): AskCompact;
export function ask(kb: Kb, q: string, detail?: AskDetail): Ask | AskCompact;
export function ask(kb: Kb, q: string, detail: AskDetail = 'full'): Ask | AskCompact {
  const snap = kb.snapshot();
  const question = q.trim();
  if (words(question).length === 0) throw new BadInputError('q', 'must contain a question (at least one letter or digit)');
  const index = askIndex(snap);
  const read = readQuestion(index, question);
  const asked = read.providers.length > 0 ? read.providers : snap.providers.map((p) => p.slug);
  const order = providerOrder(snap, asked);
  const base = { question, providers: asked };
  const dataset = { version: snap.version };

  const ranked = read.stems.length > 0 ? rank(snap, index, read, asked) : undefined;
  if (!ranked || ranked.best < WEIGHTS.minScore) {
    const suggestions = suggestTopics(index, question, MAX_TOPICS);
    return { ...base, topics: [], answer: noMatchAnswer(suggestions), matches: [], citations: [], suggestions, dataset };
  }

  const chosen = select(ranked);
  const topics = chosen.topics.map((t) => ({ slug: t.topic.slug, title: t.topic.title }));
  const { answer, facts } = composeAnswer({ snap, index, question: read, rows: chosen.rows, named: read.providers, order });
  const seen = new Set<string>();
  const citations: Ask['citations'] = [];
  for (const f of facts) {
    for (const s of f.sources) {
      if (seen.has(s.url)) continue;
      seen.add(s.url);
      citations.push(s);
    }
  }
  // every provider's cell, the asked ones first; `differs` compares the asked ones (all when one is asked)
  const among = asked.length >= 2 ? asked : order;
  const rows = chosen.rows.map((d) => d.dim);
  const head = { ...base, topics, answer };
  const tail = { citations, suggestions: [], dataset };
  if (detail === 'compact') return { ...head, matches: rows.map((d) => compactRow(d, order, asked, among)), ...tail };
  return { ...head, matches: rows.map((d) => compareRow(d, order, among)), ...tail };
}
