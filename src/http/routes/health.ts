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
        summary: 'Readiness: the database answers and holds a dataset; says whether it can take writes',
        response: {
          200: z.object({
            status: z.literal('ready'),
            version: z.string(),
            facts: z.number().int(),
            writable: z.boolean().meta({ description: 'whether writes are possible (a read-only replica is ready too)' }),
          }),
          503: ErrorSchema,
        },
      },
    },
    async (_request, reply) => {
      const snap = kb.snapshot();
      if (snap.facts.length === 0) {
        return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'no dataset is loaded' });
      }
      return { status: 'ready' as const, version: snap.version, facts: snap.facts.length, writable: !kb.writeProblem() };
    },
  );
};

export default routes;
