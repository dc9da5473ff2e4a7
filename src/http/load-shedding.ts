import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Sheds load before it turns into timeouts: when the event loop lags or memory runs out, requests are answered
 * at once with 503 and Retry-After (in the error shape, via the error handler) instead of queueing. The limits
 * are far above what a healthy process sees; tests override them.
 */
export type LoadSheddingOptions = FastifyUnderPressureOptions;

export const LOAD_SHEDDING_DEFAULTS: LoadSheddingOptions = {
  maxEventLoopDelay: 1000,
  maxHeapUsedBytes: 1024 * 1024 * 1024,
  maxRssBytes: 1536 * 1024 * 1024,
  retryAfter: 10,
  message: 'the server is overloaded; retry later',
};

async function loadShedding(app: FastifyInstance, opts: LoadSheddingOptions) {
  await app.register(underPressure, { ...LOAD_SHEDDING_DEFAULTS, ...opts });
}

export default fp(loadShedding, { name: 'load-shedding' });
