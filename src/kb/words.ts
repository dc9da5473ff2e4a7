/**
 * The one tokenizer, stemmer and edit distance of the knowledge layer: search reads a query with `tokens`
 * (as FTS5's unicode61 tokenizer reads the index), ask reads questions and the vocabulary with `words` and
 * `stem`, and compare tells values apart with `tokens`.
 */

/** Words that carry no meaning in a query; search drops them unless nothing else is left. */
export const STOPWORDS = new Set(
  'a an and are as at be by can could do does did for from has have how i if in into is it its me my of on or our should so than that the their them then there these this those to was we what when where which who why will with would you your vs versus between differ differs different difference differences compare compared comparison behave behaves behavior behaviour work works'.split(
    ' ',
  ),
);

/** Words of a question that say nothing about the topic (on top of STOPWORDS). */
const QUESTION_WORDS = new Set(
  'about across after again against all also am any anything around available based because been before being both but cannot cant case come currently dont doesnt each either else even ever every exactly example explain get gets getting go going good got handle handled handles happen happens help here im instead isnt its just know let like look looking make makes many mean means more most much must need needed needs new not now ok okay one only other out over own please possible really right say see set setting settings setup should show since some something still sure take tell thing things through too two under up us use used uses using via vs want wants way ways well were what whats whether while within without yes'.split(
    ' ',
  ),
);

/** A word of a question that says nothing about what it asks. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || QUESTION_WORDS.has(word);
}

/** Longer runs of letters are no words anyone searches for (and would only cost). */
const MAX_WORD = 64;
const ASCII = /^[\x00-\x7f]*$/;
const TOKEN = /[\p{L}\p{N}]+/gu;

// NFKC leaves ASCII as it is, and most text is ASCII: skipping it is a fifth of ask's index build
const nfkc = (text: string) => (ASCII.test(text) ? text : text.normalize('NFKC'));

const split = (lower: string) => (lower.match(TOKEN) ?? []).filter((w) => w.length <= MAX_WORD);

/** Lower-cased runs of letters and digits: punctuation and FTS syntax never survive this. */
export function tokens(text: string): string[] {
  return split(nfkc(text).toLowerCase());
}

/**
 * `tokens` for reading prose as a person meant it: camelCase is split first so "LoadBalancer" reads as
 * "load balancer", an acronym with a plural or verb ending stays one word ("CIDRs", "IPs", "SNATed"), and a
 * possessive "'s" goes.
 */
export function words(text: string): string[] {
  return split(
    nfkc(text)
      .replace(/\b([A-Z]{2,})(s|es|ed|ing)\b/g, (_, acronym: string, ending: string) => acronym + ending.toUpperCase())
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .toLowerCase()
      .replace(/['’]s\b/g, ''),
  );
}

const SUFFIXES = [
  'ations',
  'ation',
  'ating',
  'ated',
  'ates',
  'ate',
  'ivity',
  'ities',
  'ity',
  'ing',
  'ers',
  'er',
  'ed',
  'ion',
  'ly',
  'e',
  'y',
];

/**
 * A light stemmer, applied alike to the vocabulary and to questions: plurals first ("policies" -> "policy"),
 * then at most two common suffixes ("balancing", "balancer" -> "balanc"; "allocation", "allocate" -> "alloc").
 * Stems are only compared with each other, never shown.
 */
export function stem(word: string): string {
  let w = word;
  // short plurals, mostly acronyms: "ips" -> "ip", "enis" -> "eni", "pods" -> "pod" ("dns" -> "dn" too, harmlessly)
  if (w.length <= 4) return w.length >= 3 && w.endsWith('s') && !/(ss|us)$/.test(w) ? w.slice(0, -1) : w;
  if (/\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(x|ch|sh|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (let pass = 0; pass < 2; pass++) {
    const suffix = SUFFIXES.find((s) => w.endsWith(s) && w.length - s.length >= 4);
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
    // "overlapping" -> "overlap", "tagged" -> "tag" (but "install", "egress" keep their pairs)
    if ((suffix === 'ing' || suffix === 'ed' || suffix === 'er') && /([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
  }
  return w;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Uint16Array(b.length + 1);
  let prev = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length] as number;
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoBudget(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}
