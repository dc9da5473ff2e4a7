import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from '../../domain/api.js';
import { AskCompactSchema, AskDetailSchema, AskRequestSchema, AskSchema } from '../../domain/ask.js';
import { ask } from '../../kb/ask/index.js';
import type { Kb } from '../../kb/kb.js';
import { queryString } from '../schemas.js';

/** ask never answers 404: a question that matches nothing is a 200 with suggestions. */
const askErrors = { 400: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema } as const;

/** Compact rows by default; `detail=full` gives the whole comparison rows. */
const AskResponseSchema = z.union([AskCompactSchema, AskSchema]);

const description =
  'Resolves the providers (EKS, AKS, GKE and their aliases; none named means all three) and the topics of a free-text question, and answers from the facts (no LLM): a focused `answer` (the best row for each asked provider with its variant, status and key details, a contrast when the question compares, the other providers in one line), the rows it came from (at most 5, every provider, the asked ones first; compact unless `detail=full`) and the sources the answer quotes. A question that matches nothing gets empty `matches` and `suggestions`.';

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
        querystring: z.object({
          q: queryString('the question, in plain words'),
          detail: AskDetailSchema.optional().meta({ description: 'full: the whole comparison rows instead of compact ones' }),
        }),
        response: { 200: AskResponseSchema, ...askErrors },
      },
    },
    (request) => ask(kb, request.query.q, request.query.detail ?? 'compact'),
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
        response: { 200: AskResponseSchema, ...askErrors },
      },
    },
    (request) => ask(kb, request.body.q, request.body.detail ?? 'compact'),
  );
};

export default routes;
