import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/app.js';

/**
 * The web UI in a real browser (Debian's Chromium, driven by playwright-core): every view renders from the
 * fixture seed with no console error, no CSP violation and no request to another host; the embeds render in an
 * iframe and as a custom element on another origin; axe-core finds nothing serious or critical.
 * Screenshots land in .ci/screenshots/ (not committed).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve(import.meta.dirname, '../../.ci/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let app: FastifyInstance;
let base: string;
/** Another origin on loopback: the portal that embeds Cloudiff. */
let portal: Server;
let portalOrigin: string;
let browser: Browser;

const portalPages: Record<string, (base: string) => string> = {
  '/iframe.html': (b) =>
    `<!doctype html><html lang="en"><title>portal</title><h1>Portal</h1><iframe id="f" title="DNS" src="${b}/embed/compare/dns?providers=aws,gcp" width="900" height="600"></iframe>`,
  '/element.html': (b) =>
    `<!doctype html><html lang="en"><title>portal</title><style>cloudiff-compare{--cloudiff-accent:rgb(200, 0, 0)}</style><h1>Portal</h1><script src="${b}/embed.js"></script><cloudiff-compare topic="dns" providers="aws,gcp"></cloudiff-compare>`,
};

beforeAll(async () => {
  portal = createServer((req, res) => {
    const pageFor = portalPages[req.url ?? ''];
    if (!pageFor) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(pageFor(base));
  });
  await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
  portalOrigin = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  app = await fixtureApp({ EMBED_ORIGINS: portalOrigin, CORS_ORIGINS: portalOrigin });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((r) => portal.close(() => r()));
});

interface Watched {
  page: Page;
  context: BrowserContext;
  problems: string[];
  foreign: string[];
}

/** A page whose console errors, page errors, CSP violations and requests to other hosts are recorded. */
async function open(
  path: string,
  opts: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark'; allow?: string[] } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: { width: 1280, height: 900 },
  });
  const allowed = new Set([base, ...(opts.allow ?? [])]);
  const problems: string[] = [];
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || allowed.has(new URL(url).origin)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(path.startsWith('http') ? path : `${base}${path}`, { waitUntil: 'networkidle' });
  return { page, context, problems, foreign };
}

async function axeViolations(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol, which the page's CSP does not govern
  await page.evaluate(AXE);
  const results = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))",
  )) as { id: string; impact: string; nodes: number }[];
  return results
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; impact: string; nodes: number }) => `${v.id} (${v.impact}, ${v.nodes})`);
}

const VIEWS = [
  ['home', '/'],
  ['topic', '/topics/dns'],
  ['topic-two-providers', '/topics/load-balancing?providers=aws,gcp'],
  ['migrate', '/migrate?from=aws&to=gcp'],
  ['search', '/search?q=coredns'],
  ['ask', '/ask?q=which+dns+server+does+eks+use'],
  ['fact', '/facts/gcp/dns/cluster-dns-server%23cloud-dns-for-gke'],
  ['dataset', '/dataset'],
  ['embed-compare', '/embed/compare/dns'],
  ['embed-fact', '/embed/fact/aws/dns/cluster-dns-server'],
  ['graphiql', '/graphiql'],
] as const;

