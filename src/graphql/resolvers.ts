import { GraphQLScalarType } from 'graphql';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { Compare, CompareRow, Diff, DiffItem, Divergence, Fact, Provider, SearchHit } from '../domain/api.js';
import type { Change } from '../domain/seed.js';
import type { Timeline, TimelineEntry } from '../domain/timeline.js';
import { createFact, deleteFact, updateFact } from '../kb/admin.js';
import { ask } from '../kb/ask/index.js';
import { getTopic, requireProvider } from '../kb/catalog.js';
import { compare, diff } from '../kb/compare.js';
import { datasetInfo } from '../kb/dataset.js';
import { BadInputError } from '../kb/errors.js';
import { encodeCursor, getFact, listFacts } from '../kb/facts.js';
import type { Kb } from '../kb/kb.js';
import { search } from '../kb/search.js';
import type { DimensionRecord, Snapshot, TopicRecord } from '../kb/snapshot.js';
import { timeline } from '../kb/timeline.js';

/** A fact's key goes out as REST gives it (5, true, "coredns"); no argument takes one. */
const FactKeyScalar = new GraphQLScalarType({
  name: 'FactKey',
  serialize: (value) => value,
  parseValue: () => {
    throw new TypeError('FactKey is an output type');
  },
  parseLiteral: () => {
    throw new TypeError('FactKey is an output type');
  },
});

declare module 'mercurius' {
  interface MercuriusContext {
    /** The snapshot a request reads: one dataset version for the whole answer (a mutation moves it on). */
    snapshot: Snapshot;
  }
}

interface FactFilterInput {
  provider?: string | null;
  topic?: string | null;
  dimension?: string | null;
  tag?: string | null;
  status?: string[] | null;
  verifiedBefore?: string | null;
}

/** A compare (or ask) row as the graph serves it: the kb's row with its dimension's snapshot record. */
interface GraphRow extends Omit<CompareRow, 'dimension'> {
  dimension: DimensionRecord;
}

/** The kb names parameters as REST does; a GraphQL client should read the name of the argument it passed. */
function withArgumentNames<T>(names: Record<string, string>, run: () => T): T {
  try {
    return run();
  } catch (err) {
    const renamed = err instanceof BadInputError ? names[err.param] : undefined;
    if (err instanceof BadInputError && renamed) throw new BadInputError(renamed, err.detail);
    throw err;
  }
}

const orUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/**
 * Root fields call one kb function each and hand its answer on as it is; nested fields read the snapshot's
 * records and maps (a slug becomes its provider, topic or dimension by one `Map.get`), so no loader is needed.
 */
