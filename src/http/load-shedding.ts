import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Sheds load before it turns into timeouts or a killed process: when the event loop lags or memory nears its
 * limit, requests are answered at once with 503 and Retry-After (in the error shape, via the error handler)
 * instead of queueing. Tests override the limits.
 */
export type LoadSheddingOptions = FastifyUnderPressureOptions;

/** The share of a memory limit at which requests are shed. */
export const SHED_AT = 0.9;
const MIB = 1024 * 1024;

/**
 * The memory thresholds: heap used against V8's heap limit (which the old-space flag derived from
 * MEMORY_LIMIT_MB sets, see src/config.ts), resident set against MEMORY_LIMIT_MB itself (the container's limit).
 */
export function memoryThresholds(
  memoryLimitMb: number,
  heapLimitBytes = getHeapStatistics().heap_size_limit,
): Pick<LoadSheddingOptions, 'maxHeapUsedBytes' | 'maxRssBytes'> {
  return {
    maxHeapUsedBytes: Math.floor(heapLimitBytes * SHED_AT),
    maxRssBytes: Math.floor(memoryLimitMb * MIB * SHED_AT),
  };
}

export const LOAD_SHEDDING_DEFAULTS: LoadSheddingOptions = {
  maxEventLoopDelay: 1000,
  retryAfter: 10,
  message: 'the server is overloaded; retry later',
};

async function loadShedding(app: FastifyInstance, { memoryLimitMb, ...opts }: LoadSheddingOptions & { memoryLimitMb: number }) {
  await app.register(underPressure, { ...LOAD_SHEDDING_DEFAULTS, ...memoryThresholds(memoryLimitMb), ...opts });
}

export default fp(loadShedding, { name: 'load-shedding' });
