import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SeedTopic } from '../domain/seed.js';
import type { Checked } from './read.js';

export interface ParseJob {
  id: number;
  file: string;
  bytes: Uint8Array;
}

export interface ParseResult {
  id: number;
  checked: Checked<SeedTopic>;
}

/** Files handed to the workers ahead of the consumer: enough to keep them busy, few enough to bound memory. */
const PARSE_AHEAD = 16;

/** parse-worker.ts from the sources, parse-worker.js from dist/: the language this module runs in. */
const WORKER_MODULE = new URL(`./parse-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

/**
 * Parses and validates topic files on worker threads (parseTopicFile) and hands the results back in the order
 * the files came from `source`. A file is pulled from `source` each time one is consumed, so reading (and
 * hashing) happens in file order on the consumer's thread. A failed worker fails the next result. close() must
 * be called on every path: a live worker keeps the process running.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly pending: number[];
  private readonly results = new Map<number, Checked<SeedTopic>>();
  private waiting: { resolve: (checked: Checked<SeedTopic>) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;
  private sent = 0;
  private consumed = 0;
  private closing = false;

  constructor(
    private readonly source: () => { file: string; bytes: Uint8Array } | undefined,
    size: number,
  ) {
    this.workers = Array.from({ length: size }, (_, i) => this.start(i));
    this.pending = this.workers.map(() => 0);
    this.fill();
  }

  /** The result of the next file; call it once per file the source gives. */
  next(): Promise<Checked<SeedTopic>> {
    if (this.failure) return Promise.reject(this.failure);
    const checked = this.take();
    if (checked) return Promise.resolve(checked);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private start(index: number): Worker {
    const worker = new Worker(new URL('./start-worker.mjs', import.meta.url), { workerData: { module: WORKER_MODULE } });
    worker.on('message', ({ id, checked }: ParseResult) => {
      this.pending[index]!--;
      this.results.set(id, checked);
      const waiting = this.waiting;
      const next = waiting && this.take();
      if (next) {
        this.waiting = undefined;
        waiting.resolve(next);
      }
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`a seed parse worker exited early (code ${code})`));
    });
    return worker;
  }

  private take(): Checked<SeedTopic> | undefined {
    const checked = this.results.get(this.consumed);
    if (!checked) return undefined;
    this.results.delete(this.consumed++);
    this.fill();
    return checked;
  }

  private fill(): void {
    while (this.sent < this.consumed + PARSE_AHEAD) {
      const next = this.read();
      if (!next) return;
      // the least busy worker: one slowed by a big file does not hold up the files behind it
      const w = this.pending.indexOf(Math.min(...this.pending));
      this.pending[w]!++;
      this.workers[w]!.postMessage({ id: this.sent++, ...next } satisfies ParseJob);
    }
  }

  /** The source's next file; a file that cannot be read fails the pool rather than the event handler reading it. */
  private read(): ReturnType<typeof this.source> {
    if (this.failure) return undefined;
    try {
      return this.source();
    } catch (err) {
      this.fail(err as Error);
      return undefined;
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }
}
