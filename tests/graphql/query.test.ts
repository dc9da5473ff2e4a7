import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';
import { gql } from './client.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const rest = async (url: string) => (await app.inject({ method: 'GET', url })).json();

const FACT_FIELDS = `id provider { slug } topic { slug } dimension { slug } variant default value status details
  sources { url title checked } verified confidence tags`;

/** A GraphQL fact in the REST shape: the linked objects back to their slugs, no variant when null. */
function asRestFact(f: Record<string, unknown>) {
  const { provider, topic, dimension, variant, ...rest } = f as Record<string, { slug: string } | string | null>;
  return {
    ...rest,
    provider: (provider as { slug: string }).slug,
    topic: (topic as { slug: string }).slug,
    dimension: (dimension as { slug: string }).slug,
    ...(variant ? { variant } : {}),
  };
}

describe('GraphQL Query.providers and Query.topics', () => {
  it('answers the REST providers with camelCased field names', async () => {
    const { status, body } = await gql(app, '{ providers { slug name kubernetesService kubernetesServiceShort aliases } }');
    expect(status).toBe(200);
    const expected = (await rest('/v1/providers')).items.map((p: Record<string, unknown>) => ({
      slug: p.slug,
      name: p.name,
      kubernetesService: p.kubernetes_service,
      kubernetesServiceShort: p.kubernetes_service_short,
      aliases: p.aliases,
    }));
    expect(body).toEqual({ data: { providers: expected } });
  });

  it('answers each topic with its dimensions, and each dimension links back to its topic', async () => {
    const { body } = await gql(app, '{ topics { slug dimensionCount factCount dimensions { key slug topic { slug } } } }');
    const topics = body.data?.topics as {
      slug: string;
      dimensionCount: number;
      dimensions: { key: string; slug: string; topic: { slug: string } }[];
    }[];
    expect(topics.map((t) => t.slug)).toEqual((await rest('/v1/topics')).items.map((t: { slug: string }) => t.slug));
    for (const t of topics) {
      const restTopic = await rest(`/v1/topics/${t.slug}`);
      expect(t.dimensionCount).toBe(restTopic.dimension_count);
      expect(t.dimensions.map((d) => d.slug)).toEqual(restTopic.dimensions.map((d: { slug: string }) => d.slug));
      for (const d of t.dimensions) {
        expect(d.topic.slug).toBe(t.slug);
        expect(d.key).toBe(`${t.slug}/${d.slug}`);
      }
    }
  });

  it("answers Dimension.facts(provider) with one provider's facts, an alias naming it as well as its slug", async () => {
    const { body } = await gql(
      app,
      '{ topic(slug: "dns") { dimensions { key all: facts { id } gke: facts(provider: "gke") { id provider { slug } } } } }',
    );
    const topic = body.data?.topic as { dimensions: { key: string; all: { id: string }[]; gke: { id: string }[] }[] };
    const compare = await rest('/v1/compare?topic=dns');
    expect(topic.dimensions).toHaveLength(compare.rows.length);
    for (const d of topic.dimensions) {
      const row = compare.rows.find((r: { dimension: { slug: string } }) => `dns/${r.dimension.slug}` === d.key);
      expect(d.gke).toEqual(row.cells.gcp.map((f: { id: string }) => ({ id: f.id, provider: { slug: 'gcp' } })));
      expect(d.all.map((f) => f.id)).toEqual(
        ['aws', 'azure', 'gcp'].flatMap((p) => row.cells[p].map((f: { id: string }) => f.id)),
      );
    }
  });

  it('fails only the fields that passed a bad argument, naming it', async () => {
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

  it('answers topic(slug) with the divergence and baseline of every dimension, as GET /v1/topics/{slug}', async () => {
    const { body } = await gql(
      app,
      `{ topic(slug: "dns") { slug title summary aliases dimensions { slug title question baseline keywords
        compareBy unit values divergence { summary severity example migration { direction from { slug } to { slug } note } } } } }`,
    );
    const expected = await rest('/v1/topics/dns');
    const topic = body.data?.topic as { dimensions: Record<string, unknown>[] };
    expect(topic.dimensions).toEqual(
      expected.dimensions.map(
        ({
          topic: _topic,
          divergence,
          compare_by,
          unit,
          values,
          ...d
        }: {
          topic: string;
          compare_by?: string;
          unit?: string;
          values?: string[];
          divergence: { migration: Record<string, unknown>[] };
        }) => ({
          ...d,
          compareBy: compare_by ?? null,
          unit: unit ?? null,
          values: values ?? null,
          divergence: {
            ...divergence,
            migration: divergence.migration.map((m) => ({ ...m, from: { slug: m.from }, to: { slug: m.to } })),
          },
        }),
      ),
    );
  });

  it('answers topic(slug) for an unknown slug with null and a NOT_FOUND error listing the topics', async () => {
    const { status, body } = await gql(app, '{ topic(slug: "nope") { slug } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ topic: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'topic "nope" not found; topics are: dns, load-balancing',
        path: ['topic'],
        extensions: { code: 'NOT_FOUND' },
      }),
    ]);
  });
});

