import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../domain/api.js';
import { AskRequestSchema, AskSchema } from '../../domain/ask.js';
import { ask } from '../../kb/ask/index.js';
import type { Kb } from '../../kb/snapshot.js';
import { queryString } from '../schemas.js';

/** ask never answers 404: a question that matches nothing is a 200 with suggestions. */
const askErrors = { 400: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema } as const;

const description =
  'Resolves the providers (EKS, AKS, GKE and their aliases; none named means all three) and the topics of a free-text question, and answers with a few sentences assembled from the facts (no LLM), the best comparison rows (at most 5; every provider, the asked ones first) and the sources. A question that matches nothing gets empty `matches` and `suggestions`.';

const routes: FastifyPluginAsyncZod<{ kb: Kb }> = async (app, { kb }) => {
  app.get(
    '/ask',
    {
      config: { cacheable: true },
      schema: {
        operationId: 'ask',
        tags: ['search'],
        summary: 'Answer a question such as "how does pod IP allocation differ on GKE?" from the facts, with citations',
        description,
        querystring: z.object({ q: queryString('the question, in plain words') }),
        response: { 200: AskSchema, ...askErrors },
      },
    },
    (request) => ask(kb, request.query.q),
  );

  app.post(
    '/ask',
    {
      schema: {
        operationId: 'askPost',
        tags: ['search'],
        summary: 'The same as GET /v1/ask, with the question in a JSON body (for long questions and clients that POST)',
        description,
        body: AskRequestSchema,
        response: { 200: AskSchema, ...askErrors },
      },
    },
    (request) => ask(kb, request.body.q),
  );
};

export default routes;
