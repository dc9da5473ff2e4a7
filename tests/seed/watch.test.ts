import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSeed } from '../../src/seed/read.js';
import { fingerprint, LOCK_FILE, readLock, watchSources } from '../../src/seed/watch.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/seed');
const seed = readSeed(FIXTURE);

const COREDNS = 'https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html';
const NLB = 'https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html';
const EGRESS = 'https://learn.microsoft.com/en-us/azure/aks/egress';
const DNS_POD = 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/';
const EGRESS_FACT = 'azure/load-balancing/default-lb-for-service';
const EGRESS_CHECKED = '2026-11-26';

/** A stand-in for the documentation hosts: `/host/path` serves the page the test set for `https://host/path`. */
interface Page {
  status?: number;
  body?: string;
  etag?: string;
  location?: string;
}
let pages: Map<string, Page>;
let requests: IncomingMessage[];
let inFlight = 0;
let maxInFlight = 0;
let server: Server;
let origin: string;

function html(main: string, extra = ''): string {
  return `<!doctype html><html><head><title>t</title>${extra}</head><body><nav>menu</nav><main><h1>Doc</h1><p>${main}</p></main></body></html>`;
}

function resetPages(): void {
  pages = new Map();
  for (const url of allUrls()) pages.set(url, { body: html(`page ${url}`) });
  pages.set(COREDNS, { body: html('CoreDNS runs two replicas.'), etag: '"v1"' });
}

function allUrls(): string[] {
  return seed.topics.flatMap((t) =>
    t.dimensions.flatMap((d) => Object.values(d.facts).flatMap((cell) => cell.flatMap((f) => f.sources.map((s) => s.url)))),
  );
}

