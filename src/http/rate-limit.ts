import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Requests per minute per client address (RATE_LIMIT_PER_MINUTE; 0 turns it off). It runs as an app-wide
 * onRequest hook registered before the response cache, so every request counts, cached answers and 304s
 * included, on every route whoever registers it (GraphQL, MCP, docs, unknown paths); probes opt out with
 * `config: { rateLimit: false }`. A 429 goes through the error handler: the API's error shape, plus Retry-After.
 */
async function rateLimitPlugin(app: FastifyInstance, opts: { perMinute: number }) {
  if (opts.perMinute <= 0) return;
  await app.register(rateLimit, {
    global: false,
    max: opts.perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => {
      const err = new Error(
        `rate limit exceeded: at most ${context.max} requests per minute per client; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ) as Error & { statusCode: number };
      err.statusCode = context.statusCode;
      return err;
    },
  });
  const limit = app.rateLimit();
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.rateLimit === false) return;
    await limit.call(app, request, reply);
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit' });
