import type { Compare, CompareRow, Diff, Fact, SearchHit } from '../domain/api.js';
import type { ProviderSlug } from '../domain/seed.js';

/**
 * What the root resolvers hand to the nested ones: the kb's answer reduced to references (slugs, dimension
 * keys) wherever a loader takes over, so loader keys stay small and every nested object has one source.
 */

export interface CompareNode {
  topic: string;
  providers: ProviderSlug[];
  rows: RowNode[];
  dataset: { version: string };
}

export interface RowNode {
  /** `topic/dimension` */
  key: string;
  providers: ProviderSlug[];
  differs: boolean;
}

export interface CellNode {
  provider: ProviderSlug;
  key: string;
}

export interface DiffNode {
  from: ProviderSlug;
  to: ProviderSlug;
  topic: string | null;
  counts: Diff['counts'];
  items: DiffItemNode[];
  dataset: { version: string };
}

export interface DiffItemNode {
  topic: string;
  key: string;
  from: ProviderSlug;
  to: ProviderSlug;
  severity: string;
  summary: string;
  example: string;
  migration: string | null;
}

export type SearchHitNode = Omit<SearchHit, 'fact'>;

export function compareNode(c: Compare): CompareNode {
  return {
    topic: c.topic.slug,
    providers: c.providers,
    rows: c.rows.map((r) => ({ key: `${c.topic.slug}/${r.dimension.slug}`, providers: c.providers, differs: r.differs })),
    dataset: c.dataset,
  };
}

/** Ask's rows are compare rows whose cells come in the asked order; the dimension key is read off a fact. */
export function askRowNodes(rows: CompareRow[]): RowNode[] {
  return rows.flatMap((r) => {
    const providers = Object.keys(r.cells) as ProviderSlug[];
    const fact = providers.map((p) => r.cells[p]?.[0]).find((f) => f !== undefined);
    return fact ? [{ key: `${fact.topic}/${fact.dimension}`, providers, differs: r.differs }] : [];
  });
}

export function diffNode(d: Diff): DiffNode {
  return {
    from: d.from,
    to: d.to,
    topic: d.topic,
    counts: d.counts,
    items: d.items.map((i) => ({
      topic: i.topic.slug,
      key: `${i.topic.slug}/${i.dimension.slug}`,
      from: d.from,
      to: d.to,
      severity: i.severity,
      summary: i.summary,
      example: i.example,
      migration: i.migration,
    })),
    dataset: d.dataset,
  };
}

export function searchHitNode({ fact: _fact, ...hit }: SearchHit): SearchHitNode {
  return hit;
}

const factNodeCache = new WeakMap<Fact, Fact>();

/**
 * Mercurius keys each loader call by serializing the parent object, and a fact serializes whole (its
 * details run to a paragraph) once for every linked field asked of it. A fact node reads as its fact
 * (the fact is its prototype) but serializes as its id; one node per fact of a snapshot.
 */
export function factNode(fact: Fact): Fact {
  let node = factNodeCache.get(fact);
  if (!node) {
    node = Object.create(fact, { toJSON: { value: () => fact.id } }) as Fact;
    factNodeCache.set(fact, node);
  }
  return node;
}

export const factNodes = (facts: readonly Fact[]): Fact[] => facts.map(factNode);
