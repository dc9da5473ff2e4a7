import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kb } from '../kb/kb.js';
import { VersionedCache, wantsFresh } from '../kb/response-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The dataset version this request is answered from (set for cacheable requests). */
    datasetVersion?: string;
    cacheKey?: string;
    /** `If-None-Match: *` on an answer not yet known to exist: 304 only if the route answers 200. */
    ifAnyMatch?: boolean;
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
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * The knowledge base only changes with its version, so a read's answer is computed once per version and URL:
 * the ETag check and the cached bytes both come before any route work (see VersionedCache).
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
    const etag = hit?.etag ?? config.etag?.(request) ?? etagFor(version, key);
    reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch) {
      // `*` matches any current representation (RFC 9110 13.1.2): one that is cached exists; otherwise only the
      // route can tell, and an error (unknown fact, invalid search) is never one
      const any = ifNoneMatch.trim() === '*';
      if (any ? hit !== undefined : matches(ifNoneMatch, etag)) return reply.code(304).send();
      request.ifAnyMatch = any;
    }
    if (hit && !wantsFresh(request.headers['cache-control'])) return reply.type(hit.contentType).send(hit.body);
    done();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.cacheKey;
    if (key === undefined || reply.statusCode !== 200 || typeof payload !== 'string') {
      if (key !== undefined && reply.statusCode >= 400) reply.removeHeader('etag').header('cache-control', 'no-store');
      return payload;
    }
    cache.set(request.datasetVersion ?? '', key, {
      etag: reply.getHeader('etag') as string,
      body: Buffer.from(payload),
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
    });
    if (request.ifAnyMatch) {
      reply.code(304);
      return null;
    }
    return payload;
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
