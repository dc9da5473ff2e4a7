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

describe('Query.ask', () => {
  it('answers like GET /v1/ask, with rows and providers resolved as graph objects', async () => {
    const q = 'which DNS server do pods use on GKE?';
    const rest = (await app.inject({ method: 'GET', url: `/v1/ask?q=${encodeURIComponent(q)}` })).json();
    const { status, body } = await gql(
      app,
      `query($q: String!) { ask(q: $q) { question answer providers { slug } topics { slug title }
        matches { dimension { slug topic { slug } } differs cells { provider { slug } facts { id } } }
        citations { url } suggestions { slug } dataset { version } } }`,
      { q },
    );
    expect(status).toBe(200);
    const answer = body.data?.ask as Record<string, unknown> & {
      matches: { dimension: { slug: string }; cells: { provider: { slug: string }; facts: { id: string }[] }[] }[];
    };
    expect(answer.answer).toBe(rest.answer);
    expect(answer.providers).toEqual(rest.providers.map((slug: string) => ({ slug })));
    expect(answer.topics).toEqual(rest.topics);
    expect(answer.citations).toEqual(rest.citations.map((c: { url: string }) => ({ url: c.url })));
    expect(answer.matches.map((m) => m.dimension.slug)).toEqual(
      rest.matches.map((m: { dimension: { slug: string } }) => m.dimension.slug),
    );
    const restCells = rest.matches[0].cells as Record<string, { id: string }[]>;
    // a list in GraphQL, with the asked provider first; a map keyed by provider in REST
    expect(answer.matches[0]?.cells.map((c) => c.provider.slug)).toEqual(['gcp', 'aws', 'azure']);
    expect(Object.fromEntries(answer.matches[0]?.cells.map((c) => [c.provider.slug, c.facts.map((f) => f.id)]) ?? [])).toEqual(
      Object.fromEntries(Object.entries(restCells).map(([p, facts]) => [p, facts.map((f) => f.id)])),
    );
  });

  it('names q in a BAD_USER_INPUT error when the question has no words', async () => {
    const { body } = await gql(app, '{ ask(q: "  ") { answer } }');
    expect(body.data?.ask).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/q/);
  });
});
