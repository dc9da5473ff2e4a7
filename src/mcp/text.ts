import type { Compare, CompareRow, Diff, Fact, FactsPage, SearchResult, TopicSummary } from '../domain/api.js';
import type { Ask, AskCompact, AskFact, AskMatch } from '../domain/ask.js';
import type { IpCapacity } from '../domain/calculators.js';
import type { SparseCompare, SparseFact } from '../domain/fields.js';
import type { Timeline, TimelineEntry } from '../domain/timeline.js';

/**
 * The text half of each tool result: compact, line-oriented renderings an agent (or a person reading a
 * transcript) can quote: every fact with its id, status, verified date, confidence and source URLs beside its
 * value. `structuredContent` carries the REST object; this is the readable summary of it.
 */

/** A fact as a line renders it: a whole fact, one cut by `fields`, or an ask row's compact fact. */
type FactLike = SparseFact | (AskFact & { verified?: string; confidence?: string; sources?: undefined });

/** Finds a whole fact by id, for what a compact row leaves out (verified date, confidence). */
export type FactLookup = (id: string) => Fact | undefined;

function sourceList(f: FactLike): string {
  if ('source' in f) return f.source;
  return (f.sources ?? []).map((s) => s.url).join(' ');
}

/**
 * `value [variant] — id · status · verified date · confidence — source URLs`; what `fields` left out is left
 * out here too. Every line states its status, so an agent never quotes a preview as settled.
 */
function factLine(f: FactLike, withId = true): string {
  const variant = f.variant ? ` [${f.variant}${'default' in f && f.default ? ', default' : ''}]` : '';
  const facts = [
    withId ? f.id : undefined,
    f.status,
    f.verified ? `verified ${f.verified}` : undefined,
    f.confidence ? `confidence ${f.confidence}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const sources = sourceList(f);
  return [`${f.value ?? '(value left out)'}${variant}`, facts.join(' · '), sources].filter((x) => x !== '').join(' — ');
}

function cellLines(provider: string, facts: readonly FactLike[] | undefined): string[] {
  if (!facts || facts.length === 0) return [`- ${provider}: (no fact recorded)`];
  if (facts.length === 1) return [`- ${provider}: ${factLine(facts[0] as FactLike)}`];
  return [`- ${provider}:`, ...facts.map((f) => `  - ${factLine(f)}`)];
}

function rowText(row: CompareRow | SparseCompare['rows'][number], providers: readonly string[]): string {
  const d = row.divergence;
  const verdict =
    row.differs === null
      ? `not comparable by key, severity ${d.severity}`
      : row.differs
        ? `differs, severity ${d.severity}`
        : 'same';
  const lines = [
    `## ${row.dimension.title} (${row.dimension.slug}) — ${verdict}`,
    `Baseline (upstream Kubernetes): ${row.dimension.baseline}`,
    ...providers.flatMap((p) => cellLines(p, row.cells[p as keyof CompareRow['cells']])),
  ];
  if (row.differs && row.groups) lines.push(`Alike: ${row.groups.map((g) => g.join(', ')).join(' | ')}`);
  if (row.differs !== false && d.summary) lines.push(`Divergence: ${d.summary}`);
  return lines.join('\n');
}

export function compareText(c: Compare | SparseCompare): string {
  const head = `# ${c.topic.title} (${c.topic.slug}): ${c.providers.join(' vs ')}\n${c.topic.summary}`;
  return [head, ...c.rows.map((r) => rowText(r, c.providers))].join('\n\n');
}

