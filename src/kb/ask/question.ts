import type { ProviderSlug } from '../../domain/seed.js';
import { editDistance, isStopword, stem, typoBudget, words } from '../words.js';
import type { AskIndex } from './vocabulary.js';

/** Question words looked at; a longer text is cut (the route already bounds q to 500 characters). */
const MAX_WORDS = 40;
/** Resolved words remembered per snapshot: questions are free text, and unique garbage must not grow memory. */
const MAX_RESOLVED = 20_000;

export interface Question {
  providers: ProviderSlug[];
  /** content stems, typo-corrected */
  stems: string[];
  stemSet: Set<string>;
  /** stems read from a typo ("bread" as "break"): they count less, as the reading may be wrong */
  corrected: Set<string>;
  /** content stems plus the provider names taken out of `stems`, for phrase matches */
  phraseSet: Set<string>;
  /** adjacent content stems, "a b" */
  bigrams: string[];
  /** the question asks for a comparison ("differ", "vs", "between"), not only a value */
  compares: boolean;
  /** the question is about moving a workload ("moving from EKS to AKS"): the first provider named is the source */
  migrates: boolean;
}

/** Words that make a question a comparison, or a migration, whatever providers it names. */
const COMPARING = new Set(
  'differ differs different difference differences compare compared comparison comparing vs versus between contrast unlike whereas'.split(
    ' ',
  ),
);
const MIGRATING = new Set('move moving moved migrate migrating migration migrations port porting switch switching'.split(' '));

/** Providers named in the question (in the order named) and the words left once their names are taken out. */
export function readQuestion(index: AskIndex, q: string): Question {
  const ws = words(q).slice(0, MAX_WORDS);
  const claimed = new Array<boolean>(ws.length).fill(false);
  const found: { provider: ProviderSlug; at: number }[] = [];
  for (const alias of index.providerAliases) {
    const n = alias.words.length;
    for (let i = 0; i + n <= ws.length; i++) {
      const hit = alias.words.every((a, k) => {
        const w = ws[i + k] as string;
        if (w === a || (w.endsWith('s') && w.slice(0, -1) === a)) return true;
        // a typo in a long name ("Azrue", "Amazn") still names the provider, unless it is a word we know ("cloud")
        return (
          n === 1 &&
          alias.claims.length === 1 &&
          a.length >= 5 &&
          w.length >= 5 &&
          w[0] === a[0] &&
          !index.surface.has(stem(w)) &&
          editDistance(w, a, 1) <= 1
        );
      });
      if (!hit) continue;
      found.push({ provider: alias.provider, at: i });
      alias.words.forEach((a, k) => {
        if (alias.claims.includes(a)) claimed[i + k] = true;
      });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const providers = [...new Set(found.map((f) => f.provider))];

  const stems: string[] = [];
  // with the provider names kept: phrases such as "Azure CNI" or "GKE Ingress" still match as phrases
  const sequence: string[] = [];
  const corrected = new Set<string>();
  const exact = new Set<string>();
  ws.forEach((w, i) => {
    if (isStopword(w) || w.length < 2) return;
    if (claimed[i]) {
      sequence.push(stem(w));
      return;
    }
    const r = resolveWord(index, w);
    stems.push(...r.stems);
    sequence.push(...r.stems);
    for (const s of r.stems) (r.corrected ? corrected : exact).add(s);
  });
  const bigrams = sequence.slice(1).map((s, i) => `${sequence[i]} ${s}`);
  const unique = [...new Set(stems)];
  return {
    providers,
    stems: unique,
    stemSet: new Set(unique),
    corrected: new Set([...corrected].filter((s) => !exact.has(s))),
    phraseSet: new Set(sequence),
    bigrams: [...new Set(bigrams)],
    compares: ws.some((w) => COMPARING.has(w)),
    migrates: ws.some((w) => MIGRATING.has(w)),
  };
}

/**
 * A question word as vocabulary stems: itself when known, else without a plural "s" ("ips", "lbs"), else a
 * compound split in two ("loadbalancer"), else the closest word within the typo budget ("kubenet" stays, but
 * "egres" -> "egress", "ingres" -> "ingress", "loadbalncer" -> "load balancer"). Unknown words stay as they are.
 */
export function resolveWord(index: AskIndex, word: string): Resolved {
  let r = index.resolved.get(word);
  if (!r) {
    r = resolveUncached(index, word);
    if (index.resolved.size >= MAX_RESOLVED) index.resolved.clear();
    index.resolved.set(word, r);
  }
  return r;
}

/** A question word as stems of the vocabulary; `corrected` when it was read as another word (a typo). */
export interface Resolved {
  stems: string[];
  corrected: boolean;
}

function resolveUncached(index: AskIndex, word: string): Resolved {
  const s = stem(word);
  if (index.surface.has(s)) return { stems: [s], corrected: false };
  if (word.length >= 3 && word.endsWith('s') && index.surface.has(word.slice(0, -1))) {
    return { stems: [word.slice(0, -1)], corrected: false };
  }
  const compound = index.compounds.get(s);
  if (compound) return { stems: compound, corrected: false };
  const budget = typoBudget(word.length);
  if (budget > 0) {
    // typos are measured on words as written ("ingres" -> "ingress"), then mapped to the word's stem
    let best: string | undefined;
    let bestDistance = budget + 1;
    const rarity = (w: string) => index.idf.get(index.wordStems.get(w) ?? '') ?? Number.POSITIVE_INFINITY;
    for (let len = word.length - budget; len <= word.length + budget; len++) {
      for (const candidate of index.byLength.get(len) ?? []) {
        if (candidate.length < 4) continue;
        const d = editDistance(word, candidate, Math.min(budget, bestDistance));
        // on a tie, the more common word is the likelier intent
        if (d < bestDistance || (d === bestDistance && best !== undefined && rarity(candidate) < rarity(best))) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    const bestStem = best === undefined ? undefined : index.wordStems.get(best);
    if (bestStem !== undefined && bestDistance <= budget) return { stems: [bestStem], corrected: true };
    for (const [joined, parts] of index.compounds) {
      if (Math.abs(joined.length - s.length) <= budget && editDistance(s, joined, budget) <= budget) {
        return { stems: parts, corrected: true };
      }
    }
  }
  return { stems: [s], corrected: false };
}
