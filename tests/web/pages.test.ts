import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/domain/api.js';
import { html, snippetHtml } from '../../src/web/html.js';
import { factBlock } from '../../src/web/views/compare.js';
import { fixtureApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp({ EMBED_ORIGINS: 'https://portal.example.com' });
});
afterAll(() => app.close());

const assetPaths = async () => {
  const res = await app.inject('/');
  return [...res.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
};

describe('the web UI', () => {
  it('serves the topics at / as HTML that links each topic page', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<a href="/topics/dns">DNS</a>');
    expect(res.body).toContain('<a href="/topics/load-balancing">');
  });

  it('renders a topic matrix with a column per requested provider and the fixture cells', async () => {
    const all = await app.inject('/topics/dns');
    expect(all.statusCode).toBe(200);
    expect(all.body.match(/<th scope="col" class="provider-/g)).toHaveLength(3);
    expect(all.body).toContain('CoreDNS as an EKS add-on');
    const two = await app.inject('/topics/dns?providers=aws,gcp');
    expect(two.body.match(/<th scope="col" class="provider-/g)).toHaveLength(2);
    expect(two.body).not.toContain('CoreDNS managed by AKS');
    // what a form of checkboxes sends
    const form = await app.inject('/topics/dns?providers=aws&providers=gcp');
    expect(form.body.match(/<th scope="col" class="provider-/g)).toHaveLength(2);
  });

  it('answers an unknown topic with a 404 page listing the topics, and a bad provider with a 400 page naming it', async () => {
    const missing = await app.inject('/topics/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.body).toContain('dns');
    const bad = await app.inject('/topics/dns?providers=aws,oracle');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('oracle');
    const repeated = await app.inject('/search?q=a&q=b');
    expect(repeated.statusCode).toBe(400);
    expect(repeated.headers['content-type']).toMatch(/text\/html/);
  });

  it('caches pages per dataset version: an ETag, and 304 when it is sent back', async () => {
    const first = await app.inject('/topics/dns');
    expect(first.headers.etag).toBeTruthy();
    const again = await app.inject({ url: '/topics/dns', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('serves search with highlighted snippets, ask with citations, a fact page, migration and freshness', async () => {
    const search = await app.inject('/search?q=coredns');
    expect(search.body).toMatch(/<mark>/i);
    const ask = await app.inject('/ask?q=which+dns+server+does+eks+use');
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('class="answer"');
    expect(ask.body).toContain('https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html');
    const fact = await app.inject('/facts/aws/dns/cluster-dns-server');
    expect(fact.statusCode).toBe(200);
    expect(fact.body).toContain('CoreDNS as an EKS add-on');
    const variant = await app.inject('/facts/gcp/dns/cluster-dns-server%23cloud-dns-for-gke');
    expect(variant.statusCode).toBe(200);
    expect((await app.inject('/facts/aws/dns/nope')).statusCode).toBe(404);
    const migrate = await app.inject('/migrate?from=aws&to=gcp');
    expect(migrate.body).toMatch(/critical, \d+ high/);
    expect((await app.inject('/dataset')).body).toContain('Freshness of the knowledge');
  });

  it('lets only EMBED_ORIGINS frame the embeds, and nothing frame the other pages', async () => {
    const embed = await app.inject('/embed/compare/dns');
    expect(embed.statusCode).toBe(200);
    expect(embed.headers['content-security-policy']).toContain("frame-ancestors 'self' https://portal.example.com");
    expect(embed.headers['x-frame-options']).toBeUndefined();
    const pageRes = await app.inject('/topics/dns');
    expect(pageRes.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(pageRes.headers['content-security-policy']).not.toContain('portal.example.com');
    expect(pageRes.headers['x-frame-options']).toBe('SAMEORIGIN');
    const fact = await app.inject('/embed/fact/aws/dns/cluster-dns-server');
    expect(fact.body).toContain('CoreDNS as an EKS add-on');
    const defaults = await fixtureApp();
    expect((await defaults.inject('/embed/compare/dns')).headers['content-security-policy']).toContain("frame-ancestors 'self';");
    await defaults.close();
  });

  it('names no other origin in any policy or page', async () => {
    for (const url of ['/', '/topics/dns', '/graphiql', '/embed/compare/dns']) {
      const res = await app.inject(url);
      expect(res.headers['content-security-policy'], url).not.toMatch(/https?:\/\/(?!portal\.example\.com)/);
      expect(res.body, url).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    }
  });

  it('serves assets under content-hashed names for a year, and keeps them small', async () => {
    const paths = await assetPaths();
    expect(paths.length).toBe(2);
    for (const path of paths) {
      const res = await app.inject(path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const gz = gzipSync(res.rawPayload).length;
      expect(gz, path).toBeLessThanOrEqual(path.endsWith('.css') ? 15 * 1024 : 30 * 1024);
    }
    const embed = await app.inject('/embed.js');
    expect(embed.headers['content-type']).toMatch(/javascript/);
    expect(gzipSync(embed.rawPayload).length).toBeLessThanOrEqual(30 * 1024);
  });
});

describe('HTML escaping', () => {
  it('escapes stored text in every context, so a fact cannot inject markup', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    const fact: Fact = {
      id: 'aws/dns/x',
      provider: 'aws',
      topic: 'dns',
      dimension: 'x',
      variant: hostile,
      default: true,
      value: hostile,
      status: 'ga',
      applies: {},
      details: hostile,
      sources: [{ url: `https://docs.aws.amazon.com/" onmouseover="alert(1)`, title: hostile, checked: '2026-01-01' }],
      verified: '2026-01-01',
      confidence: 'high',
      tags: [],
    };
    const out = factBlock(fact).value;
    expect(out).not.toContain('<img');
    expect(out).not.toContain('" onmouseover=');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(html`<p title="${hostile}">${hostile}</p>`.value).not.toMatch(/<img|"'/);
  });

  it('keeps only <mark> as markup in search snippets', () => {
    expect(snippetHtml('a <mark>b</mark> <script>x</script>').value).toBe('a <mark>b</mark> &lt;script&gt;x&lt;/script&gt;');
  });
});
