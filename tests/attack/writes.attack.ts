import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, attackServer, auth } from './harness.js';

let server: AttackServer;
beforeAll(async () => {
  server = await attackServer();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

const factUrl = (id: string) => `${server.url}/v1/facts/${encodeURIComponent(id)}`;

async function current(id: string): Promise<{ etag: string; body: Record<string, unknown> }> {
  const res = await fetch(factUrl(id));
  expect(res.status).toBe(200);
  return { etag: res.headers.get('etag') ?? '', body: (await res.json()) as Record<string, unknown> };
}

function patch(id: string, etag: string, body: unknown) {
  return fetch(factUrl(id), {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

/** A handful of fact ids of the real seed, read from the running server. */
async function someFacts(n: number): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/facts?limit=${n}`);
  return ((await res.json()) as { items?: { id: string }[]; facts?: { id: string }[] }).items?.map((f) => f.id) ?? [];
}

describe('conditional requests against the real server', () => {
  it('answers If-None-Match: * on unknown facts and topics with 404 and on an invalid search with 400', async () => {
    const unknown = fc.stringMatching(/^[a-z0-9-]{1,20}(\/[a-z0-9-]{1,20}){0,3}$/).filter((s) => !s.startsWith('aws/dns'));
    for (const id of fc.sample(unknown, 15)) {
      const fact = await fetch(factUrl(`zz-${id}`), { headers: { 'if-none-match': '*' } });
      expect(fact.status, id).toBe(404);
      const topic = await fetch(`${server.url}/v1/topics/zz-${encodeURIComponent(id)}`, { headers: { 'if-none-match': '*' } });
      expect(topic.status, id).toBe(404);
    }
    const search = await fetch(`${server.url}/v1/search?q=`, { headers: { 'if-none-match': '*' } });
    expect(search.status).toBe(400);
  });

  it('answers HEAD with the ETag and Cache-Control of GET, and the curl -sI recipe then writes', async () => {
    const [id] = await someFacts(1);
    for (const path of [
      `/v1/facts/${encodeURIComponent(id ?? '')}`,
      '/v1/topics',
      '/v1/compare?topic=dns',
      '/v1/search?q=ndots',
      '/v1/dataset',
    ]) {
      const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
      const get = await fetch(`${server.url}${path}`);
      expect(head.status, path).toBe(200);
      expect(head.headers.get('etag'), path).toBeTruthy();
      expect(head.headers.get('etag'), path).toBe(get.headers.get('etag'));
      expect(head.headers.get('cache-control'), path).toBe(get.headers.get('cache-control'));
    }
    const etag = (await fetch(factUrl(id ?? ''), { method: 'HEAD' })).headers.get('etag') ?? '';
    expect((await patch(id ?? '', etag, { value: 'written through the HEAD recipe' })).status).toBe(200);
  });
});

describe('writes against the real server', () => {
  it('lets exactly one of N parallel PATCHes holding the same ETag win', async () => {
    const ids = await someFacts(5);
    for (const [round, id] of ids.entries()) {
      const { etag } = await current(id);
      const n = fc.sample(fc.integer({ min: 4, max: 16 }), 1)[0] ?? 8;
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) => patch(id, etag, { value: `race ${round} writer ${i}` })),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length, `${id}: ${statuses}`).toBe(1);
      expect(
        statuses.filter((s) => s !== 200).every((s) => s === 412),
        `${id}: ${statuses}`,
      ).toBe(true);
      // the winner is what is stored
      const winner = answers.findIndex((r) => r.status === 200);
      expect((await current(id)).body.value).toBe(`race ${round} writer ${winner}`);
    }
  });

  it('refuses source URLs that are not https on an official host, naming the field', async () => {
    const [id] = await someFacts(1);
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    const bad = fc.oneof(
      fc.constantFrom(
        'http://localhost/',
        'https://localhost/docs',
        'http://169.254.169.254/latest/meta-data/',
        'https://169.254.169.254/latest/meta-data/iam',
        'https://user:pass@kubernetes.io/docs/',
        'https://kubernetes.io@evil.example/',
        'https://[::1]/',
        'https://xn--kubernetes-7ob.io/docs/',
        'https://xn--80ak6aa92e.com/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'https://kubernetes.io:8443/docs/',
        'https://KUBERNETES.io/docs/',
      ),
      ipv4.map((ip) => `https://${ip}/docs/`),
      fc.ipV6().map((ip) => `https://[${ip}]/`),
      fc.domain().map((d) => `https://${d}/docs/`),
      fc.domain().map((d) => `http://${d}/`),
      fc.integer({ min: 1_000, max: 100_000 }).map((n) => `https://${'a'.repeat(n)}.kubernetes.io/`),
      fc.constant(`https://${'a'.repeat(100_000)}/`),
      fc.stringMatching(/^[a-z]{3,10}$/).map((s) => `https://xn--${s}-abc.io/`),
    );
    let { etag } = await current(id ?? '');
    await fc.assert(
      fc.asyncProperty(bad, async (url) => {
        const res = await patch(id ?? '', etag, { sources: [{ url, title: 'Attack', checked: '2026-11-26' }] });
        const text = await res.text();
        if (res.status === 412) {
          etag = (await current(id ?? '')).etag;
          return;
        }
        expect(res.status, `${url.slice(0, 120)} → ${text.slice(0, 300)}`).toBe(400);
        expect(text, url.slice(0, 120)).toMatch(/sources/);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('neutralises stored formulas behind control and invisible characters in the CSV export', async () => {
    const ids = await someFacts(6);
    const prefix = fc.array(
      fc.constantFrom('\u0000', '\u0001', '\u200b', '\u2060', '\ufeff', '\u202e', '\u00a0', ' ', '\u3000', '\u200e'),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    const formula = fc.constantFrom('=HYPERLINK("https://evil.example","x")', '+cmd|" /C calc"!A0', '-2+3', '@SUM(1)', '=1+1');
    const cases = fc.sample(fc.tuple(prefix, formula), ids.length);
    const written = new Map<string, string>();
    for (const [i, [chars, f]] of cases.entries()) {
      const id = ids[i] ?? '';
      const value = `${chars.join('')}${f}`;
      const res = await patch(id, (await current(id)).etag, { value });
      const text = await res.text();
      // refusing the control character at the door is safe too; a stored one must not run
      if (res.status === 400) continue;
      expect(res.status, text.slice(0, 200)).toBe(200);
      // what was stored (the write API may trim surrounding white space) is what the export must neutralise
      const stored = (JSON.parse(text) as { value: string }).value;
      expect(stored.trim()).toBe(value.trim());
      written.set(id, stored);
    }
    // most of them are stored (only a value the schema refuses outright may be missing)
    expect(written.size).toBeGreaterThan(0);
    const csv = await (await fetch(`${server.url}/v1/export?format=csv`)).text();
    for (const [id, value] of written) {
      const line = csv.split('\n').find((l) => l.startsWith(`${id},`) || l.startsWith(`"${id}",`));
      expect(line, id).toBeDefined();
      expect(line, JSON.stringify(value)).toContain(`'${value.replaceAll('"', '""')}`);
    }
  });

  it('keeps search snippet markup to <mark> tags whatever the stored text holds', async () => {
    const [id] = await someFacts(1);
    const hostile = 'attackmarker \u0002<img src=x onerror=alert(1)>\u0003 \u0002o\u0002 <mark>x</mark> attackmarker';
    const res = await patch(id ?? '', (await current(id ?? '')).etag, { details: hostile });
    expect(res.status, await res.text()).toBe(200);
    const search = (await (await fetch(`${server.url}/v1/search?q=attackmarker`)).json()) as { items: { snippet: string }[] };
    expect(search.items.length).toBeGreaterThan(0);
    for (const { snippet } of search.items) {
      expect(snippet).not.toMatch(/[\u0002\u0003]/);
      expect(snippet.replaceAll(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
  });
});
