import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixtureApp } from '../helpers/app.js';
import { gql } from './client.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Queries = { obj: Record<string, unknown>; params: Record<string, unknown> }[];
const received = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => call[0] as Queries);

describe('GraphQL loaders', () => {
  it('resolves each nested level in one batch, whatever the number of parents', async () => {
    const dimensions = vi.spyOn(app.graphqlLoaders.Topic, 'dimensions');
    const facts = vi.spyOn(app.graphqlLoaders.Dimension, 'facts');
    const providers = vi.spyOn(app.graphqlLoaders.Fact, 'provider');
    const sources = vi.spyOn(app.graphqlLoaders.Fact, 'sources');

    const { body } = await gql(app, '{ topics { dimensions { facts { id provider { slug } sources { url } } } } }');
    const topics = body.data?.topics as { dimensions: { facts: { id: string; provider: { slug: string } }[] }[] }[];
    const factIds = topics.flatMap((t) => t.dimensions.flatMap((d) => d.facts.map((f) => f.id)));
    expect(factIds).toHaveLength(10);

    // one call per field, each carrying every parent of its level
    expect(received(dimensions).map((batch) => batch.map((q) => q.obj.slug))).toEqual([['dns', 'load-balancing']]);
    expect(received(facts).map((batch) => batch.map((q) => q.obj.key))).toEqual([
      ['dns/cluster-dns-server', 'dns/ndots', 'load-balancing/default-lb-for-service'],
    ]);
    expect(received(providers).map((batch) => batch.map((q) => q.obj.id))).toEqual([factIds]);
    expect(received(sources).map((batch) => batch.map((q) => q.obj.id))).toEqual([factIds]);
    for (const t of topics)
      for (const d of t.dimensions) for (const f of d.facts) expect(f.id.startsWith(`${f.provider.slug}/`)).toBe(true);
  });

  it('batches the cells of a whole compare matrix into one call for providers and one for facts', async () => {
    const cellProviders = vi.spyOn(app.graphqlLoaders.Cell, 'provider');
    const cellFacts = vi.spyOn(app.graphqlLoaders.Cell, 'facts');
    const factDimensions = vi.spyOn(app.graphqlLoaders.Fact, 'dimension');

    await gql(app, '{ compare(topic: "dns") { rows { cells { provider { slug } facts { dimension { slug } } } } } }');

    expect(received(cellProviders).map((b) => b.length)).toEqual([6]); // 2 dimensions x 3 providers
    expect(received(cellFacts).map((b) => b.map((q) => `${q.obj.key}@${q.obj.provider}`))).toEqual([
      [
        'dns/cluster-dns-server@aws',
        'dns/cluster-dns-server@azure',
        'dns/cluster-dns-server@gcp',
        'dns/ndots@aws',
        'dns/ndots@azure',
        'dns/ndots@gcp',
      ],
    ]);
    expect(received(factDimensions).map((b) => b.length)).toEqual([7]); // the 7 DNS facts
  });

  it('answers the same question once per request, and again in the next request', async () => {
    const dimensions = vi.spyOn(app.graphqlLoaders.Topic, 'dimensions');
    const query = '{ a: topic(slug: "dns") { dimensions { slug } } b: topic(slug: "dns") { dimensions { title } } }';

    await gql(app, query);
    expect(received(dimensions).map((b) => b.map((q) => q.obj.slug))).toEqual([['dns']]);

    // a fresh answer (the response cache bypassed) runs the loaders again: their cache lives one request
    await gql(app, query, undefined, { 'cache-control': 'no-cache' });
    expect(dimensions).toHaveBeenCalledTimes(2);
  });

  it('answers a repeated query from the response cache of the dataset version, without running resolvers', async () => {
    const dimensions = vi.spyOn(app.graphqlLoaders.Topic, 'dimensions');
    const query = '{ topic(slug: "load-balancing") { dimensions { slug title } } }';
    const first = await gql(app, query);
    const second = await gql(app, query);
    expect(second).toEqual(first);
    expect(dimensions).toHaveBeenCalledTimes(1);
    // an answer with errors is never kept
    const bad = '{ topic(slug: "nope") { slug } }';
    await gql(app, bad);
    expect((await gql(app, bad)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('fails only the fields that passed a bad argument to a batched field', async () => {
    const { status, body } = await gql(
      app,
      '{ providers { slug } topic(slug: "dns") { dimensions { facts(provider: "oracle") { id } } } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ providers: [{ slug: 'aws' }, { slug: 'azure' }, { slug: 'gcp' }], topic: null });
    expect(body.errors?.[0]).toMatchObject({
      path: ['topic', 'dimensions', 0, 'facts'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'provider' },
    });
  });
});
