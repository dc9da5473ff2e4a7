import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DatasetSchema, FactSchema } from '../../domain/api.js';
import { datasetInfo } from '../../kb/dataset.js';
import { EXPORT_FORMATS, exportRows, exportText } from '../../kb/export.js';
import type { Kb } from '../../kb/kb.js';
import { CSV, readErrors } from '../schemas.js';

const ExportRowSchema = FactSchema.extend({ topic_title: z.string(), dimension_title: z.string() }).meta({ id: 'ExportRow' });
const ExportSchema = z.object({ dataset: DatasetSchema, facts: z.array(ExportRowSchema) }).meta({ id: 'Export' });

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: CSV } as const;

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/dataset',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'getDataset',
        tags: ['dataset'],
        summary: 'Dataset version, build time, counts and the facts past the staleness threshold',
        response: { 200: DatasetSchema, ...readErrors },
      },
    },
    async () => datasetInfo(kb),
  );

  app.get(
    '/export',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'exportDataset',
        tags: ['dataset'],
        summary: 'The whole dataset for offline use, one fact a row',
        description:
          '`json` answers the Export object; `ndjson` one ExportRow per line (application/x-ndjson); `csv` a header row then one fact per row, sources and tags space-separated (text/csv).',
        querystring: z.object({ format: z.enum(EXPORT_FORMATS).default('json') }),
        response: { 200: z.union([ExportSchema, z.string()]), ...readErrors },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      if (format === 'json') return { dataset: datasetInfo(kb), facts: exportRows(kb) };
      reply.header('content-disposition', `attachment; filename="cloudiff.${format}"`);
      return reply.type(CONTENT_TYPES[format]).send(exportText(kb, format));
    },
  );
};

export default routes;
