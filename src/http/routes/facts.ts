import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FactSchema, FactsPageSchema } from '../../domain/api.js';
import { FieldsQuerySchema, SparseFactSchema, SparseFactsPageSchema, selectFields } from '../../domain/fields.js';
import { factsCsv } from '../../kb/export.js';
import { factEtag } from '../../kb/fact-etag.js';
import { DEFAULT_PAGE_SIZE, getFact, listFacts, MAX_PAGE_SIZE, matchingFacts } from '../../kb/facts.js';
import type { Kb } from '../../kb/kb.js';
import { CSV, queryString, readErrors } from '../schemas.js';

export const FactsQuerySchema = z.object({
  provider: queryString('aws, azure or gcp (aliases such as eks, aks, gke work too)').optional(),
  topic: queryString('a topic slug, e.g. dns').optional(),
  dimension: queryString('a dimension slug, or topic/dimension').optional(),
  tag: queryString('facts carrying this tag').optional(),
  status: queryString(
    'facts in this lifecycle status: one of ga, preview, deprecated, retired, unavailable, or a comma-separated list',
  ).optional(),
  verified_before: queryString('ISO date: facts last verified before it').optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `page size, 1 to ${MAX_PAGE_SIZE}` }),
  cursor: queryString('the `next` value of the previous page').optional(),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .meta({ description: '`csv`: every fact the filters match (no paging), one a row, as text/csv' }),
  fields: FieldsQuerySchema,
});

/**
 * The fact id of a wildcard path. The router has decoded it once; ids encoded twice are decoded again, and
 * a `%` that does not start an escape (`%zz`) is kept as typed instead of failing the request.
 */
export function factIdParam(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * `aws/dns/ndots/history` names the history of `aws/dns/ndots`: a fact id has exactly three segments
 * (provider/topic/dimension, then `#variant`), so a fourth segment `history` can never be part of an id.
 */
export function historyOf(id: string): string | undefined {
  return /^([^/]+\/[^/]+\/[^/]+)\/history$/.exec(id)?.[1];
}

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/facts',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'listFacts',
        tags: ['facts'],
        summary: 'Facts filtered by provider, topic, dimension, tag, status or verification date, a page at a time',
        description: 'Pages follow fact id order. Pass `next` back as `cursor`; the `Link` header carries the next page too.',
        querystring: FactsQuerySchema,
        response: { 200: z.union([FactsPageSchema, SparseFactsPageSchema, z.string()]), ...readErrors },
      },
    },
    async (request, reply) => {
      if (request.query.format === 'csv') {
        reply.header('content-disposition', 'attachment; filename="cloudiff-facts.csv"');
        return reply.type(CSV).send(factsCsv(kb, matchingFacts(kb, request.query)));
      }
      const { total: _total, ...page } = listFacts(kb, request.query);
      if (page.next) {
        // the request's own parameters in its order, but only the validated ones with their validated values:
        // echoing unknown or padded parameters would let a client grow the response headers past what clients
        // and proxies accept (16 KiB in Node's and undici's HTTP parsers)
        const url = new URL(request.url, 'http://x');
        const query = request.query as Record<string, unknown>;
        const next = new URLSearchParams();
        for (const key of new Set(url.searchParams.keys())) {
          if (key !== 'cursor' && Object.hasOwn(FactsQuerySchema.shape, key) && query[key] !== undefined) {
            next.set(key, String(query[key]));
          }
        }
        next.set('cursor', page.next);
        reply.header('link', `<${url.pathname}?${next}>; rel="next"`);
      }
      return selectFields(page, request.query.fields);
    },
  );

  // Fact ids contain `/` (and `#` before a variant): accepted URL-encoded or as path segments.
  app.get(
    '/facts/*',
    {
      // the ETag of a fact is its own (content and revision), the one PATCH and DELETE expect in If-Match
      config: {
        cacheable: true,
        etag: (request) => factEtag(kb, factIdParam((request.params as { '*': string })['*'] ?? '')),
      },
      schema: {
        operationId: 'getFact',
        tags: ['facts'],
        summary: 'One fact with its sources',
        description:
          'The id may be URL-encoded (`/v1/facts/gcp%2Fdns%2Fcluster-dns-server`) or given as path segments (`/v1/facts/gcp/dns/cluster-dns-server`); encode `#` as `%23`.',
        params: z.object({ '*': z.string().max(500).meta({ description: 'the fact id' }) }),
        querystring: z.object({ fields: FieldsQuerySchema }),
        response: { 200: z.union([FactSchema, SparseFactSchema]), ...readErrors },
      },
    },
    async (request, reply) => {
      const id = factIdParam(request.params['*']);
      const history = historyOf(id);
      // the history route matches ids given as segments; an encoded id followed by /history is sent there
      if (history)
        return reply.redirect(`${app.prefix}/facts/${history.split('/').map(encodeURIComponent).join('/')}/history`, 308);
      return selectFields(getFact(kb, id), request.query.fields);
    },
  );
};

export default routes;
