import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kb } from '../kb/kb.js';
import {
  compress,
  type Encoding,
  MIN_COMPRESSED_BYTES,
  negotiateEncoding,
  VersionedCache,
  wantsFresh,
} from '../kb/response-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The dataset version this request is answered from (set for cacheable requests). */
    datasetVersion?: string;
    cacheKey?: string;
    /** `If-None-Match: *` on an answer not yet known to exist: 304 only if the route answers 200. */
    ifAnyMatch?: boolean;
    /** The content coding the client accepts for this answer (set for cacheable requests that may be compressed). */
    encoding?: Encoding;
  }
  interface FastifyContextConfig {
    /** Opt a GET route into ETags and the response cache (every read of the knowledge base). */
    cacheable?: boolean;
    /** What else than the URL the answer depends on (the web pages' links depend on the Host). */
    cacheKey?: (request: FastifyRequest) => string;
    /** The ETag of a cacheable route's answer when it is not the dataset version's (e.g. a fact's own ETag). */
    etag?: (request: FastifyRequest) => string | undefined;
  }
}

/** Cache-Control of every read: clients and proxies may reuse a response for a minute, then revalidate. */
export const CACHE_CONTROL = 'public, max-age=60, must-revalidate';

/** The ETag of a response: the dataset version plus a hash of the request (path and query). */
export function etagFor(version: string, url: string): string {
  return `"${version}-${createHash('sha1').update(url).digest('base64url').slice(0, 16)}"`;
}

function matches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag.replace(/^W\//, ''));
}

/**
 * A compressed answer carries the weak form of the answer's ETag (`W/"…"`), as nginx does: the coded bytes
 * differ from the identity ones, so a strong tag may not name both, while the content is the same, and
 * If-None-Match compares weakly, so a tag held in either form revalidates (304) whichever coding is asked.
 */
const weak = (etag: string) => (etag.startsWith('W/') ? etag : `W/${etag}`);

function addVary(reply: FastifyReply, header: string): void {
  const vary = reply.getHeader('vary');
  const list =
    vary === undefined
      ? []
      : String(vary)
          .split(',')
          .map((v) => v.trim());
  if (!list.some((v) => v.toLowerCase() === header.toLowerCase() || v === '*'))
    reply.header('vary', [...list, header].join(', '));
}

/**
 * The knowledge base only changes with its version, so a read's answer is computed once per version and URL:
 * the ETag check and the cached bytes both come before any route work (see VersionedCache). So is its
 * compressed form: br or gzip when the client accepts it (`Vary: Accept-Encoding`), made on the first request
 * that asks and kept beside the bytes; bodies under MIN_COMPRESSED_BYTES and clients that do not ask get the
 * identity bytes. Routes with their own ETag (a fact's, which If-Match takes: a strong comparison) are never
 * compressed, so the tag a client reads is always the one a write accepts.
 */
async function caching(app: FastifyInstance, opts: { kb: Kb }) {
  const { kb } = opts;
  const cache = new VersionedCache();

  // callback style, and routeOptions read once (each read builds a new object): this runs for every cached answer
  // HEAD runs the GET route (Fastify drops the body), so it gets the same ETag, Cache-Control and 304s
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const config = request.method === 'GET' || request.method === 'HEAD' ? request.routeOptions.config : undefined;
    if (!config?.cacheable) return done();
    const version = kb.version();
    request.datasetVersion = version;
    const key = config.cacheKey ? `${config.cacheKey(request)} ${request.url}` : request.url;
    request.cacheKey = key;
    const hit = cache.get(version, key);
    if (!config.etag) {
      addVary(reply, 'Accept-Encoding');
      request.encoding = negotiateEncoding(request.headers['accept-encoding']);
    }
    const encoding = hit && hit.body.length >= MIN_COMPRESSED_BYTES ? request.encoding : undefined;
    const strong = hit?.etag ?? config.etag?.(request) ?? etagFor(version, key);
    const etag = encoding ? weak(strong) : strong;
    reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch) {
      // `*` matches any current representation (RFC 9110 13.1.2): one that is cached exists; otherwise only the
      // route can tell, and an error (unknown fact, invalid search) is never one
      const any = ifNoneMatch.trim() === '*';
      if (any ? hit !== undefined : matches(ifNoneMatch, etag)) return reply.code(304).send();
      request.ifAnyMatch = any;
    }
    if (hit && !wantsFresh(request.headers['cache-control'])) {
      reply.type(hit.contentType);
      const coded = encoding && cache.encoded(version, key, encoding);
      if (!coded) return reply.send(hit.body);
      coded.then(
        (body) => reply.header('content-encoding', encoding).send(body),
        (err: Error) => reply.send(err),
      );
      return;
    }
    done();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.cacheKey;
    if (key === undefined || reply.statusCode !== 200 || typeof payload !== 'string') {
      if (key !== undefined && reply.statusCode >= 400) reply.removeHeader('etag').header('cache-control', 'no-store');
      return payload;
    }
    const version = request.datasetVersion ?? '';
    const etag = reply.getHeader('etag') as string;
    const body = Buffer.from(payload);
    cache.set(version, key, { etag, body, contentType: String(reply.getHeader('content-type') ?? 'application/json') });
    const encoding = body.length >= MIN_COMPRESSED_BYTES ? request.encoding : undefined;
    if (encoding) reply.header('etag', weak(etag));
    if (request.ifAnyMatch) {
      reply.code(304);
      return null;
    }
    if (!encoding) return payload;
    reply.header('content-encoding', encoding);
    // the cached compressed bytes when these are the cached bytes (a `no-cache` request recomputes the same answer)
    return cache.peek(version, key)?.body.equals(body) ? cache.encoded(version, key, encoding) : compress(body, encoding);
  });

  app.decorate('responseCache', {
    clear: () => cache.reset(),
    size: () => cache.size,
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    responseCache: { clear(): void; size(): number };
  }
}

export default fp(caching, { name: 'caching' });
