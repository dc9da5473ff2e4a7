import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Content-Security-Policy of every response. The API answers JSON, and /docs (Swagger UI) loads its scripts
 * and styles from this origin, so `'self'` is enough; Swagger UI sets inline styles, hence `'unsafe-inline'`
 * for styles only. `upgrade-insecure-requests` is left out: behind plain HTTP (a local run, a cluster
 * without TLS) it would make the browser fetch /docs' assets over HTTPS and fail.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  connectSrc: ["'self'"],
  upgradeInsecureRequests: null,
};

/**
 * GraphiQL (served by Mercurius under /graphiql) loads React and GraphiQL from unpkg.com, has an inline
 * <style> and registers a service worker that caches those files: its pages get a policy naming unpkg.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self' https://unpkg.com",
  "style-src 'self' 'unsafe-inline' https://unpkg.com",
  "font-src 'self' data: https://unpkg.com",
  "img-src 'self' data: https:",
  "connect-src 'self' https://unpkg.com",
  "worker-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The headers helmet sets with these options, computed once. (@fastify/helmet builds helmet's middleware again
 * for every request, parsing the CSP each time: a sixth of the CPU of serving a cached answer.) The options
 * are static, so every response carries the same headers.
 */
function securityHeaderValues(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // the API is meant to be read from other origins (CORS decides which); CORP would block no-cors embeds
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

function isGraphiql(url: string): boolean {
  return url === '/graphiql' || url.startsWith('/graphiql/') || url.startsWith('/graphiql?');
}

/** Security headers (helmet's) on every route, including routes other plugins register later. */
async function securityHeaders(app: FastifyInstance) {
  const headers = securityHeaderValues();
  const graphiql = { ...headers, 'content-security-policy': GRAPHIQL_CSP };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isGraphiql(request.url) ? graphiql : headers);
    done();
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