/** A loopback port nothing listens on: connections to it are refused, as they are on a machine without network. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const resolveUrl = (url: string) => `${origin}/${url.replace(/^https:\/\//, '')}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      const page = pages.get(`https://${req.url!.slice(1)}`);
      if (!page) {
        res.writeHead(404).end('not found');
        return;
      }
      if (page.location) {
        res.writeHead(page.status ?? 301, { location: page.location }).end();
        return;
      }
      if (page.etag && req.headers['if-none-match'] === page.etag) {
        res.writeHead(304, { etag: page.etag }).end();
        return;
      }
      res
        .writeHead(page.status ?? 200, { 'content-type': 'text/html', ...(page.etag ? { etag: page.etag } : {}) })
        .end(page.body);
    }, 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  resetPages();
  requests = [];
  maxInFlight = 0;
});

describe('the source watch', () => {
  it('fingerprints every cited page once on the first run and finds nothing to re-review', async () => {
    const { report, lock } = await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl });
    const distinct = new Set(allUrls());
    expect(report.summary).toMatchObject({ pages: distinct.size, new: distinct.size, changed: 0, gone: 0, errors: 0 });
    expect(Object.keys(lock.pages).sort()).toEqual([...distinct].sort());
    expect(lock.last_run).toEqual(report.summary);
    // a page cited by three facts is fetched once and lists all three
    expect(requests.filter((r) => r.url === '/kubernetes.io/docs/concepts/services-networking/dns-pod-service/')).toHaveLength(1);
    expect(report.pages.find((p) => p.url === DNS_POD)?.facts).toHaveLength(3);
  });

  it('sends a polite user agent and conditional requests, and counts a 304 as unchanged', async () => {
    const first = await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl });
    requests = [];
    const second = await watchSources(seed, first.lock, { resolve: resolveUrl });
    const coredns = requests.find((r) => r.url?.endsWith('managing-coredns.html'))!;
    expect(coredns.headers['if-none-match']).toBe('"v1"');
    expect(coredns.headers['user-agent']).toMatch(/cloudiff-sources-check/);
    expect(second.report.pages.find((p) => p.url === COREDNS)).toMatchObject({ state: 'unchanged', status: 304 });
    expect(second.report.summary.unchanged).toBe(second.report.summary.pages);
  });

  it('reports a changed page with the facts that cite it and its checked date, until a maintainer accepts it', async () => {
    const first = await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl });
    pages.set(EGRESS, { body: html('The default outbound type is now different.') });
    const second = await watchSources(seed, first.lock, { resolve: resolveUrl });
    expect(second.report.pages.find((p) => p.url === EGRESS)).toEqual({
      url: EGRESS,
      state: 'changed',
      status: 200,
      facts: [EGRESS_FACT],
      checked: EGRESS_CHECKED,
    });
    // not accepted: the old fingerprint stays, so next week says it again
    const third = await watchSources(seed, second.lock, { resolve: resolveUrl });
    expect(third.report.pages.find((p) => p.url === EGRESS)?.state).toBe('changed');
    // accepted: the new fingerprint is stored and the page is unchanged from then on
    const accepted = await watchSources(seed, third.lock, { resolve: resolveUrl, accept: (u) => u === EGRESS });
    const after = await watchSources(seed, accepted.lock, { resolve: resolveUrl });
    expect(after.report.pages.find((p) => p.url === EGRESS)?.state).toBe('unchanged');
  });

  it('does not count a new script or a changed menu as a change of the page', async () => {
    const first = await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl });
    const body = pages.get(NLB)!.body!;
    pages.set(NLB, {
      body: body.replace('<nav>menu</nav>', '<nav>new menu</nav>').replace('</head>', '<script>track()</script></head>'),
    });
    const second = await watchSources(seed, first.lock, { resolve: resolveUrl });
    expect(second.report.pages.find((p) => p.url === NLB)?.state).toBe('unchanged');
    expect(fingerprint(html('a b'))).not.toBe(fingerprint(html('a c')));
  });

  it('reports gone and redirected pages with the status and the new location', async () => {
    const first = await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl });
    pages.delete(NLB);
    pages.set(EGRESS, { status: 301, location: 'https://learn.microsoft.com/en-us/azure/aks/egress-outboundtype' });
    const { report } = await watchSources(seed, first.lock, { resolve: resolveUrl });
    expect(report.pages.find((p) => p.url === NLB)).toMatchObject({ state: 'gone', status: 404 });
    expect(report.pages.find((p) => p.url === EGRESS)).toMatchObject({
      state: 'redirected',
      status: 301,
      location: 'https://learn.microsoft.com/en-us/azure/aks/egress-outboundtype',
    });
  });

  it('fetches at most `concurrency` pages at once', async () => {
    await watchSources(seed, { last_run: null, pages: {} }, { resolve: resolveUrl, concurrency: 2 });
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBeGreaterThan(0);
  });

  it('says it is offline, and keeps the lock as it was, when no page can be reached', async () => {
    const lock = { last_run: null, pages: {} };
    const port = await closedPort();
    const { report, lock: next } = await watchSources(seed, lock, {
      resolve: (u) => `http://127.0.0.1:${port}/${u}`,
      timeoutMs: 2000,
    });
    expect(report.offline).toBe(true);
    expect(next).toEqual(lock);
  });
});

describe('npm run sources:check', () => {
  const run = promisify(execFile);
  const cli = resolve(import.meta.dirname, '../../src/seed/watch-cli.ts');
  const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

  function tempSeed(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cloudiff-watch-'));
    for (const f of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, f), join(dir, f));
    return dir;
  }

  it('writes the lock file, prints the table, and exits 1 naming the facts of a page that is gone', async () => {
    const dir = tempSeed();
    const first = await run(tsx, [cli, '--seed', dir, '--via', origin]);
    expect(first.stdout).toMatch(/pages: 0 unchanged, 0 changed, \d+ new, 0 gone/);
    expect(Object.keys(readLock(join(dir, LOCK_FILE)).pages).length).toBeGreaterThan(0);
    pages.delete(NLB);
    const second = await run(tsx, [cli, '--seed', dir, '--via', origin, '--json']).catch((e) => e);
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout);
    expect(report.pages.find((p: { url: string }) => p.url === NLB)).toMatchObject({ state: 'gone' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).last_run.gone).toBe(1);
  });

  it('says so in one line and exits 3 without network', async () => {
    const dir = tempSeed();
    const result = await run(tsx, [
      cli,
      '--seed',
      dir,
      '--via',
      `http://127.0.0.1:${await closedPort()}`,
      '--timeout',
      '2000',
    ]).catch((e) => e);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no network/);
  });

  it('exits 2 with the usage for a bad option', async () => {
    const result = await run(tsx, [cli, '--concurrency', 'many']).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--concurrency must be/);
  });
});
