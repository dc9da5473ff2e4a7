import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangesSchema, FactHistorySchema, FactPatchSchema, NewFactSchema } from '../../domain/admin.js';
import { ErrorSchema, FactSchema } from '../../domain/api.js';
import {
  createFact,
  DEFAULT_CHANGES_LIMIT,
  DEFAULT_HISTORY_LIMIT,
  deleteFact,
  factHistory,
  listChanges,
  MAX_CHANGES_LIMIT,
  MAX_HISTORY_LIMIT,
  updateFact,
} from '../../kb/admin.js';
import type { Kb } from '../../kb/kb.js';
import { queryString, readErrors } from '../schemas.js';
import { factIdParam } from './facts.js';

/** Every way a write can fail, so the document shows them all. */
const writeErrors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  429: ErrorSchema,
  503: ErrorSchema,
} as const;
const conditionalErrors = {
  ...writeErrors,
  412: ErrorSchema,
  428: ErrorSchema,
} as const;

const IdParams = z.object({ '*': z.string().max(500).meta({ description: 'the fact id (URL-encoded or as path segments)' }) });
const IfMatchHeaders = z.object({
  'if-match': z.string().max(2000).optional().meta({ description: 'the ETag of the fact from GET /v1/facts/{id} (required)' }),
});
const bearer = [{ bearerAuth: [] }];

/**
 * The write API (bearer token, see auth.ts) and the history reads. A fact's ETag (answered by GET, POST and
 * PATCH) hashes its content and last revision; PATCH and DELETE need it in If-Match, so an edit based on a
 * stale read is refused with 412 instead of silently overwriting someone else's change.
 */
const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.post(
    '/facts',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'createFact',
        tags: ['admin'],
        summary: 'Add a fact (a new variant of a cell)',
        description:
          'The body is a fact as in the seed files plus its provider, topic and dimension. Answers 201 with the fact, its `Location` and its `ETag`. 409 when the fact exists or the cell cannot take it.',
        security: bearer,
        body: NewFactSchema,
        response: { 201: FactSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { fact, etag } = createFact(kb, request.body, { actor: request.adminActor ?? 'admin' });
      return reply
        .code(201)
        .header('etag', etag)
        .header('location', `${app.prefix}/facts/${encodeURIComponent(fact.id)}`)
        .send(fact);
    },
  );

  app.patch(
    '/facts/*',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'updateFact',
        tags: ['admin'],
        summary: 'Change some fields of a fact',
        description:
          'Requires `If-Match` with the ETag of the fact. Absent fields keep their value; `default: true` makes the fact the default of its cell.',
        security: bearer,
        params: IdParams,
        headers: IfMatchHeaders,
        body: FactPatchSchema,
        response: { 200: FactSchema, ...conditionalErrors },
      },
    },
    async (request, reply) => {
      const { fact, etag } = updateFact(kb, factIdParam(request.params['*']), request.body, {
        actor: request.adminActor ?? 'admin',
        ifMatch: request.headers['if-match'],
      });
      return reply.header('etag', etag).send(fact);
    },
  );

  app.delete(
    '/facts/*',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'deleteFact',
        tags: ['admin'],
        summary: 'Remove a variant of a cell',
        description:
          'Requires `If-Match`. The last fact of a cell and the default of a cell cannot be deleted (409): every dimension keeps a fact for every provider.',
        security: bearer,
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: z.null().meta({ description: 'deleted' }), ...conditionalErrors },
      },
    },
    async (request, reply) => {
      deleteFact(kb, factIdParam(request.params['*']), {
        actor: request.adminActor ?? 'admin',
        ifMatch: request.headers['if-match'],
      });
      return reply.code(204).send(null);
    },
  );

  // More specific than GET /facts/* (the router prefers it); `#variant` goes into the last segment as %23.
  app.get(
    '/facts/:provider/:topic/:dimension/history',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'getFactHistory',
        tags: ['facts'],
        summary: 'Every change to a fact: who, when, before and after',
        description:
          'The fact id as path segments (`/v1/facts/gcp/dns/cluster-dns-server%23kube-dns/history`); an URL-encoded id followed by `/history` is redirected here. Facts unchanged since the seed have an empty history; deleted facts keep theirs. Pages follow revision order: pass `next` back as `cursor`.',
        params: z.object({
          provider: z.string().max(100),
          topic: z.string().max(200),
          dimension: z.string().max(400).meta({ description: 'the dimension slug, plus `%23variant-slug` for a variant' }),
        }),
        querystring: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_HISTORY_LIMIT)
            .default(DEFAULT_HISTORY_LIMIT)
            .meta({ description: `page size, 1 to ${MAX_HISTORY_LIMIT}` }),
          cursor: queryString('the `next` value of the previous page').optional(),
        }),
        response: { 200: FactHistorySchema, ...readErrors },
      },
    },
    async (request) => {
      const { provider, topic, dimension } = request.params;
      return factHistory(kb, factIdParam(`${provider}/${topic}/${dimension}`), request.query);
    },
  );

  app.get(
    '/changes',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'listChanges',
        tags: ['dataset'],
        summary: 'What changed since a time: admin edits and reseeds, oldest first',
        description:
          'For clients that sync: keep the `at` of the last item and ask again with it as `since`. A `reseed` replaces the whole dataset: fetch everything again.',
        querystring: z.object({
          since: queryString('ISO time (2026-01-31T00:00:00Z) or date; changes strictly after it'),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_CHANGES_LIMIT)
            .default(DEFAULT_CHANGES_LIMIT)
            .meta({ description: `at most this many changes, 1 to ${MAX_CHANGES_LIMIT}` }),
        }),
        response: { 200: ChangesSchema, ...readErrors },
      },
    },
    async (request) => listChanges(kb, request.query.since, request.query.limit),
  );
};

export default routes;
