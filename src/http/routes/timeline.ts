import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TimelineSchema } from '../../domain/timeline.js';
import type { Kb } from '../../kb/kb.js';
import { DEFAULT_WINDOW_MONTHS, isoToday, MAX_WINDOW_YEARS, timeline } from '../../kb/timeline.js';
import { queryString, readErrors } from '../schemas.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/timeline',
    {
      // without `from` the window starts today: the day is part of what the answer depends on
      config: { cacheable: true, cacheKey: (request) => ('from' in (request.query as object) ? '' : isoToday()) },
      schema: {
        operationId: 'timeline',
        tags: ['compare'],
        summary: 'Dated and versioned changes, retirements and new defaults across the clouds, soonest first',
        description: `Every \`changes\` entry of a fact dated in [from, to], with its fact and sources; changes tied only to a Kubernetes version are listed apart in \`by_version\`. The window is at most ${MAX_WINDOW_YEARS} years.`,
        querystring: z.object({
          from: queryString('ISO date, the first day of the window (default: today, UTC)').optional(),
          to: queryString(`ISO date, the last day of the window (default: from + ${DEFAULT_WINDOW_MONTHS} months)`).optional(),
          provider: queryString('aws, azure or gcp (aliases such as eks, aks, gke work too)').optional(),
          topic: queryString('a topic slug, e.g. cluster-lifecycle').optional(),
        }),
        response: { 200: TimelineSchema, ...readErrors },
      },
    },
    async (request) => timeline(kb, request.query),
  );
};

export default routes;
