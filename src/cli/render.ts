import type { Compare, CompareRow, Diff, Fact, SearchResult, TopicSummary } from '../domain/api.js';
import type { Ask } from '../domain/ask.js';
import type { Timeline, TimelineEntry } from '../domain/timeline.js';
import { escapeControls } from './escape.js';
import { hanging, table, wrap } from './table.js';

/**
 * Human-readable output of each command. Facts carry footnote numbers (`[2]`) that point into the list of
 * source URLs printed under the table: URLs are never truncated, so they stay copyable.
 */
class Footnotes {
  private readonly byUrl = new Map<string, number>();
  private readonly list: { url: string; title: string }[] = [];

  ref(source: { url: string; title: string }): number {
    let n = this.byUrl.get(source.url);
    if (n === undefined) {
      this.list.push(source);
      n = this.list.length;
      this.byUrl.set(source.url, n);
    }
    return n;
  }

  marks(f: { sources: readonly { url: string; title: string }[] }): string {
    return f.sources.length > 0 ? ` [${f.sources.map((s) => this.ref(s)).join(',')}]` : '';
  }

  render(width: number, heading = 'Sources'): string {
    if (this.list.length === 0) return '';
    const digits = String(this.list.length).length;
    const lines = this.list.map((s, i) => hanging(`[${String(i + 1).padStart(digits)}] `, `${s.url} — ${s.title}`, width));
    return `${heading}:\n${lines.join('\n')}`;
  }
}

function factCell(facts: readonly Fact[] | undefined, notes: Footnotes): string {
  if (!facts || facts.length === 0) return '—';
  return facts
    .map((f) => {
      const label = [
        f.variant && f.variant !== f.value ? f.variant : '',
        facts.length > 1 && f.default ? 'default' : '',
        f.status === 'ga' ? '' : f.status,
      ]
        .filter(Boolean)
        .join(', ');
      const variant = label ? ` (${label})` : '';
      return `${facts.length > 1 ? '- ' : ''}${f.value}${variant}${notes.marks(f)}`;
    })
    .join('\n');
}

