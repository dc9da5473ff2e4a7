import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProviderSchema, TopicSchema, TopicSummarySchema } from '../../domain/api.js';
import { getTopic, listProviders, listTopics } from '../../kb/catalog.js';
import type { Kb } from '../../kb/kb.js';
import { readErrors } from '../schemas.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/providers',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'listProviders',
        tags: ['catalog'],
        summary: 'The three clouds, with the aliases free-text questions may use',
        response: { 200: z.object({ items: z.array(ProviderSchema) }), ...readErrors },
      },
    },
    async () => ({ items: listProviders(kb) }),
  );

  app.get(
    '/topics',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'listTopics',
        tags: ['catalog'],
        summary: 'Every topic with its summary and counts',
        response: { 200: z.object({ items: z.array(TopicSummarySchema) }), ...readErrors },
      },
    },
    async () => ({ items: listTopics(kb) }),
  );

  app.get(
    '/topics/:slug',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'getTopic',
        tags: ['catalog'],
        summary: 'One topic with its dimensions, their upstream Kubernetes baselines and divergences',
        params: z.object({ slug: z.string().max(200) }),
        response: { 200: TopicSchema, ...readErrors },
      },
    },
    async (request) => getTopic(kb, request.params.slug),
  );
};

export default routes;