describe('the web UI in Chromium', () => {
  it.each(VIEWS)('renders %s (%s) with no console error, no foreign request and no serious axe violation', async (name, path) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context, problems, foreign } = await open(path, { colorScheme });
      expect(problems, `${path} ${colorScheme}`).toEqual([]);
      expect(foreign, path).toEqual([]);
      expect(await page.locator('h1').count(), path).toBeGreaterThan(0);
      expect(await axeViolations(page), `${path} ${colorScheme}`).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/${name}-${colorScheme}.png`, fullPage: false });
      await context.close();
    }
  });

  it('shows the right cells, and filters providers and "differs only" from the form', async () => {
    const { page, context } = await open('/topics/dns');
    const headers = await page.locator('thead th').allTextContents();
    expect(headers).toEqual(['Dimension', 'Amazon Web Services (EKS)', 'Microsoft Azure (AKS)', 'Google Cloud (GKE)']);
    const row = page.locator('tr#cluster-dns-server');
    await expect.poll(() => row.locator('td').nth(0).textContent()).toContain('CoreDNS as an EKS add-on');
    expect(await row.locator('td').nth(2).textContent()).toContain('Cloud DNS');
    await page.getByLabel('azure').uncheck();
    await page.waitForURL(/providers=aws&providers=gcp/);
    expect(await page.locator('thead th').count()).toBe(3);
    await page.getByLabel('Differs only').check();
    await page.waitForURL(/differs=1/);
    expect(page.url()).toContain('differs=1');
    await context.close();
  });

  it('reads without JavaScript: the matrix, and a filter applied with the form button', async () => {
    const { page, context, problems } = await open('/topics/dns', { javaScriptEnabled: false });
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(1);
    await page.getByLabel('gcp').uncheck();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/providers=aws&providers=azure/);
    expect(await page.locator('thead th').count()).toBe(3);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches and asks from the boxes, with highlighted snippets and citations', async () => {
    const { page, context, problems } = await open('/');
    await page.locator('#site-q').fill('coredns');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/search\?q=coredns/);
    expect(await page.locator('.results mark').count()).toBeGreaterThan(0);
    await page.goto(`${base}/`);
    await page.locator('#ask-q').fill('which dns server does eks use');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.waitForURL(/\/ask\?q=/);
    expect(await page.locator('.answer').textContent()).toBeTruthy();
    expect(await page.locator('section[aria-label="Answer"] ol a').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('prints without the site chrome and with the notes unfolded', async () => {
    const { page, context } = await open('/topics/dns');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site form').isVisible()).toBe(false);
    expect(await page.locator('.filters').isVisible()).toBe(false);
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('details:not([open])').count()).toBe(0);
    await context.close();
  });

  it('renders the embed in an iframe on another origin listed in EMBED_ORIGINS', async () => {
    const { page, context, problems, foreign } = await open(`${portalOrigin}/iframe.html`, { allow: [portalOrigin] });
    const frame = page.frameLocator('#f');
    await expect.poll(() => frame.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await frame.locator('thead th').count()).toBe(3);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/portal-iframe.png` });
    await context.close();
  });

  it('refuses to be framed by an origin not in EMBED_ORIGINS', async () => {
    // localhost is another origin than 127.0.0.1 for the browser
    const other = portalOrigin.replace('127.0.0.1', 'localhost');
    const { page, context, problems } = await open(`${other}/iframe.html`, { allow: [other] });
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f.url().includes('/embed/compare/'));
    const rows = frame
      ? await frame
          .locator('tbody tr')
          .count()
          .catch(() => 0)
      : 0;
    expect(rows).toBe(0);
    expect(problems.join('\n')).toMatch(/frame-ancestors|Refused to display|refused to connect/i);
    await context.close();
  });

  it('renders <cloudiff-compare> on another origin from the API, themed by CSS custom properties', async () => {
    const { page, context, problems, foreign } = await open(`${portalOrigin}/element.html`, { allow: [portalOrigin] });
    const element = page.locator('cloudiff-compare');
    await expect.poll(() => element.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await element.locator('thead th').allTextContents()).toEqual(['Dimension', 'aws', 'gcp']);
    expect(await element.locator('tbody').textContent()).toContain('CoreDNS as an EKS add-on');
    const color = await element
      .locator('caption a')
      .evaluate((a) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(a).color);
    expect(color).toBe('rgb(200, 0, 0)');
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/portal-element.png` });
    await context.close();
  });

  it('runs a query in the GraphQL explorer, offline', async () => {
    const { page, context, problems, foreign } = await open('/graphiql');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('#result').textContent()).toContain('"compare"');
    expect(await page.locator('#fields li').count()).toBeGreaterThan(5);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('shows response schemas in /docs without a resolver error', async () => {
    const { page, context, foreign } = await open('/docs');
    const operation = page.locator('.opblock-summary-path', { hasText: '/v1/compare' }).first();
    await operation.click();
    await expect.poll(() => page.locator('.responses-wrapper').count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    const text = (await page.locator('.opblock-body').first().textContent()) ?? '';
    expect(text).not.toMatch(/Resolver error/i);
    expect(text).toContain('rows');
    expect(foreign).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/docs.png` });
    await context.close();
  });
});