describe('GraphQL Query.facts', () => {
  it('pages through every fact in REST order, first/after as a Relay connection', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await gql(
        app,
        'query($after: String) { facts(first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page = body.data?.facts as {
        totalCount: number;
        edges: { cursor: string; node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      expect(page.totalCount).toBe(10);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      ids.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(ids).toEqual((await rest('/v1/facts?limit=200')).items.map((f: { id: string }) => f.id));
  });

  it('filters like GET /v1/facts and counts the matches over all pages', async () => {
    const { body } = await gql(
      app,
      '{ facts(filter: { provider: "gke", topic: "dns" }, first: 1) { totalCount edges { node { id } } } }',
    );
    const expected = (await rest('/v1/facts?provider=gke&topic=dns')).items.map((f: { id: string }) => f.id);
    expect(body.data?.facts).toEqual({ totalCount: expected.length, edges: [{ node: { id: expected[0] } }] });
  });

  it('names the filter field of an unknown provider', async () => {
    const { body } = await gql(app, '{ facts(filter: { provider: "oracle" }) { totalCount } }');
    expect(body.data).toEqual({ facts: null });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.provider' });
    expect(body.errors?.[0]?.message).toContain('unknown provider "oracle"');
  });

  it('names after when the cursor is not one it issued', async () => {
    const { body } = await gql(app, '{ facts(after: "garbage") { totalCount } }');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('GraphQL Query.fact', () => {
  it('answers every field of a fact as GET /v1/facts/{id} does', async () => {
    const id = 'gcp/dns/cluster-dns-server#cloud-dns-for-gke';
    const { body } = await gql(app, `query($id: ID!) { fact(id: $id) { ${FACT_FIELDS} } }`, { id });
    // `applies` is not in the GraphQL schema yet
    const { applies: _applies, ...restFact } = await rest(`/v1/facts/${encodeURIComponent(id)}`);
    expect(asRestFact(body.data?.fact as Record<string, unknown>)).toEqual(restFact);
  });

  it('answers an unknown id with null and a NOT_FOUND error with the message of the REST 404', async () => {
    const { status, body } = await gql(app, '{ fact(id: "gcp/dns/cluster-dns-server") { id } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ fact: null });
    const restError = await rest(`/v1/facts/${encodeURIComponent('gcp/dns/cluster-dns-server')}`);
    expect(restError.statusCode).toBe(404);
    expect(body.errors).toEqual([
      { message: restError.message, locations: [{ line: 1, column: 3 }], path: ['fact'], extensions: { code: 'NOT_FOUND' } },
    ]);
    expect(restError.message).toContain('gcp/dns/cluster-dns-server#kube-dns?');
  });
});

describe('GraphQL Query.compare', () => {
  it('answers the matrix as a list of cells per row', async () => {
    const { status, body } = await gql(
      app,
      `{ compare(topic: "dns", providers: ["eks", "gcp"]) {
          topic { slug } providers { slug } dataset { version }
          rows { dimension { key } differs groups { slug } divergence { severity } cells { provider { slug } facts { id default } } } } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        compare: {
          topic: { slug: 'dns' },
          providers: [{ slug: 'aws' }, { slug: 'gcp' }],
          dataset: { version: (await rest('/v1/dataset')).version },
          rows: [
            {
              dimension: { key: 'dns/cluster-dns-server' },
              differs: null,
              groups: null,
              divergence: { severity: 'medium' },
              cells: [
                { provider: { slug: 'aws' }, facts: [{ id: 'aws/dns/cluster-dns-server', default: true }] },
                {
                  provider: { slug: 'gcp' },
                  facts: [
                    { id: 'gcp/dns/cluster-dns-server#kube-dns', default: true },
                    { id: 'gcp/dns/cluster-dns-server#cloud-dns-for-gke', default: false },
                  ],
                },
              ],
            },
            {
              dimension: { key: 'dns/ndots' },
              differs: false,
              groups: [[{ slug: 'aws' }, { slug: 'gcp' }]],
              divergence: { severity: 'low' },
              cells: [
                { provider: { slug: 'aws' }, facts: [{ id: 'aws/dns/ndots', default: true }] },
                { provider: { slug: 'gcp' }, facts: [{ id: 'gcp/dns/ndots', default: true }] },
              ],
            },
          ],
        },
      },
    });
  });

  it('answers an unknown provider with BAD_USER_INPUT naming providers and the provider', async () => {
    const { status, body } = await gql(app, '{ compare(topic: "dns", providers: ["aws", "oracle"]) { rows { differs } } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ compare: null });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'providers' });
    expect(body.errors?.[0]?.message).toContain('"oracle"');
  });

  it('answers an unknown topic with BAD_USER_INPUT naming the topic and listing the valid ones', async () => {
    const { body } = await gql(app, '{ compare(topic: "nope") { rows { differs } } }');
    expect(body.errors?.[0]).toMatchObject({
      message: 'topic: unknown topic "nope"; use one of dns, load-balancing',
      extensions: { code: 'BAD_USER_INPUT', argument: 'topic' },
    });
  });
});

describe('GraphQL Query.diff, Query.search and Query.dataset', () => {
  it('answers diff with the items, severities and facts of GET /v1/diff, in its order', async () => {
    const { body } = await gql(
      app,
      `{ diff(from: "aws", to: "gke") { from { slug } to { slug } topic { slug } counts { critical high medium low }
          items { topic { slug } dimension { slug } severity summary example from { id } to { id } migration } } }`,
    );
    const expected = await rest('/v1/diff?from=aws&to=gke');
    const ids = (facts: { id: string }[]) => facts.map((f) => ({ id: f.id }));
    expect(body.data?.diff).toEqual({
      from: { slug: 'aws' },
      to: { slug: 'gcp' },
      topic: null,
      counts: expected.counts,
      items: expected.items.map((i: Record<string, unknown> & { topic: { slug: string }; dimension: { slug: string } }) => ({
        topic: { slug: i.topic.slug },
        dimension: { slug: i.dimension.slug },
        severity: i.severity,
        summary: i.summary,
        example: i.example,
        from: ids(i.from as { id: string }[]),
        to: ids(i.to as { id: string }[]),
        migration: i.migration,
      })),
    });
  });

  it('answers diff from a provider to itself with BAD_USER_INPUT naming to', async () => {
    const { body } = await gql(app, '{ diff(from: "aws", to: "eks") { items { severity } } }');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'to' });
  });

  it('answers search with the hits of GET /v1/search, the fact of a fact hit linked', async () => {
    const { body } = await gql(
      app,
      '{ search(q: "coredns", first: 5) { query items { kind id snippet score provider { slug } topic { slug } dimension { slug } fact { id } } } }',
    );
    const expected = await rest('/v1/search?q=coredns&limit=5');
    expect(body.data?.search).toEqual({
      query: 'coredns',
      items: expected.items.map((h: Record<string, string | number | null>) => ({
        kind: h.kind,
        id: h.id,
        snippet: h.snippet,
        score: h.score,
        provider: h.provider ? { slug: h.provider } : null,
        topic: { slug: h.topic },
        dimension: h.dimension ? { slug: h.dimension } : null,
        fact: h.kind === 'fact' ? { id: h.id } : null,
      })),
    });
    expect(expected.items.length).toBeGreaterThan(1);
  });

  it('answers dataset with the counts and staleness of GET /v1/dataset', async () => {
    const { body } = await gql(
      app,
      '{ dataset { version seedHash builtAt revision counts { providers topics dimensions facts sources } staleness { thresholdDays staleFacts oldestVerified stale { id verified } } } }',
    );
    const d = await rest('/v1/dataset');
    expect(body.data?.dataset).toEqual({
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
    });
  });
});
