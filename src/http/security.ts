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

/**
 * The policy of the /embed/ views: the site's, but framable by the origins of EMBED_ORIGINS (and this origin);
 * X-Frame-Options is left out there, since it cannot name other origins and CSP supersedes it.
 */
export function embedHeaders(headers: Record<string, string>, embedOrigins: readonly string[]): Record<string, string> {
  const { 'x-frame-options': _dropped, ...rest } = headers;
  const csp = headers['content-security-policy']!.replace(
    /frame-ancestors [^;]*/,
    `frame-ancestors ${["'self'", ...embedOrigins].join(' ')}`,
  );
  return { ...rest, 'content-security-policy': csp };
}

/** Security headers (helmet's) on every route, including routes other plugins register later. */
async function securityHeaders(app: FastifyInstance, opts: { embedOrigins?: readonly string[] }) {
  const headers = securityHeaderValues();
  const embed = embedHeaders(headers, opts.embedOrigins ?? []);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.url.startsWith('/embed/') ? embed : headers);
    done();
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
