import { brotliCompress, constants, gzip } from 'node:zlib';

// In kb rather than http: an answer stays valid exactly as long as the dataset version the knowledge layer owns,
// and REST (http/caching.ts) and GraphQL both keep their answers here without importing each other.

/**
 * A cached answer: the serialized body and what is needed to send it again. The body is kept as bytes: a
 * string would be encoded to UTF-8 again for every response (a 60 KB matrix at thousands of requests a
 * second is hundreds of MB/s of short-lived buffers), bytes go to the socket as they are.
 */
export interface CachedResponse {
  body: Buffer;
  contentType: string;
  etag?: string;
  /** The body compressed per content coding, made on the first request that accepts it (then reused). */
  encoded?: Partial<Record<Encoding, Promise<Buffer>>>;
  /** The bytes of the compressed bodies made so far. */
  encodedBytes?: number;
}

/** The content codings answered, best first: br is smaller than gzip at a similar cost for JSON and HTML. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Below this a body is sent as it is: the bytes saved do not pay for the coding on either side. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * The coding to answer with for an `Accept-Encoding` header: br when accepted, else gzip, else none (identity).
 * A coding with `q=0` is refused; `*` accepts any coding not named.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isNaN(value) ? 0 : value);
  }
  return ENCODINGS.find((e) => (q.get(e) ?? q.get('*') ?? 0) > 0);
}

/**
 * Compresses off the event loop (zlib's thread pool). Moderate settings: brotli 5 and gzip 6 keep the first
 * compressed answer of a large matrix to a few milliseconds of a pool thread, within a few percent of the
 * smallest output.
 */
export function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Buffer) => (err ? reject(err) : resolve(out));
    if (encoding === 'br') {
      brotliCompress(
        body,
        {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        },
        done,
      );
    } else gzip(body, { level: 6 }, done);
  });
}

const MAX_ENTRIES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Serialized answers of one dataset version. The knowledge base changes only with its version, so an answer
 * is computed once per version and request; the first lookup with a new version drops every older entry.
 * Bounded in entries and bytes, evicting the oldest first, so hostile unique requests cannot grow it.
 */
export class VersionedCache {
  private version = '';
  private bytes = 0;
  private readonly entries = new Map<string, CachedResponse>();

  constructor(
    private readonly maxEntries = MAX_ENTRIES,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  /** Moves to `version` (clearing on change) and returns the entry for `key`, if any. */
  get(version: string, key: string): CachedResponse | undefined {
    if (version !== this.version) this.reset(version);
    return this.entries.get(key);
  }

  /** The entry for `key` in `version`, without moving to `version` (a request that outlived its version). */
  peek(version: string, key: string): CachedResponse | undefined {
    return version === this.version ? this.entries.get(key) : undefined;
  }

  /** Stores an answer computed from `version`; ignored when the cache has moved on to another version. */
  set(version: string, key: string, value: CachedResponse): void {
    if (version !== this.version || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.grow(value.body.length);
  }

  /**
   * The body of the cached answer for `key` in `encoding`, compressed once for the entry and kept beside its
   * bytes (counted in the byte bound); undefined when nothing is cached for `key` in `version`. Concurrent
   * first requests share one compression.
   */
  encoded(version: string, key: string, encoding: Encoding): Promise<Buffer> | undefined {
    const entry = this.peek(version, key);
    if (!entry) return undefined;
    entry.encoded ??= {};
    let pending = entry.encoded[encoding];
    if (!pending) {
      pending = compress(entry.body, encoding);
      entry.encoded[encoding] = pending;
      pending.then(
        (out) => {
          // evicted or replaced meanwhile: nothing to count
          if (this.entries.get(key) !== entry) return;
          entry.encodedBytes = (entry.encodedBytes ?? 0) + out.length;
          this.grow(out.length);
        },
        () => delete entry.encoded?.[encoding],
      );
    }
    return pending;
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      const entry = this.entries.get(oldest);
      this.bytes -= entry ? entry.body.length + (entry.encodedBytes ?? 0) : 0;
      this.entries.delete(oldest);
    }
  }

  reset(version = ''): void {
    this.entries.clear();
    this.bytes = 0;
    this.version = version;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `Cache-Control: no-cache` on a request asks the origin to answer afresh (the benchmark measures work with it). */
export function wantsFresh(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /no-cache/.test(cacheControl);
}
