import type { Compare, CompareRow, Diff, DiffItem, Fact } from '../domain/api.js';
import { type ProviderSlug, SEVERITIES } from '../domain/seed.js';
import { requireProvider, requireProviders, requireTopic } from './catalog.js';
import { BadInputError, listValues } from './errors.js';
import type { Kb } from './kb.js';
import { compareKeys } from './keys.js';
import type { DimensionRecord, TopicRecord } from './snapshot.js';

/** Whether the default facts of the given providers have different keys; null when the dimension cannot compare. */
export function differs(dim: DimensionRecord, providers: readonly ProviderSlug[]): boolean | null {
  return compareKeys(dim, providers).differs;
}

/** A row with a cell per provider in the order given; `differs` compares `among` (all of them by default). */
export function compareRow(
  dim: DimensionRecord,
  providers: readonly ProviderSlug[],
  among: readonly ProviderSlug[] = providers,
): CompareRow {
  const cells: CompareRow['cells'] = {};
  for (const p of providers) cells[p] = dim.cells[p];
  return {
    dimension: { slug: dim.slug, title: dim.title, question: dim.question, baseline: dim.baseline },
    cells,
    ...compareKeys(dim, among),
    divergence: dim.divergence,
  };
}

/**
 * The dimensions of a comma-separated list (`a,b`, or `topic/a`), in the topic's order; empty means all.
 * 400 naming `param` and the topic's dimension slugs for one the topic does not have.
 */
export function requireDimensions(topic: TopicRecord, param: string, list: string | undefined): DimensionRecord[] {
  if (list === undefined || list.trim() === '') return topic.dimensions;
  const wanted = new Set<string>();
  for (const raw of list.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const slug = name.startsWith(`${topic.slug}/`) ? name.slice(topic.slug.length + 1) : name;
    if (!topic.dimensions.some((d) => d.slug === slug)) {
      throw new BadInputError(
        param,
        `unknown dimension "${raw.trim()}" in topic ${topic.slug}; use one of ${listValues(
          topic.dimensions.map((d) => d.slug),
          50,
        )}`,
      );
    }
    wanted.add(slug);
  }
  return topic.dimensions.filter((d) => wanted.has(d.slug));
}

/**
 * The comparison matrix of a topic (named by slug or alias): one row per dimension in seed order (only the
 * listed ones when `dimensionList` names some), a cell per requested provider.
 */
export function compare(kb: Kb, topicSlug: string, providerList?: string, dimensionList?: string): Compare {
  const snap = kb.snapshot();
  const topic = requireTopic(snap, 'topic', topicSlug, { aliases: true });
  const providers = requireProviders(snap, 'providers', providerList);
  const dimensions = requireDimensions(topic, 'dimension', dimensionList);
  return {
    topic: { slug: topic.slug, title: topic.title, summary: topic.summary },
    providers,
    rows: dimensions.map((d) => compareRow(d, providers)),
    dataset: { version: snap.version },
  };
}

const severityRank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

/**
 * What changes when a workload moves from one cloud to another: every dimension whose default facts differ (or
 * cannot be compared), highest severity first (then in topic and dimension order), with the migration note for
 * that direction.
 */
export function diff(kb: Kb, fromName: string, toName: string, topicSlug?: string): Diff {
  const snap = kb.snapshot();
  const from = requireProvider(snap, 'from', fromName);
  const to = requireProvider(snap, 'to', toName);
  if (from === to) throw new BadInputError('to', `must differ from "from" (both are ${from})`);
  const topics = topicSlug ? [requireTopic(snap, 'topic', topicSlug)] : snap.topics;
  const items: (DiffItem & { order: number })[] = [];
  let order = 0;
  for (const topic of topics) {
    for (const dim of topic.dimensions) {
      order++;
      // a row that cannot be compared (differs null) stays: nothing says the move is safe
      if (differs(dim, [from, to]) === false) continue;
      items.push({
        order,
        topic: { slug: topic.slug, title: topic.title },
        dimension: { slug: dim.slug, title: dim.title },
        severity: dim.divergence.severity,
        summary: dim.divergence.summary,
        example: dim.divergence.example,
        from: dim.cells[from],
        to: dim.cells[to],
        migration: dim.divergence.migration.find((m) => m.from === from && m.to === to)?.note ?? null,
      });
    }
  }
  items.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.order - b.order);
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const i of items) counts[i.severity]++;
  return {
    from,
    to,
    topic: topicSlug ? (topics[0]?.slug ?? null) : null,
    counts,
    items: items.map(({ order: _order, ...item }) => item),
    dataset: { version: snap.version },
  };
}

/** The default variant of a cell (the only fact when it has one). */
export function defaultFact(cell: readonly Fact[]): Fact | undefined {
  return cell.find((f) => f.default) ?? cell[0];
}
