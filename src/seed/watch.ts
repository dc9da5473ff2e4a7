import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { factId, PROVIDER_SLUGS } from '../domain/seed.js';
import { type LockFile, LockFileSchema, type PageLock, type WatchSummary } from '../domain/sources-lock.js';
import type { Seed } from './read.js';

/**
 * The source watch (`npm run sources:check`): fetches every page the seed cites and compares it with the
 * fingerprint the lock file holds, so that maintainers learn which facts to re-read when a page is gone, moved
 * or changed. It never edits a fact: re-reading the page and moving its `checked` date is a reviewer's job.
 */

export type { LockFile, PageLock, WatchSummary } from '../domain/sources-lock.js';
export { LOCK_FILE, LockFileSchema, PageLockSchema, WatchSummarySchema } from '../domain/sources-lock.js';

export type PageState = 'unchanged' | 'changed' | 'new' | 'gone' | 'redirected' | 'error';

export interface PageReport {
  url: string;
  state: PageState;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Where a redirect points. */
  location?: string;
  /** What went wrong, for `error`. */
  error?: string;
  /** The facts citing the page: what to re-review when it is not `unchanged`. */
  facts: string[];
  /** The oldest day one of those facts checked the page. */
  checked: string;
}

export interface WatchReport {
  summary: WatchSummary;
  pages: PageReport[];
  /** True when no page could be reached at all: the machine has no network, nothing is known of the pages. */
  offline: boolean;
}

export interface WatchOptions {
  /** Pages fetched at once (politeness towards the documentation hosts). */
  concurrency?: number;
  /** Per-page time limit. */
  timeoutMs?: number;
  userAgent?: string;
  /** Maps a cited URL to the URL fetched: tests point official URLs at a local fixture server. */
  resolve?: (url: string) => string;
  now?: () => Date;
}

export const DEFAULT_USER_AGENT = 'cloudiff-sources-check/1 (weekly check of cited documentation pages; conditional requests)';
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 20_000;
/** A page larger than this is fingerprinted from its first bytes only; documentation pages are far smaller. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** Every distinct cited URL with the facts that cite it and the oldest `checked` date among them. */
export function citedPages(seed: Seed): Map<string, { facts: string[]; checked: string }> {
  const pages = new Map<string, { facts: string[]; checked: string }>();
  for (const topic of seed.topics) {
    for (const dim of topic.dimensions) {
      for (const provider of PROVIDER_SLUGS) {
        for (const fact of dim.facts[provider]) {
          const id = factId(provider, topic.slug, dim.slug, fact.variant);
          for (const source of fact.sources) {
            const page = pages.get(source.url) ?? { facts: [], checked: source.checked };
            if (!page.facts.includes(id)) page.facts.push(id);
            if (source.checked < page.checked) page.checked = source.checked;
            pages.set(source.url, page);
          }
        }
      }
    }
  }
  return pages;
}

/**
 * The fingerprint of a page: a hash of its readable text (the main element when there is one), so that a new
 * tracking script or a reordered stylesheet does not count as a change but an edited sentence does.
 */
