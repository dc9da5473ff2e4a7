import type { Fact } from '../../domain/api.js';
import type { AskTopic } from '../../domain/ask.js';
import type { ProviderSlug } from '../../domain/seed.js';
import { defaultFact } from '../compare.js';
import type { Snapshot } from '../snapshot.js';
import { isStopword, words } from '../words.js';
import { type AskIndex, type DimensionDoc, trigrams } from './vocabulary.js';

/** The prose of an answer: sentences from the chosen rows, and what to say when nothing matched. */

const MAX_ANSWER = 700;

const trimStop = (s: string) => s.trim().replace(/[.;:,\s]+$/, '');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "On GKE, … . By contrast, on EKS …; on AKS …." for one dimension; the facts it quoted are collected. */
function sentence(snap: Snapshot, doc: DimensionDoc, asked: ProviderSlug[], order: ProviderSlug[], used: Fact[]): string {
  const part = (p: ProviderSlug) => {
    const fact = defaultFact(doc.dim.cells[p]);
    if (!fact) return undefined;
    used.push(fact);
    const name = snap.providerBySlug.get(p)?.kubernetes_service_short ?? p;
    const variant = doc.dim.cells[p].length > 1 && fact.variant ? ` (${fact.variant})` : '';
    return `on ${name}${variant}, ${trimStop(fact.value)}`;
  };
  const focus = asked.length < order.length ? asked : order;
  const others = order.filter((p) => !focus.includes(p));
  const head = focus.map(part).filter(Boolean).join('; ');
  const tail = others.map(part).filter(Boolean).join('; ');
  return `${trimStop(doc.dim.title)}: ${cap(head)}.${tail ? ` By contrast, ${tail}.` : ''}`;
}

/** As many whole sentences as fit in `max` characters (the first one cut when it alone is longer). */
function fitSentences(parts: string[], max: number): string {
  let out = '';
  for (const p of parts) {
    const next = out ? `${out} ${p}` : p;
    if (next.length > max) {
      if (!out) return `${p.slice(0, max - 1).trimEnd()}…`;
      break;
    }
    out = next;
  }
  return out;
}

/**
 * The answer text from the best rows: the first row's values (asked providers first, the others "by contrast"),
 * its divergence summary, then the second row when there is room; and the facts the text quotes.
 */
export function composeAnswer(
  snap: Snapshot,
  rows: DimensionDoc[],
  asked: ProviderSlug[],
  order: ProviderSlug[],
): { answer: string; facts: Fact[] } {
  const quoted = rows.slice(0, 2).map((d) => {
    const facts: Fact[] = [];
    return { text: sentence(snap, d, asked, order, facts), facts };
  });
  const parts = [quoted[0]?.text as string];
  const summary = rows[0]?.dim.divergence.summary;
  if (summary) parts.push(`${trimStop(summary)}.`);
  if (quoted[1]) parts.push(quoted[1].text);
  const answer = fitSentences(parts, MAX_ANSWER);
  const facts = quoted.filter((s) => answer.includes(s.text)).flatMap((s) => s.facts);
  if (facts.length === 0) facts.push(...(quoted[0]?.facts ?? []));
  return { answer, facts };
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
