import type { Compare, Diff, Fact, SearchResult, TopicSummary } from '../domain/api.js';
import type { Ask } from '../domain/ask.js';
import type { Timeline } from '../domain/timeline.js';

export interface SearchArgs {
  q: string;
  provider?: string;
  topic?: string;
  limit?: number;
}

export interface TimelineArgs {
  from?: string;
  to?: string;
  provider?: string;
  topic?: string;
}

/**
 * Where the CLI gets its answers: the local database through the knowledge layer, or a server through the
 * REST API. Both return exactly the objects the REST API serves, so every renderer works over either.
 */
export interface Backend {
  ask(q: string): Promise<Ask>;
  compare(topic: string, providers?: string): Promise<Compare>;
  diff(from: string, to: string, topic?: string): Promise<Diff>;
  search(args: SearchArgs): Promise<SearchResult>;
  fact(id: string): Promise<Fact>;
  topics(): Promise<{ items: TopicSummary[] }>;
  timeline(query: TimelineArgs): Promise<Timeline>;
  close(): void;
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, notFound: 1, usage: 2, failure: 3 } as const;

/** A failure the CLI reports on stderr and turns into its exit code. */
export class CliFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * A parameter the knowledge layer refused (REST: 400). An unknown topic is something that does not exist
 * (exit 1, like an unknown fact id); anything else typed wrong (a provider, a limit) is a usage error (exit 2).
 * Local and remote runs build the same message from the same parts, so their output is identical.
 */
export function badInput(param: string, detail: string): CliFailure {
  return new CliFailure(param === 'topic' ? EXIT.notFound : EXIT.usage, `${param}: ${detail}`);
}
