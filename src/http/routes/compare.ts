import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CompareSchema, DiffSchema } from '../../domain/api.js';
import { FieldsQuerySchema, SparseCompareSchema, SparseDiffSchema, selectFields } from '../../domain/fields.js';
import { compare, diff } from '../../kb/compare.js';
import { factsCsv } from '../../kb/export.js';
import type { Kb } from '../../kb/kb.js';
import { CSV, queryString, readErrors } from '../schemas.js';

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
          format: z
            .enum(['json', 'csv'])
            .default('json')
            .meta({ description: "`csv`: the matrix's facts, one a row in row and provider order, as text/csv" }),
        }),
        response: { 200: z.union([CompareSchema, SparseCompareSchema, z.string()]), ...readErrors },
      },
    },
    async (request, reply) => {
      const matrix = compare(kb, request.query.topic, request.query.providers, request.query.dimension);
      if (request.query.format === 'csv') {
        const facts = matrix.rows.flatMap((row) => matrix.providers.flatMap((p) => row.cells[p] ?? []));
        reply.header('content-disposition', `attachment; filename="cloudiff-${matrix.topic.slug}.csv"`);
        return reply.type(CSV).send(factsCsv(kb, facts));
      }
      return selectFields(matrix, request.query.fields);
    },
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
