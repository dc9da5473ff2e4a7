import type { IResolvers, MercuriusContext } from 'mercurius';
import type { WriteResult } from '../domain/admin.js';
import type { Provider, TopicSummary } from '../domain/api.js';
import { createFact, deleteFact, updateFact } from '../kb/admin.js';
import { ask } from '../kb/ask/index.js';
import { getTopic, listProviders, listTopics } from '../kb/catalog.js';
import { compare, diff } from '../kb/compare.js';
import { datasetInfo } from '../kb/dataset.js';
import { BadInputError } from '../kb/errors.js';
import { encodeCursor, getFact, listFacts } from '../kb/facts.js';
import { search } from '../kb/search.js';
import type { Kb } from '../kb/snapshot.js';
import { askRowNodes, compareNode, diffNode, factNode, searchHitNode } from './nodes.js';

interface FactFilterInput {
  provider?: string | null;
  topic?: string | null;
  dimension?: string | null;
  tag?: string | null;
  verifiedBefore?: string | null;
}

/** The kb names parameters as REST does; a GraphQL client should read the name of the argument it passed. */
function withArgumentNames<T>(names: Record<string, string>, run: () => T): T {
  try {
    return run();
  } catch (err) {
    const renamed = err instanceof BadInputError ? names[err.param] : undefined;
    if (err instanceof BadInputError && renamed) {
      throw new BadInputError(renamed, err.message.slice(err.param.length + 2));
    }
    throw err;
  }
}

const orUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/** Root fields call one kb function each; every nested object is a loader's job (loaders.ts). */
export function createResolvers(kb: Kb, adminCheck: (authorization: string | undefined) => string): IResolvers {
  /** The actor of a mutation: the same bearer check as the REST write routes (throws UNAUTHENTICATED/FORBIDDEN). */
  const actorOf = (context: MercuriusContext) => adminCheck(context.reply.request.headers.authorization);
  /** A null input field is an absent one, as an omitted JSON field is in REST. */
  const present = (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const written = (w: WriteResult) => ({ ...w, fact: factNode(w.fact) });
  return {
    Mutation: {
      createFact: (_root, { input }: { input: Record<string, unknown> }, context: MercuriusContext) =>
        written(createFact(kb, present(input), { actor: actorOf(context) })),
      updateFact: (_root, args: { id: string; ifMatch: string; patch: Record<string, unknown> }, context: MercuriusContext) =>
        written(updateFact(kb, args.id, present(args.patch), { actor: actorOf(context), ifMatch: args.ifMatch })),
      deleteFact: (_root, args: { id: string; ifMatch: string }, context: MercuriusContext) =>
        deleteFact(kb, args.id, { actor: actorOf(context), ifMatch: args.ifMatch }),
    },
    Query: {
      providers: () => listProviders(kb),
      topics: () => listTopics(kb),
      topic: (_root, { slug }: { slug: string }): TopicSummary => {
        const { dimensions: _dimensions, ...topic } = getTopic(kb, slug);
        return topic;
      },
      facts: (_root, args: { filter?: FactFilterInput | null; first?: number | null; after?: string | null }) => {
        const filter = args.filter ?? {};
        const page = withArgumentNames(
          {
            provider: 'filter.provider',
            topic: 'filter.topic',
            dimension: 'filter.dimension',
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
              verified_before: orUndefined(filter.verifiedBefore),
              limit: orUndefined(args.first),
              cursor: orUndefined(args.after),
            }),
        );
        const edges = page.items.map((fact) => ({ cursor: encodeCursor(fact.id), node: factNode(fact) }));
        return {
          edges,
          pageInfo: { hasNextPage: page.next !== null, endCursor: edges.at(-1)?.cursor ?? null },
          totalCount: page.total,
        };
      },
      fact: (_root, { id }: { id: string }) => factNode(getFact(kb, id)),
      compare: (_root, args: { topic: string; providers?: string[] | null }) =>
        compareNode(compare(kb, args.topic, args.providers?.join(','))),
      diff: (_root, args: { from: string; to: string; topic?: string | null }) =>
        diffNode(diff(kb, args.from, args.to, orUndefined(args.topic))),
      search: (_root, args: { q: string; provider?: string | null; topic?: string | null; first?: number | null }) => {
        const result = withArgumentNames({ limit: 'first' }, () =>
          search(kb, {
            q: args.q,
            provider: orUndefined(args.provider),
            topic: orUndefined(args.topic),
            limit: orUndefined(args.first),
          }),
        );
        return { ...result, items: result.items.map(searchHitNode) };
      },
      ask: async (_root, { q }: { q: string }) => {
        const answer = ask(kb, q);
        const topics = new Map(listTopics(kb).map((t) => [t.slug, t]));
        const pick = (list: { slug: string }[]) => list.flatMap((t) => topics.get(t.slug) ?? []);
        const providers = new Map(listProviders(kb).map((p) => [p.slug, p]));
        return {
          ...answer,
          providers: answer.providers.flatMap((p) => providers.get(p) ?? []),
          topics: pick(answer.topics),
          suggestions: pick(answer.suggestions),
          matches: askRowNodes(answer.matches),
        };
      },
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
        };
      },
    },
    // REST's snake_case names, camelCased (the one naming rule of the schema)
    Provider: {
      kubernetesService: (p: Provider) => p.kubernetes_service,
      kubernetesServiceShort: (p: Provider) => p.kubernetes_service_short,
    },
    Topic: {
      dimensionCount: (t: TopicSummary) => t.dimension_count,
      factCount: (t: TopicSummary) => t.fact_count,
    },
  };
}
