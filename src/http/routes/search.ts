import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SearchResultSchema } from '../../domain/api.js';
import type { Kb } from '../../kb/kb.js';
import { MAX_SEARCH_LIMIT, search } from '../../kb/search.js';
import { queryString, readErrors } from '../schemas.js';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/search',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'search',
        tags: ['search'],
        summary: 'Full-text search over topics, dimensions and facts (FTS5, bm25), with highlighted snippets',
        description: 'Whatever is typed is searched as words: quotes, operators and SQL are plain text.',
        querystring: z.object({
          q: queryString('the words to search for'),
          provider: queryString('only facts of this provider').optional(),
          topic: queryString('only this topic').optional(),
          limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(10),
        }),
        response: { 200: SearchResultSchema, ...readErrors },
      },
    },
    async (request) => search(kb, request.query),
  );
};

export default routes;
