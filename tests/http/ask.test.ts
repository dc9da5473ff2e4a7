import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

const QUESTION = 'What load balancer does AKS create for a Service of type LoadBalancer?';

describe('GET /v1/ask', () => {
  it('answers a question with providers, topics, answer, matches and citations', async () => {
    const res = await app.inject({ url: '/v1/ask', query: { q: QUESTION } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(
      ['answer', 'citations', 'dataset', 'matches', 'providers', 'question', 'suggestions', 'topics'].sort(),
    );
    expect(body.question).toBe(QUESTION);
    expect(body.providers).toEqual(['azure']);
    expect(body.topics).toEqual([{ slug: 'load-balancing', title: 'Load balancing' }]);
    expect(body.answer).toMatch(
      /^Default load balancer for a Service: on AKS, Standard SKU Azure Load Balancer\. .*Elsewhere, EKS: /,
    );
    expect(body.matches).toHaveLength(1);
    expect(body.matches[0].dimension).toEqual({
      topic: 'load-balancing',
      slug: 'default-lb-for-service',
      title: 'Default load balancer for a Service',
    });
    expect(body.matches[0].cells.azure).toEqual([
      {
        id: 'azure/load-balancing/default-lb-for-service',
        value: 'Standard SKU Azure Load Balancer',
        status: 'ga',
        source: 'https://learn.microsoft.com/en-us/azure/aks/egress',
      },
    ]);
    expect(body.citations[0]).toEqual({
      url: 'https://learn.microsoft.com/en-us/azure/aks/egress',
      title: 'Use a public standard load balancer in AKS',
      checked: '2026-11-26',
    });
    expect(body.citations).toHaveLength(3);
    expect(body.suggestions).toEqual([]);
  });

  it('returns the whole comparison rows with detail=full, the rest of the answer unchanged', async () => {
    const compact = (await app.inject({ url: '/v1/ask', query: { q: QUESTION } })).json();
    const full = (await app.inject({ url: '/v1/ask', query: { q: QUESTION, detail: 'full' } })).json();
    expect({ ...full, matches: [] }).toEqual({ ...compact, matches: [] });
    expect(full.matches[0].dimension.baseline).toBeTypeOf('string');
    expect(full.matches[0].divergence.severity).toBeTypeOf('string');
    expect(full.matches[0].cells.azure[0]).toMatchObject({
      id: 'azure/load-balancing/default-lb-for-service',
      details: expect.any(String),
      sources: [
        {
          url: 'https://learn.microsoft.com/en-us/azure/aks/egress',
          title: 'Use a public standard load balancer in AKS',
          checked: '2026-11-26',
        },
      ],
    });
  });

  it('returns 400 naming detail when it is neither compact nor full', async () => {
    const res = await app.inject({ url: '/v1/ask', query: { q: QUESTION, detail: 'everything' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('"detail"');
  });

  it('answers 200 with empty matches and suggestions when nothing matches', async () => {
    const res = await app.inject({ url: '/v1/ask', query: { q: 'how do I bake sourdough bread' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.matches).toEqual([]);
    expect(body.citations).toEqual([]);
    expect(body.answer).toMatch(/^No facts match/);
    expect(body.suggestions.length).toBeGreaterThan(0);
  });

  it('returns 400 naming q when it is missing', async () => {
    const res = await app.inject('/v1/ask');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('"q"') });
  });

  it('returns 400 naming q when it is empty or only punctuation', async () => {
    for (const q of ['', '   ', '?!']) {
      const res = await app.inject({ url: '/v1/ask', query: { q } });
      expect(res.statusCode, JSON.stringify(q)).toBe(400);
      expect(res.json().message).toContain('query parameter "q"');
    }
  });

  it('returns 400 when q is repeated', async () => {
    const res = await app.inject('/v1/ask?q=dns&q=ndots');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('"q"');
  });

  it('is cacheable: an ETag, and 304 when it is sent back', async () => {
    const first = await app.inject({ url: '/v1/ask', query: { q: 'ndots on gke' } });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await app.inject({ url: '/v1/ask', query: { q: 'ndots on gke' }, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });
});

describe('POST /v1/ask', () => {
  it('answers the question in the JSON body exactly as GET does', async () => {
    const post = await app.inject({ method: 'POST', url: '/v1/ask', payload: { q: QUESTION } });
    const get = await app.inject({ url: '/v1/ask', query: { q: QUESTION } });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual(get.json());
    const postFull = await app.inject({ method: 'POST', url: '/v1/ask', payload: { q: QUESTION, detail: 'full' } });
    const getFull = await app.inject({ url: '/v1/ask', query: { q: QUESTION, detail: 'full' } });
    expect(postFull.json()).toEqual(getFull.json());
  });

  it('returns 400 naming q when the body has none', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/ask', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('body field "q": is required');
  });

  it('returns 400 naming q when it is empty', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/ask', payload: { q: ' ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('field "q"');
  });

  it('returns 400 for a question longer than 500 characters', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/ask', payload: { q: 'dns '.repeat(200) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('"q"');
  });
});
