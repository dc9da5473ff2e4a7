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

  /** Stores an answer computed from `version`; ignored when the cache has moved on to another version. */
  set(version: string, key: string, value: CachedResponse): void {
    if (version !== this.version || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.bytes += value.body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.bytes -= this.entries.get(oldest)?.body.length ?? 0;
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