export function createResolvers(kb: Kb, adminCheck: (authorization: string | undefined) => string): IResolvers {
  /** The actor of a mutation: the same bearer check as the REST write routes (throws UNAUTHENTICATED/FORBIDDEN). */
  const actorOf = (context: MercuriusContext) => adminCheck(context.reply.request.headers.authorization);
  /** A null input field is an absent one, as an omitted JSON field is in REST. */
  const present = (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  /** The written fact's links resolve in the dataset version the write made. */
  const afterWrite = <T>(context: MercuriusContext, result: T): T => {
    context.snapshot = kb.snapshot();
    return result;
  };
  const provider = (ctx: MercuriusContext, slug: string | null): Provider | undefined =>
    slug === null ? undefined : ctx.snapshot.providerBySlug.get(slug);
  const topic = (ctx: MercuriusContext, slug: string | null): TopicRecord | undefined =>
    slug === null ? undefined : ctx.snapshot.topicBySlug.get(slug);
  const dimension = (ctx: MercuriusContext, topicSlug: string, slug: string | null): DimensionRecord | undefined =>
    slug === null ? undefined : ctx.snapshot.dimensionByKey.get(`${topicSlug}/${slug}`);
  const graphRow = (ctx: MercuriusContext, topicSlug: string, row: CompareRow): GraphRow[] => {
    const record = dimension(ctx, topicSlug, row.dimension.slug);
    return record ? [{ ...row, dimension: record }] : [];
  };

  return {
    Mutation: {
      createFact: (_root, { input }: { input: Record<string, unknown> }, context: MercuriusContext) =>
        afterWrite(context, createFact(kb, present(input), { actor: actorOf(context) })),
      updateFact: (_root, args: { id: string; ifMatch: string; patch: Record<string, unknown> }, context: MercuriusContext) =>
        afterWrite(context, updateFact(kb, args.id, present(args.patch), { actor: actorOf(context), ifMatch: args.ifMatch })),
      deleteFact: (_root, args: { id: string; ifMatch: string }, context: MercuriusContext) =>
        afterWrite(context, deleteFact(kb, args.id, { actor: actorOf(context), ifMatch: args.ifMatch })),
    },
    Query: {
      providers: (_root, _args, ctx: MercuriusContext) => ctx.snapshot.providers,
      topics: (_root, _args, ctx: MercuriusContext) => ctx.snapshot.topics,
      topic: (_root, { slug }: { slug: string }, ctx: MercuriusContext) => topic(ctx, getTopic(kb, slug).slug),
      facts: (_root, args: { filter?: FactFilterInput | null; first?: number | null; after?: string | null }) => {
        const filter = args.filter ?? {};
        const page = withArgumentNames(
          {
            provider: 'filter.provider',
            topic: 'filter.topic',
            dimension: 'filter.dimension',
            status: 'filter.status',
            verified_before: 'filter.verifiedBefore',
            limit: 'first',
            cursor: 'after',
          },
          () =>
            listFacts(kb, {
              provider: orUndefined(filter.provider),
              topic: orUndefined(filter.topic),
              dimension: orUndefined(filter.dimension),
              tag: orUndefined(filter.tag),
              status: filter.status == null ? undefined : filter.status.join(','),
              verified_before: orUndefined(filter.verifiedBefore),
              limit: orUndefined(args.first),
              cursor: orUndefined(args.after),
            }),
        );
        const edges = page.items.map((fact) => ({ cursor: encodeCursor(fact.id), node: fact }));
        return {
          edges,
          pageInfo: { hasNextPage: page.next !== null, endCursor: edges.at(-1)?.cursor ?? null },
          totalCount: page.total,
        };
      },
      fact: (_root, { id }: { id: string }) => getFact(kb, id),
      compare: (_root, args: { topic: string; providers?: string[] | null; dimensions?: string[] | null }) =>
        withArgumentNames({ dimension: 'dimensions' }, () =>
          compare(kb, args.topic, args.providers?.join(','), args.dimensions?.join(',')),
        ),
      diff: (_root, args: { from: string; to: string; topic?: string | null }) =>
        diff(kb, args.from, args.to, orUndefined(args.topic)),
      search: (_root, args: { q: string; provider?: string | null; topic?: string | null; first?: number | null }) =>
        withArgumentNames({ limit: 'first' }, () =>
          search(kb, {
            q: args.q,
            provider: orUndefined(args.provider),
            topic: orUndefined(args.topic),
            limit: orUndefined(args.first),
          }),
        ),
      ask: async (_root, { q }: { q: string }, ctx: MercuriusContext) => {
        const answer = ask(kb, q, 'full');
        const topics = (list: { slug: string }[]) => list.flatMap((t) => topic(ctx, t.slug) ?? []);
        return {
          ...answer,
          providers: answer.providers.flatMap((p) => provider(ctx, p) ?? []),
          topics: topics(answer.topics),
          suggestions: topics(answer.suggestions),
          // ask's rows name no topic: a row's topic is that of its facts (a row without facts is left out)
          matches: answer.matches.flatMap((row) => {
            const fact = Object.values(row.cells).find((cell) => cell.length > 0)?.[0];
            return fact ? graphRow(ctx, fact.topic, row) : [];
          }),
        };
      },
      timeline: (_root, args: { from?: string | null; to?: string | null; provider?: string | null; topic?: string | null }) =>
        timeline(kb, {
          from: orUndefined(args.from),
          to: orUndefined(args.to),
          provider: orUndefined(args.provider),
          topic: orUndefined(args.topic),
        }),
      dataset: () => {
        const d = datasetInfo(kb);
        return {
          version: d.version,
          seedHash: d.seed_hash,
          builtAt: d.built_at,
          revision: d.revision,
          counts: d.counts,
          staleness: {
            thresholdDays: d.staleness.threshold_days,
            staleFacts: d.staleness.stale_facts,
            oldestVerified: d.staleness.oldest_verified,
            stale: d.staleness.stale,
          },
          sourcesWatch: d.sources_watch,
        };
      },
    },
    // REST's snake_case names, camelCased (the one naming rule of the schema)
    Provider: {
      kubernetesService: (p: Provider) => p.kubernetes_service,
      kubernetesServiceShort: (p: Provider) => p.kubernetes_service_short,
    },
    Topic: {
      dimensionCount: (t: TopicRecord) => t.dimension_count,
      factCount: (t: TopicRecord) => t.fact_count,
    },
    Dimension: {
      compareBy: (d: DimensionRecord) => d.compare_by ?? null,
      topic: (d: DimensionRecord, _args, ctx: MercuriusContext) => topic(ctx, d.topic),
      facts: (d: DimensionRecord, args: { provider?: string | null }, ctx: MercuriusContext) =>
        args.provider == null
          ? ctx.snapshot.providers.flatMap((p) => d.cells[p.slug])
          : d.cells[requireProvider(ctx.snapshot, 'provider', args.provider)],
    },
    MigrationNote: {
      from: (m: Divergence['migration'][number], _args, ctx: MercuriusContext) => provider(ctx, m.from),
      to: (m: Divergence['migration'][number], _args, ctx: MercuriusContext) => provider(ctx, m.to),
    },
    Fact: {
      provider: (f: Fact, _args, ctx: MercuriusContext) => provider(ctx, f.provider),
      topic: (f: Fact, _args, ctx: MercuriusContext) => topic(ctx, f.topic),
      dimension: (f: Fact, _args, ctx: MercuriusContext) => dimension(ctx, f.topic, f.dimension),
      changes: (f: Fact) => f.changes ?? [],
    },
    Change: {
      replacedBy: (c: Change) => c.replaced_by ?? null,
    },
    FactKey: FactKeyScalar,
    Compare: {
      topic: (c: Compare, _args, ctx: MercuriusContext) => topic(ctx, c.topic.slug),
      providers: (c: Compare, _args, ctx: MercuriusContext) => c.providers.map((p) => provider(ctx, p)),
      rows: (c: Compare, _args, ctx: MercuriusContext) => c.rows.flatMap((row) => graphRow(ctx, c.topic.slug, row)),
    },
    CompareRow: {
      // REST's cells are a map in provider order; the graph's are a list in the same order
      cells: (r: GraphRow) => Object.entries(r.cells).map(([slug, facts]) => ({ slug, facts })),
      groups: (r: GraphRow, _args, ctx: MercuriusContext) => r.groups?.map((g) => g.map((p) => provider(ctx, p))) ?? null,
    },
    Cell: {
      provider: (c: { slug: string }, _args, ctx: MercuriusContext) => provider(ctx, c.slug),
    },
    Diff: {
      from: (d: Diff, _args, ctx: MercuriusContext) => provider(ctx, d.from),
      to: (d: Diff, _args, ctx: MercuriusContext) => provider(ctx, d.to),
      topic: (d: Diff, _args, ctx: MercuriusContext) => topic(ctx, d.topic),
    },
    DiffItem: {
      topic: (i: DiffItem, _args, ctx: MercuriusContext) => topic(ctx, i.topic.slug),
      dimension: (i: DiffItem, _args, ctx: MercuriusContext) => dimension(ctx, i.topic.slug, i.dimension.slug),
    },
    Timeline: {
      byVersion: (t: Timeline) => t.by_version,
    },
    TimelineEntry: {
      replacedBy: (e: TimelineEntry) => e.replaced_by ?? null,
      // the graph's fact is the whole fact, and its sources carry their checked dates
      fact: (e: TimelineEntry, _args, ctx: MercuriusContext) => ctx.snapshot.factById.get(e.fact.id),
      sources: (e: TimelineEntry, _args, ctx: MercuriusContext) => ctx.snapshot.factById.get(e.fact.id)?.sources ?? [],
    },
    SearchHit: {
      provider: (h: SearchHit, _args, ctx: MercuriusContext) => provider(ctx, h.provider),
      topic: (h: SearchHit, _args, ctx: MercuriusContext) => topic(ctx, h.topic),
      dimension: (h: SearchHit, _args, ctx: MercuriusContext) => dimension(ctx, h.topic, h.dimension),
      fact: (h: SearchHit) => h.fact ?? null,
    },
  };
}
