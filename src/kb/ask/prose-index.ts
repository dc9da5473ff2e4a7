import { PROVIDER_SLUGS, type ProviderSlug } from '../../domain/seed.js';
import { memo } from '../memo.js';
import type { Snapshot } from '../snapshot.js';
import { isStopword, stem, words } from '../words.js';
import type { DimensionDoc } from './vocabulary.js';

/**
 * The prose of a topic's dimensions (baselines, divergences, fact details) as postings of stem counts: what
 * the vocabulary does not hold. It is read only for the few topics a question's vocabulary points at, and each
 * topic's is built on the first question that needs it, so neither start-up nor a question grows with the
 * whole dataset.
 */
export interface TopicProse {
  /**
   * stem -> [dimension (its place in the topic), part, occurrences, …]; part 0 is the dimension's own prose
   * (question, baseline, divergence), part 1 + i the facts of provider PROVIDER_SLUGS[i] (values and details)
   */
  postings: Map<string, number[]>;
}

/** The part number of a provider's facts in TopicProse postings. */
export const providerPart = (p: ProviderSlug) => 1 + PROVIDER_SLUGS.indexOf(p);

/** The prose of a topic's dimensions, given in the topic's order. */
export function topicProse(snap: Snapshot, topic: string, dims: readonly DimensionDoc[]): TopicProse {
  return memo(snap, `ask:prose:${topic}`, () => {
    const stems = new Map<string, string>();
    const postings = new Map<string, number[]>();
    const add = (at: number, part: number, text: string) => {
      const counts = new Map<string, number>();
      for (const w of words(text)) {
        if (isStopword(w)) continue;
        let s = stems.get(w);
        if (s === undefined) {
          s = stem(w);
          stems.set(w, s);
        }
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      for (const [s, n] of counts) {
        const list = postings.get(s);
        if (list) list.push(at, part, n);
        else postings.set(s, [at, part, n]);
      }
    };
    dims.forEach(({ dim }, at) => {
      const d = dim.divergence;
      add(at, 0, `${dim.question} ${dim.baseline} ${d.summary} ${d.example}`);
      for (const p of PROVIDER_SLUGS) add(at, providerPart(p), dim.cells[p].map((f) => `${f.value} ${f.details}`).join('\n'));
    });
    return { postings };
  });
}
