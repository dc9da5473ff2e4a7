import type { Loader } from 'mercurius';
import type { Fact } from '../domain/api.js';
import type { ProviderSlug } from '../domain/seed.js';
import {
  dimensionsByKeys,
  dimensionsOfTopics,
  divergencesByKeys,
  factsOfDimensions,
  providersBySlugs,
  sourcesOfFacts,
  topicsBySlugs,
} from '../kb/batch.js';
import { requireProvider } from '../kb/catalog.js';
import { getFactsByIds } from '../kb/facts.js';
import type { Kb } from '../kb/kb.js';
import {
  type CellNode,
  type CompareNode,
  type DiffItemNode,
  type DiffNode,
  factNode,
  factNodes,
  type RowNode,
  type SearchHitNode,
} from './nodes.js';

/**
 * Every field that leads from one object to another resolves here, through Mercurius loaders: the resolvers
 * of one level of a query are collected in one batch (one call per field, whatever the number of parents)
 * and answered by one function of src/kb/batch.ts. Mercurius caches each loader's answers for the request.
 *
 * Loader keys are Mercurius' serialization of the parent object, so parents that reach a loader are kept
 * small: references (slugs, keys) rather than nested facts (see nodes.ts).
 */

type Query<T, P = Record<string, unknown>> = { obj: T; params: P };
type BatchLoader<T> = (queries: Query<T>[]) => Promise<unknown[]>;

/** A loader answering one key per parent with a batch function of the knowledge layer. */
function byKey<T, R>(key: (obj: T) => string, batch: (keys: string[]) => R[]): BatchLoader<T> {
  return async (queries: Query<T>[]) => batch(queries.map((q) => key(q.obj)));
}

/** A loader over parents that name providers by slug (a list per parent when `key` answers one). */
function providersOf<T>(kb: Kb, key: (obj: T) => string | readonly string[]): BatchLoader<T> {
  return async (queries: Query<T>[]) => {
    const keys = queries.map((q) => key(q.obj));
    const flat = providersBySlugs(
      kb,
      keys.flatMap((k) => (typeof k === 'string' ? [k] : k)),
    );
    let i = 0;
    return keys.map((k) => (typeof k === 'string' ? flat[i++] : k.map(() => flat[i++])));
  };
}

/** The facts of (dimension key, providers) pairs, grouped by provider set so each group is one batch call. */
function factsOf<T, P>(kb: Kb, key: (obj: T) => string, providers: (q: Query<T, P>) => readonly ProviderSlug[] | undefined) {
  return async (queries: Query<T, P>[]): Promise<(Fact[] | Error)[]> => {
    const answers: (Fact[] | Error)[] = new Array(queries.length);
    const groups = new Map<string, { providers: readonly ProviderSlug[] | undefined; at: number[] }>();
    queries.forEach((q, at) => {
      let wanted: readonly ProviderSlug[] | undefined;
      try {
        wanted = providers(q);
      } catch (err) {
        // a bad argument fails only the fields that passed it
        answers[at] = err as Error;
        return;
      }
      const id = wanted?.join(',') ?? '*';
      const group = groups.get(id) ?? { providers: wanted, at: [] };
      group.at.push(at);
      groups.set(id, group);
    });
    for (const group of groups.values()) {
      const facts = factsOfDimensions(
        kb,
        group.at.map((at) => key((queries[at] as Query<T, P>).obj)),
        group.providers,
      );
      group.at.forEach((at, i) => {
        answers[at] = factNodes(facts[i] as Fact[]);
      });
    }
    return answers;
  };
}

export function createLoaders(kb: Kb) {
  const topics = <T>(key: (obj: T) => string) => byKey(key, (slugs) => topicsBySlugs(kb, slugs));
  const dimensions = <T>(key: (obj: T) => string) => byKey(key, (keys) => dimensionsByKeys(kb, keys));
  const divergences = <T>(key: (obj: T) => string) => byKey(key, (keys) => divergencesByKeys(kb, keys));
  return {
    Topic: {
      dimensions: byKey(
        (t: { slug: string }) => t.slug,
        (slugs) => dimensionsOfTopics(kb, slugs),
      ),
    },
    Dimension: {
      topic: topics((d: { topic: string }) => d.topic),
      divergence: divergences((d: { key: string }) => d.key),
      facts: factsOf(
        kb,
        (d: { key: string }) => d.key,
        (q: Query<unknown, { provider?: string | null }>) =>
          q.params.provider == null ? undefined : [requireProvider(kb.snapshot(), 'provider', q.params.provider)],
      ),
    },
    MigrationNote: {
      from: providersOf(kb, (m: { from: string }) => m.from),
      to: providersOf(kb, (m: { to: string }) => m.to),
    },
    Fact: {
      provider: providersOf(kb, (f: Fact) => f.provider),
      topic: topics((f: Fact) => f.topic),
      dimension: dimensions((f: Fact) => `${f.topic}/${f.dimension}`),
      sources: byKey(
        (f: Fact) => f.id,
        (ids) => sourcesOfFacts(kb, ids),
      ),
    },
    Compare: {
      topic: topics((c: CompareNode) => c.topic),
      providers: providersOf(kb, (c: CompareNode) => c.providers),
    },
    CompareRow: {
      dimension: dimensions((r: RowNode) => r.key),
      divergence: divergences((r: RowNode) => r.key),
      cells: async (queries: Query<RowNode>[]): Promise<CellNode[][]> =>
        queries.map(({ obj }) => obj.providers.map((provider) => ({ provider, key: obj.key }))),
    },
    Cell: {
      provider: providersOf(kb, (c: CellNode) => c.provider),
      facts: factsOf(
        kb,
        (c: CellNode) => c.key,
        (q: Query<CellNode>) => [q.obj.provider],
      ),
    },
    Diff: {
      from: providersOf(kb, (d: DiffNode) => d.from),
      to: providersOf(kb, (d: DiffNode) => d.to),
      topic: topics((d: DiffNode) => d.topic ?? ''),
    },
    DiffItem: {
      topic: topics((i: DiffItemNode) => i.topic),
      dimension: dimensions((i: DiffItemNode) => i.key),
      from: factsOf(
        kb,
        (i: DiffItemNode) => i.key,
        (q: Query<DiffItemNode>) => [q.obj.from],
      ),
      to: factsOf(
        kb,
        (i: DiffItemNode) => i.key,
        (q: Query<DiffItemNode>) => [q.obj.to],
      ),
    },
    SearchHit: {
      provider: providersOf(kb, (h: SearchHitNode) => h.provider ?? ''),
      topic: topics((h: SearchHitNode) => h.topic),
      dimension: dimensions((h: SearchHitNode) => (h.dimension === null ? '' : `${h.topic}/${h.dimension}`)),
      fact: byKey(
        (h: SearchHitNode) => (h.kind === 'fact' ? h.id : ''),
        (ids) => getFactsByIds(kb, ids).map((f) => f && factNode(f)),
      ),
    },
  } satisfies Record<string, Record<string, Loader>>;
}

export type Loaders = ReturnType<typeof createLoaders>;
