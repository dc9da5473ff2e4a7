import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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

/** Security headers (helmet) on every route, including routes other plugins register later. */
async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // the API is meant to be read from other origins (CORS decides which); CORP would block no-cors embeds
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url === '/graphiql' || request.url.startsWith('/graphiql/') || request.url.startsWith('/graphiql?')) {
      reply.header('content-security-policy', GRAPHIQL_CSP);
    }
    return payload;
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
