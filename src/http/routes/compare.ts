import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CompareSchema, DiffSchema } from '../../domain/api.js';
import { FieldsQuerySchema, SparseCompareSchema, SparseDiffSchema, selectFields } from '../../domain/fields.js';
import { compare, diff } from '../../kb/compare.js';
import type { Kb } from '../../kb/kb.js';
import { queryString, readErrors } from '../schemas.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/compare',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'compare',
        tags: ['compare'],
        summary: 'The comparison matrix of a topic: a row per dimension, a cell per provider',
        querystring: z.object({
          topic: queryString('topic slug or one of its aliases, e.g. load-balancing or "load balancer"'),
          providers: queryString('comma-separated providers (default: all three), e.g. aws,gcp').optional(),
          dimension: queryString(
            "comma-separated dimension slugs of the topic (default: all), rows in the topic's order, e.g. default-lb-for-service",
          ).optional(),
          fields: FieldsQuerySchema,
        }),
        response: { 200: z.union([CompareSchema, SparseCompareSchema]), ...readErrors },
      },
    },
    async (request) =>
      selectFields(compare(kb, request.query.topic, request.query.providers, request.query.dimension), request.query.fields),
  );

  app.get(
    '/diff',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'diff',
        tags: ['compare'],
        summary: 'What changes when a workload moves from one cloud to another, highest severity first',
        querystring: z.object({
          from: queryString('the provider moved from'),
          to: queryString('the provider moved to'),
          topic: queryString('restrict to one topic').optional(),
          fields: FieldsQuerySchema,
        }),
        response: { 200: z.union([DiffSchema, SparseDiffSchema]), ...readErrors },
      },
    },
    async (request) => selectFields(diff(kb, request.query.from, request.query.to, request.query.topic), request.query.fields),
  );
};

export default routes;
