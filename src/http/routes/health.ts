import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../domain/api.js';
import type { Kb } from '../../kb/kb.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'health',
        tags: ['probes'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'ready',
        tags: ['probes'],
        summary: 'Readiness: the database answers and holds a dataset',
        response: {
          200: z.object({ status: z.literal('ready'), version: z.string(), facts: z.number().int() }),
          503: ErrorSchema,
        },
      },
    },
    async (_request, reply) => {
      const snap = kb.snapshot();
      if (snap.facts.length === 0) {
        return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'no dataset is loaded' });
      }
      return { status: 'ready' as const, version: snap.version, facts: snap.facts.length };
    },
  );
};

export default routes;
