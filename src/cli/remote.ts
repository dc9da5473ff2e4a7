import type { Compare, Diff, Fact, SearchResult, TopicSummary } from '../domain/api.js';
import type { Ask } from '../domain/ask.js';
import type { Timeline } from '../domain/timeline.js';
import { type Backend, badInput, CliFailure, EXIT, type SearchArgs, type TimelineArgs } from './backend.js';

/** REST names the refused parameter this way (src/http/errors.ts); the CLI reports it as the local run does. */
const PARAM_MESSAGE = /^(?:query parameter|path parameter|field) "([^"]+)": (.*)$/s;

/** Answers from a Cloudiff server through the REST API (`--url` or CLOUDIFF_URL). */
export class RemoteBackend implements Backend {
  private readonly base: string;

  constructor(url: string) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CliFailure(EXIT.usage, `--url: not a URL: "${url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CliFailure(EXIT.usage, `--url: must be an http or https URL, not "${url}"`);
    }
    this.base = parsed.href.replace(/\/+$/, '');
  }

  private async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const url = `${this.base}${path}${params.size > 0 ? `?${params}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' } });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliFailure(EXIT.failure, `cannot reach ${this.base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const body = (await res.json().catch(() => undefined)) as { message?: unknown } | undefined;
    if (res.ok && body !== undefined) return body as T;
    const message = typeof body?.message === 'string' ? body.message : `${res.status} ${res.statusText}`;
    if (res.status === 400) {
      const m = PARAM_MESSAGE.exec(message);
      throw m ? badInput(m[1] as string, m[2] as string) : new CliFailure(EXIT.usage, message);
    }
    if (res.status === 404) throw new CliFailure(EXIT.notFound, message);
    throw new CliFailure(EXIT.failure, `${this.base} answered ${res.status}: ${message}`);
  }

  ask(q: string) {
    return this.get<Ask>('/v1/ask', { q, detail: 'full' });
  }
  compare(topic: string, providers?: string) {
    return this.get<Compare>('/v1/compare', { topic, providers });
  }
  diff(from: string, to: string, topic?: string) {
    return this.get<Diff>('/v1/diff', { from, to, topic });
  }
  search(args: SearchArgs) {
    return this.get<SearchResult>('/v1/search', { q: args.q, provider: args.provider, topic: args.topic, limit: args.limit });
  }
  fact(id: string) {
    return this.get<Fact>(`/v1/facts/${encodeURIComponent(id)}`);
  }
  topics() {
    return this.get<{ items: TopicSummary[] }>('/v1/topics');
  }
  timeline(query: TimelineArgs) {
    return this.get<Timeline>('/v1/timeline', { ...query });
  }
  close() {}
}