export function diffText(d: Diff): string {
  const scope = d.topic ? ` in ${d.topic}` : '';
  const counts = Object.entries(d.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const head = `# Moving from ${d.from} to ${d.to}${scope}: ${d.items.length} differences${counts ? ` (${counts})` : ''}`;
  const items = d.items.map((i) =>
    [
      `## [${i.severity}] ${i.topic.title} / ${i.dimension.title} (${i.topic.slug}/${i.dimension.slug})`,
      i.summary,
      ...cellLines(d.from, i.from),
      ...cellLines(d.to, i.to),
      ...(i.migration ? [`Migration ${d.from}->${d.to}: ${i.migration}`] : []),
    ].join('\n'),
  );
  return [head, ...items].join('\n\n');
}

/** Snippets arrive HTML-escaped with <mark>; an agent reads plain text better, matches in **bold**. */
export function plainSnippet(html: string): string {
  return html
    .replaceAll('<mark>', '**')
    .replaceAll('</mark>', '**')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export function searchText(r: SearchResult): string {
  if (r.items.length === 0) return `No results for "${r.query}".`;
  const lines = r.items.map((h, n) => {
    const what = h.fact ? `${h.id}: ${factLine(h.fact, false)}` : `${h.kind} ${h.id}: ${h.title}`;
    return `${n + 1}. ${what}\n   ${plainSnippet(h.snippet)}`;
  });
  return [`# ${r.items.length} results for "${r.query}"`, ...lines].join('\n');
}

export function factText(f: Fact): string {
  return [
    `# ${f.id}`,
    `${f.provider} / ${f.topic} / ${f.dimension}${f.variant ? ` (variant: ${f.variant}${f.default ? ', default' : ''})` : ''}`,
    `Value: ${f.value}`,
    `Status: ${f.status}`,
    f.details,
    `Verified ${f.verified}, confidence ${f.confidence}${f.tags.length > 0 ? `, tags: ${f.tags.join(', ')}` : ''}`,
    'Sources:',
    ...f.sources.map((s) => `- ${s.title}: ${s.url}`),
  ].join('\n');
}

export function factListText(page: FactsPage): string {
  if (page.items.length === 0) return 'No facts match.';
  const more = page.next ? `\nMore: call list_facts again with cursor "${page.next}".` : '';
  return [`# ${page.items.length} facts`, ...page.items.map((f) => `- ${f.id}: ${factLine(f, false)}`)].join('\n') + more;
}

/** `status · verified date · confidence` of a fact named by id, from the whole fact. */
function standing(id: string, status: string | undefined, lookup: FactLookup): string {
  const whole = lookup(id);
  return [status ?? whole?.status, whole && `verified ${whole.verified}`, whole && `confidence ${whole.confidence}`]
    .filter((x) => x)
    .join(' · ');
}

function changeLine(e: TimelineEntry, lookup: FactLookup): string {
  const when = e.on ?? `Kubernetes ${e.version}`;
  const replaced = e.replaced_by ? ` (replaced by ${e.replaced_by})` : '';
  const urls = e.sources.map((s) => s.url).join(' ');
  return `- ${when} ${e.fact.id}: ${e.what}${replaced} — ${standing(e.fact.id, e.fact.status, lookup)} — ${urls}`;
}

export function timelineText(t: Timeline, lookup: FactLookup): string {
  const line = (e: TimelineEntry) => changeLine(e, lookup);
  const dated = t.items.length > 0 ? t.items.map(line) : [`No dated change between ${t.from} and ${t.to}.`];
  const versioned = t.by_version.length > 0 ? ['', '## By Kubernetes version', ...t.by_version.map(line)] : [];
  return [`# Changes from ${t.from} to ${t.to}: ${t.items.length}`, ...dated, ...versioned].join('\n');
}

export function topicsText(items: readonly TopicSummary[]): string {
  return [
    `# ${items.length} topics (use the slug with compare, diff or search_facts)`,
    ...items.map((t) => `- ${t.slug}: ${t.title} (${t.dimension_count} dimensions, ${t.fact_count} facts). ${t.summary}`),
  ].join('\n');
}

/** A compact ask row: its dimension, the verdict, and each provider's facts with what the lookup adds (a
 * compact fact holds no verified date or confidence, and its status only when recorded). */
function matchText(m: AskMatch, lookup: FactLookup): string {
  const verdict = m.differs === null ? 'not comparable by key' : m.differs ? 'differs' : 'same';
  const withDates = (f: AskFact): FactLike => {
    const whole = lookup(f.id);
    return { ...f, status: f.status ?? whole?.status, verified: whole?.verified, confidence: whole?.confidence };
  };
  return [
    `## ${m.dimension.title} (${m.dimension.topic}/${m.dimension.slug}) — ${verdict}`,
    ...Object.entries(m.cells).flatMap(([p, facts]) => cellLines(p, facts?.map(withDates))),
  ].join('\n');
}

const isCompact = (a: Ask | AskCompact): a is AskCompact => a.matches.every((m) => 'topic' in m.dimension);

export function askText(a: Ask | AskCompact, lookup: FactLookup): string {
  if (a.matches.length === 0) {
    const hint = a.suggestions.length > 0 ? `\nTopics to ask about instead: ${a.suggestions.map((s) => s.slug).join(', ')}` : '';
    return `${a.answer}${hint}`;
  }
  const rows = isCompact(a) ? a.matches.map((m) => matchText(m, lookup)) : a.matches.map((r) => rowText(r, Object.keys(r.cells)));
  return [
    a.answer,
    `Topics: ${a.topics.map((t) => t.slug).join(', ')}`,
    ...rows,
    `Citations:\n${a.citations.map((c) => `- ${c.title}: ${c.url}`).join('\n')}`,
  ].join('\n\n');
}

export function ipCapacityText(c: IpCapacity, lookup: FactLookup): string {
  return [
    `# IP capacity: ${c.provider} ${c.mode} — ${c.max_nodes} nodes, ${c.max_pods_total} pods (limited by ${c.limiting_factor})`,
    c.explanation,
    'Assumptions:',
    ...c.assumptions.map((a) => `- ${a}`),
    'Facts:',
    ...(c.facts.length > 0 ? c.facts.map((id) => `- ${id} (${standing(id, undefined, lookup)})`) : ['- (none in this dataset)']),
    'Sources:',
    ...c.citations.map((s) => `- ${s.title} — ${s.url}`),
  ].join('\n');
}