function section(...parts: string[]): string {
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

function matrix(rows: readonly CompareRow[], providers: readonly string[], notes: Footnotes, width: number): string {
  return table(
    ['DIMENSION', 'DIFFERS', ...providers.map((p) => p.toUpperCase())],
    rows.map((r) => [
      r.dimension.title,
      r.differs === null ? `n/a (${r.divergence.severity})` : r.differs ? r.divergence.severity : 'no',
      ...providers.map((p) => factCell(r.cells[p as keyof CompareRow['cells']], notes)),
    ]),
    width,
  );
}

export function renderCompare(c: Compare, width: number): string {
  const notes = new Footnotes();
  const head = wrap(`${c.topic.title} (${c.topic.slug}): ${c.providers.join(' vs ')}. ${c.topic.summary}`, width).join('\n');
  return section(head, matrix(c.rows, c.providers, notes, width), notes.render(width));
}

export function renderDiff(d: Diff, width: number): string {
  const notes = new Footnotes();
  const counts = Object.entries(d.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const head = `Moving from ${d.from} to ${d.to}${d.topic ? ` (${d.topic})` : ''}: ${d.items.length} difference${d.items.length === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}`;
  if (d.items.length === 0) return section(head);
  const rows = d.items.map((i) => [
    i.severity,
    `${i.topic.title}: ${i.dimension.title}`,
    factCell(i.from, notes),
    factCell(i.to, notes),
  ]);
  const notesList = d.items
    .filter((i) => i.migration)
    .map((i) => hanging('- ', `${i.topic.slug}/${i.dimension.slug}: ${i.migration}`, width));
  const migration = notesList.length > 0 ? `Migration notes (${d.from} -> ${d.to}):\n${notesList.join('\n')}` : '';
  return section(
    head,
    table(['SEVERITY', 'DIMENSION', d.from.toUpperCase(), d.to.toUpperCase()], rows, width),
    migration,
    notes.render(width),
  );
}

/**
 * Snippets arrive HTML-escaped with <mark>: a terminal gets the plain text, escaped again after decoding (an
 * entity such as `&#27;` from a server would otherwise become a raw control character).
 */
export function plainText(html: string): string {
  return escapeControls(
    html.replace(/<\/?mark>/g, '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  );
}

export function renderSearch(r: SearchResult, width: number): string {
  const notes = new Footnotes();
  // a fact shows its value (the snippet of a fact mostly repeats it, cut short); topics and dimensions their snippet
  const rows = r.items.map((h, n) => [
    String(n + 1),
    h.id,
    h.fact ? `${h.fact.value}${notes.marks(h.fact)}` : `${h.kind}: ${h.title}\n${plainText(h.snippet)}`,
  ]);
  const head = `${r.items.length} result${r.items.length === 1 ? '' : 's'} for "${r.query}"`;
  return section(head, table(['#', 'ID', 'MATCH'], rows, width), notes.render(width));
}

export function renderFact(f: Fact, width: number): string {
  const rows: [string, string][] = [
    ['provider', f.provider],
    ['topic', `${f.topic} / ${f.dimension}`],
    ...(f.variant ? [['variant', `${f.variant}${f.default ? ' (default)' : ''}`] as [string, string]] : []),
    ['value', f.value],
    ['status', f.status],
    ['details', f.details],
    ['verified', `${f.verified} (confidence ${f.confidence})`],
    ...(f.tags.length > 0 ? [['tags', f.tags.join(', ')] as [string, string]] : []),
  ];
  const sources = f.sources.map((s) => hanging('- ', `${s.url} — ${s.title}`, width)).join('\n');
  return section(f.id, table(null, rows, width), `Sources:\n${sources}`);
}

export function renderTopics(items: readonly TopicSummary[], width: number): string {
  const rows = items.map((t) => [t.slug, t.title, String(t.dimension_count), String(t.fact_count), t.summary]);
  // summaries run to a paragraph: two lines each keep the list scannable (`--json` has them whole)
  return section(table(['TOPIC', 'TITLE', 'DIMS', 'FACTS', 'SUMMARY'], rows, width, { 4: 2 }));
}

export function renderAsk(a: Ask, width: number): string {
  const notes = new Footnotes();
  for (const c of a.citations) notes.ref(c);
  const answer = wrap(a.answer, width).join('\n');
  const topics = a.topics.length > 0 ? `Topics: ${a.topics.map((t) => t.slug).join(', ')}` : '';
  // the asked providers first, the others after them for contrast
  const present = Object.keys(a.matches[0]?.cells ?? {});
  const providers = [
    ...a.providers.filter((p) => present.includes(p)),
    ...present.filter((p) => !a.providers.includes(p as never)),
  ];
  const rows = a.matches.length > 0 ? matrix(a.matches, providers, notes, width) : '';
  return section(answer, topics, rows, notes.render(width));
}

export function renderTimeline(t: Timeline, width: number): string {
  const notes = new Footnotes();
  const row = (e: TimelineEntry) => [
    e.on ?? e.version ?? '',
    e.fact.id,
    `${e.what}${e.replaced_by ? ` (replaced by ${e.replaced_by})` : ''}${notes.marks(e)}`,
  ];
  const head = `${t.items.length} dated change${t.items.length === 1 ? '' : 's'} from ${t.from} to ${t.to}`;
  const dated = t.items.length > 0 ? table(['DATE', 'FACT', 'CHANGE'], t.items.map(row), width) : '';
  const versioned =
    t.by_version.length > 0
      ? `By Kubernetes version:\n${table(['VERSION', 'FACT', 'CHANGE'], t.by_version.map(row), width)}`
      : '';
  return section(head, dated, versioned, notes.render(width));
}

/** What ask prints on stderr when nothing matched: its answer and the topics it suggests. */
export function askMiss(a: Ask): string {
  const hint = a.suggestions.length > 0 ? ` Topics: ${a.suggestions.map((s) => s.slug).join(', ')}.` : '';
  return `${a.answer}${hint}`;
}
