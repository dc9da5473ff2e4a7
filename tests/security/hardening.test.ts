import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { auth, NEW_FACT, NEW_ID, TOKEN } from '../helpers/admin.js';
import { fixtureApp, seededDb, testConfig } from '../helpers/app.js';

function expectErrorShape(res: { statusCode: number; json: () => unknown }, status: number) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode).toBe(status);
}

describe('security headers', () => {
  it('sets helmet headers on API responses, errors included', async () => {
    const app = await fixtureApp();
    // the second /v1/topics comes from the response cache
    for (const url of ['/v1/topics', '/v1/topics', '/v1/topics/nope', '/v2/nothing']) {
      const res = await app.inject(url);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    }
    await app.close();
  });

  it('lets /docs load: every script and stylesheet of the page comes from the same origin', async () => {
    const app = await fixtureApp();
    const page = await app.inject('/docs');
    expect(page.statusCode).toBe(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//);
      expect((await app.inject(asset)).statusCode).toBe(200);
    }
    expect(page.body).not.toMatch(/<script>[^<]/);
    await app.close();
  });

  it('serves the GraphQL explorer at /graphiql under the site policy, with no third-party origin', async () => {
    const app = await fixtureApp();
    const page = await app.inject('/graphiql');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).not.toMatch(/https?:/);
    expect(page.body).not.toMatch(/unpkg|https?:\/\/[^"]*\.js/);
    await app.close();
  });
});

describe('CORS', () => {
  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const app = await fixtureApp();
    const res = await app.inject({ url: '/v1/topics', headers: { origin: 'https://portal.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });

  it('allows the listed origins only, preflight included', async () => {
    const app = await fixtureApp({ CORS_ORIGINS: 'https://portal.example, https://other.example' });
    const ok = await app.inject({ url: '/v1/topics', headers: { origin: 'https://portal.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
    expect(ok.headers['access-control-expose-headers']).toMatch(/ETag/);
    const no = await app.inject({ url: '/v1/topics', headers: { origin: 'https://evil.example' } });
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/facts/aws%2Fdns%2Fndots',
      headers: { origin: 'https://portal.example', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/If-Match/);
    await app.close();
  });
});

describe('rate limiting', () => {
  it('answers 429 in the error shape with Retry-After past the limit, cached answers counted, probes exempt', async () => {
    const app = await fixtureApp({ RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) expect((await app.inject('/v1/topics')).statusCode).toBe(200);
    const limited = await app.inject('/v1/topics');
    expectErrorShape(limited, 429);
    expect((limited.json() as { message: string }).message).toMatch(/rate limit exceeded: at most 3 requests per minute/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectErrorShape(await app.inject('/v2/unknown'), 429);
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/ready')).statusCode).toBe(200);
    await app.close();
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const app = await fixtureApp({ RATE_LIMIT_PER_MINUTE: '0' });
    for (let i = 0; i < 20; i++) expect((await app.inject('/v1/topics')).statusCode).toBe(200);
    await app.close();
  });
});

describe('limits and load shedding', () => {
  it('answers 413 in the error shape for a body over the limit, 415 for XML and 400 for broken JSON', async () => {
    const app = await fixtureApp({ ADMIN_TOKEN: 'a-token-of-sixteen-plus' });
    const headers = { authorization: 'Bearer a-token-of-sixteen-plus', 'content-type': 'application/json' };
    expectErrorShape(await app.inject({ method: 'POST', url: '/v1/facts', headers, payload: `"${'x'.repeat(300_000)}"` }), 413);
    expectErrorShape(
      await app.inject({
        method: 'POST',
        url: '/v1/facts',
        headers: { ...headers, 'content-type': 'application/xml' },
        payload: '<x/>',
      }),
      415,
    );
    expectErrorShape(await app.inject({ method: 'POST', url: '/v1/facts', headers, payload: '{"value":' }), 400);
    await app.close();
  });

  it('sheds load with 503, Retry-After and the error shape when the process is under pressure', async () => {
    const app = await buildApp(testConfig(), {
      db: seededDb(),
      loadShedding: { healthCheck: async () => false, healthCheckInterval: 60_000, retryAfter: 7 },
    });
    await app.ready();
    const res = await app.inject('/v1/topics');
    expectErrorShape(res, 503);
    expect(res.headers['retry-after']).toBe('7');
    expect((res.json() as { message: string }).message).toMatch(/overloaded/);
    await app.close();
  });
});

describe('stored text in answers', () => {
  it('never turns marker characters of stored text into <mark> in search snippets', async () => {
    const app = await fixtureApp({ ADMIN_TOKEN: TOKEN });
    const details = 'Stored \u0002forged\u0003 markers and \u0002an open one beside the word zebrafish.';
    const created = await app.inject({ method: 'POST', url: '/v1/facts', headers: auth, payload: { ...NEW_FACT, details } });
    expect(created.statusCode).toBe(201);
    const res = await app.inject('/v1/search?q=zebrafish');
    const hit = (res.json() as { items: { id: string; snippet: string }[] }).items.find((i) => i.id.startsWith('gcp/dns'));
    expect(hit?.snippet).toContain('<mark>zebrafish</mark>');
    expect(hit?.snippet).not.toContain('<mark>forged');
    expect(hit?.snippet.match(/<mark>/g)).toHaveLength(1);
    expect(hit?.snippet).not.toMatch(/[\u0002\u0003]/);
    await app.close();
  });
});

describe('CSV export', () => {
  it.each([
    ['a zero-width space', '\u200b=HYPERLINK("https://evil.example","x")'],
    ['NUL', '\u0000=1+1'],
    ['BEL', '\u0007+1'],
    ['a right-to-left override', '\u202e-2+3'],
    ['a word joiner and a zero-width joiner', '\u2060\u200d@SUM(A1)'],
    ['a plain formula', '=1+1'],
  ])('neutralises a value that starts with %s before a formula character', async (_name, value) => {
    const app = await fixtureApp({ ADMIN_TOKEN: TOKEN });
    const created = await app.inject({ method: 'POST', url: '/v1/facts', headers: auth, payload: { ...NEW_FACT, value } });
    expect(created.statusCode).toBe(201);
    const csv = (await app.inject('/v1/export?format=csv')).body;
    const row = csv.split('\r\n').find((line) => line.startsWith(`${NEW_ID},`)) ?? '';
    const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '')) ?? [];
    const cell = cells[8] ?? '';
    expect(cell.replace(/^"/, '').startsWith(`'${value.replaceAll('"', '""')}`)).toBe(true);
    await app.close();
  });
});

describe('closing and timeouts', () => {
  it('answers 503 to connections that arrive while the server closes, rather than resetting them', async () => {
    const app = await fixtureApp();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${url}/v1/topics`)).status).toBe(200);
    const closed = app.close();
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${url}/v1/topics`).then(
          (res) => res.status,
          (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
        ),
      ),
    );
    await closed;
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
  });

  it('closes a request still incomplete after 30 s within a second of it (the checks run every second)', async () => {
    const app = await fixtureApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    expect(app.server.requestTimeout).toBe(30_000);
    expect((app.server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
    await app.close();
  });
});