export function fingerprint(html: string): string {
  const main = /<main[\s>][\s\S]*?<\/main>/i.exec(html)?.[0] ?? /<body[\s>][\s\S]*<\/body>/i.exec(html)?.[0] ?? html;
  const text = main
    .replace(/<(script|style|noscript|template|svg)[\s>][\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function readLock(path: string): LockFile {
  if (!existsSync(path)) return { last_run: null, pages: {} };
  return LockFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The lock file with its pages in URL order, so that a weekly run's diff shows only what moved. */
export function writeLock(path: string, lock: LockFile): void {
  const pages = Object.fromEntries(Object.entries(lock.pages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, `${JSON.stringify({ last_run: lock.last_run, pages }, null, 2)}\n`);
}

/** Network failures that mean "no route to anything", as opposed to one host answering badly. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ECONNREFUSED', 'EHOSTUNREACH']);

interface Fetched {
  report: Omit<PageReport, 'facts' | 'checked'>;
  /** What the lock keeps for the page. */
  lock?: PageLock;
  /** The page as fetched now, when a changed page was fetched whole (what `accept` stores). */
  fresh?: PageLock;
  offline?: boolean;
}

async function checkPage(url: string, previous: PageLock | undefined, options: Required<WatchOptions>): Promise<Fetched> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: 'text/html,*/*;q=0.5' };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.last_modified) headers['if-modified-since'] = previous.last_modified;
  let res: Response;
  try {
    res = await fetch(options.resolve(url), { headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? cause?.message ?? (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    return { report: { url, state: 'error', error: code }, offline: OFFLINE_CODES.has(code) };
  }
  if (res.status === 304 && previous) {
    await res.body?.cancel();
    return { report: { url, state: 'unchanged', status: 304 }, lock: previous };
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    const location = res.headers.get('location') ?? undefined;
    return { report: { url, state: 'redirected', status: res.status, ...(location ? { location } : {}) }, lock: previous };
  }
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel();
    return { report: { url, state: 'gone', status: res.status }, lock: previous };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { report: { url, state: 'error', status: res.status, error: `HTTP ${res.status}` }, lock: previous };
  }
  const text = await readBounded(res);
  const print = fingerprint(text);
  const lock: PageLock = {
    fingerprint: print,
    ...(res.headers.get('etag') ? { etag: res.headers.get('etag')! } : {}),
    ...(res.headers.get('last-modified') ? { last_modified: res.headers.get('last-modified')! } : {}),
    fingerprinted_at: options.now().toISOString(),
  };
  if (!previous) return { report: { url, state: 'new', status: res.status }, lock };
  if (previous.fingerprint === print)
    return {
      report: { url, state: 'unchanged', status: res.status },
      lock: { ...lock, fingerprinted_at: previous.fingerprinted_at },
    };
  // the old fingerprint stays until a maintainer has re-read the page (`--accept`)
  return { report: { url, state: 'changed', status: res.status }, lock: previous, fresh: lock };
}

async function readBounded(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_PAGE_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `work` over `items` with at most `limit` at once, keeping the items' order in the results. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Checks every cited page against the lock. Returns the report and the lock to write: new pages get their first
 * fingerprint, unchanged pages fresh validators; a changed page keeps its old fingerprint unless `accept` names
 * it (a maintainer has re-read it), so the change is reported every week until someone looks.
 */
export async function watchSources(
  seed: Seed,
  lock: LockFile,
  options: WatchOptions & { accept?: (url: string) => boolean } = {},
): Promise<{ report: WatchReport; lock: LockFile }> {
  const opts: Required<WatchOptions> = {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    resolve: options.resolve ?? ((u) => u),
    now: options.now ?? (() => new Date()),
  };
  const cited = citedPages(seed);
  const urls = [...cited.keys()].sort();
  const fetched = await mapBounded(urls, opts.concurrency, (url) => checkPage(url, lock.pages[url], opts));
  const pages: PageReport[] = [];
  const nextPages: Record<string, PageLock> = {};
  fetched.forEach((f, i) => {
    const url = urls[i]!;
    const page = cited.get(url)!;
    pages.push({ ...f.report, facts: page.facts, checked: page.checked });
    const entry = f.report.state === 'changed' && options.accept?.(url) ? f.fresh : f.lock;
    if (entry) nextPages[url] = entry;
  });
  const count = (state: PageState) => pages.filter((p) => p.state === state).length;
  const summary: WatchSummary = {
    at: opts.now().toISOString(),
    pages: pages.length,
    unchanged: count('unchanged'),
    changed: count('changed'),
    new: count('new'),
    gone: count('gone'),
    redirected: count('redirected'),
    errors: count('error'),
  };
  const offline = fetched.length > 0 && fetched.every((f) => f.offline);
  return {
    report: { summary, pages, offline },
    lock: { last_run: offline ? lock.last_run : summary, pages: offline ? lock.pages : nextPages },
  };
}

/** The pages a maintainer must look at, as a plain-text table. */
export function formatReport(report: WatchReport): string {
  const s = report.summary;
  const lines = [
    `${s.pages} pages: ${s.unchanged} unchanged, ${s.changed} changed, ${s.new} new, ${s.gone} gone, ${s.redirected} redirected, ${s.errors} errors`,
  ];
  const attention = report.pages.filter((p) => p.state !== 'unchanged' && p.state !== 'new');
  if (attention.length === 0) return lines.join('\n');
  const rows = attention.map((p) => [
    p.state,
    p.status === undefined ? '' : String(p.status),
    p.checked,
    p.location ? `${p.url} -> ${p.location}` : p.error ? `${p.url} (${p.error})` : p.url,
    p.facts.join(' '),
  ]);
  const header = ['state', 'http', 'checked', 'page', 'facts to re-review'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push('', fmt(header), ...rows.map(fmt));
  return lines.join('\n');
}
