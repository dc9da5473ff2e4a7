import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * CORS for the origins in CORS_ORIGINS. Unset means no CORS headers at all: browsers on other origins cannot
 * read the API, which stays usable from servers, scripts and same-origin pages. Reads and the write API's
 * methods and headers are allowed; credentials (cookies) are not used by this API and not allowed.
 */
async function corsPlugin(app: FastifyInstance, opts: { origins: string[] }) {
  if (opts.origins.length === 0) return;
  await app.register(cors, {
    origin: opts.origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'If-Match', 'If-None-Match'],
    exposedHeaders: [
      'ETag',
      'Link',
      'Location',
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 600,
  });
}

export default fp(corsPlugin, { name: 'cors' });
