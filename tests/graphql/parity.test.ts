import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, REAL_SEED, seededDb } from '../helpers/app.js';
import { gql } from './client.js';

// Every topic of the real seed, each compared through both interfaces.
let app: FastifyInstance;
let topics: string[] = [];
beforeAll(async () => {
  app = await fixtureApp({}, seededDb(REAL_SEED));
  topics = (await app.inject({ method: 'GET', url: '/v1/topics' })).json().items.map((t: { slug: string }) => t.slug);
});
afterAll(async () => {
  await app.close();
});

const COMPARE = `query($topic: String!, $providers: [String!]) {
  compare(topic: $topic, providers: $providers) {
    topic { slug } providers { slug }
    rows { dimension { slug } differs divergence { severity } cells { provider { slug } facts { id } } }
  }
}`;

interface GqlCompare {
  topic: { slug: string };
  providers: { slug: string }[];
  rows: {
    dimension: { slug: string };
    differs: boolean;
    divergence: { severity: string };
    cells: { provider: { slug: string }; facts: { id: string }[] }[];
  }[];
}

interface RestCompare {
  topic: { slug: string };
  providers: string[];
  rows: {
    dimension: { slug: string };
    differs: boolean;
    divergence: { severity: string };
    cells: Record<string, { id: string }[]>;
  }[];
}

/** REST's compare in the GraphQL shape: cells as a list in provider order, facts by id. */
function restAsGraph(rest: RestCompare): GqlCompare {
  return {
    topic: { slug: rest.topic.slug },
    providers: rest.providers.map((slug) => ({ slug })),
    rows: rest.rows.map((r) => ({
      dimension: { slug: r.dimension.slug },
      differs: r.differs,
      divergence: { severity: r.divergence.severity },
      cells: rest.providers.map((p) => ({ provider: { slug: p }, facts: (r.cells[p] ?? []).map((f) => ({ id: f.id })) })),
    })),
  };
}

describe('GraphQL compare over the real seed', () => {
  it.for([{ providers: undefined }, { providers: ['aws', 'gcp'] }, { providers: ['azure'] }])(
    'answers the dimensions, order, differs and fact ids of GET /v1/compare for every topic (providers $providers)',
    async ({ providers }) => {
      expect(topics.length, 'topics of the real seed').toBeGreaterThan(0);
      for (const topic of topics) {
        const query = providers ? `&providers=${providers.join(',')}` : '';
        const rest = await app.inject({ method: 'GET', url: `/v1/compare?topic=${topic}${query}` });
        expect(rest.statusCode).toBe(200);
        const { status, body } = await gql(app, COMPARE, { topic, ...(providers ? { providers } : {}) });
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        const graph = body.data?.compare as GqlCompare;
        expect(graph.rows.length).toBeGreaterThan(0);
        expect(graph).toEqual(restAsGraph(rest.json()));
      }
    },
  );

  it('answers the same through Topic.dimensions and Dimension.facts as through compare', async () => {
    expect(topics.length, 'topics of the real seed').toBeGreaterThan(0);
    const { body } = await gql(app, '{ topics { slug dimensions { slug facts { id } } } }');
    const graph = body.data?.topics as { slug: string; dimensions: { slug: string; facts: { id: string }[] }[] }[];
    expect(graph.map((t) => t.slug)).toEqual(topics);
    for (const t of graph) {
      const rest: RestCompare = (await app.inject({ method: 'GET', url: `/v1/compare?topic=${t.slug}` })).json();
      expect(t.dimensions).toEqual(
        rest.rows.map((r) => ({
          slug: r.dimension.slug,
          facts: rest.providers.flatMap((p) => (r.cells[p] ?? []).map((f) => ({ id: f.id }))),
        })),
      );
    }
  });
});
