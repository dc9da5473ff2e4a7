import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { type ASTVisitor, GraphQLError, parse, type ValidationContext } from 'graphql';
import mercurius from 'mercurius';
import type { Kb } from '../kb/kb.js';
import { VersionedCache, wantsFresh } from '../kb/response-cache.js';
import type { Snapshot } from '../kb/snapshot.js';
import { MAX_QUERY_COST, MAX_RESPONSE_BYTES, pickOperation, queryCost, queryTooCostly, responseTooLarge } from './cost.js';
import { formatErrors, limitErrorBody } from './errors.js';
import { createResolvers } from './resolvers.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The query text as the client sent it (set by the preParsing hook; Mercurius keeps its own copy private). */
    source?: string;
  }
}

export const SCHEMA = readFileSync(resolve(import.meta.dirname, 'schema.graphql'), 'utf8');

/**
 * The deepest query the schema needs is 9 levels (compare > rows > cells > facts > dimension > divergence >
 * migration > from > slug); one spare level, then cycles such as topic > dimensions > topic are refused.
 */
export const MAX_QUERY_DEPTH = 10;
/** A bound on parsing work, far above any useful query (the standard introspection query is under 200 tokens). */
export const MAX_QUERY_TOKENS = 5000;

type JsonSchema = { type?: string | string[]; properties?: Record<string, { type?: string | string[] }> };

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/**
 * The app compiles zod schemas; Mercurius declares its request in JSON Schema (query, variables,
 * operationName, extensions, each with a type). This checks exactly that; a mismatch becomes a 400.
 */
const requestValidator: FastifySchemaCompiler<JsonSchema> =
  ({ schema, httpPart }) =>
  (data) => {
    if (jsonType(data) !== 'object') return { error: new Error(`the ${httpPart} must be a JSON object`) };
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const value = (data as Record<string, unknown>)[name];
      if (value === undefined) continue;
      const types = [prop.type ?? []].flat();
      const ok = httpPart === 'querystring' ? typeof value === 'string' : types.includes(jsonType(value));
      if (!ok)
        return {
          error: new Error(`${httpPart} "${name}" must be ${httpPart === 'querystring' ? 'given once' : types.join(' or ')}`),
        };
    }
    return { value: data };
  };

interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The cache key of a GraphQL request: the query, its variables and operation, whichever method carried them. */
function requestKey(method: string, url: string, body: unknown): string | undefined {
  if (method === 'GET') return url;
  const b = body as GraphqlRequestBody | undefined;
  if (typeof b?.query !== 'string') return undefined;
  return JSON.stringify([b.query, b.variables ?? null, b.operationName ?? null]);
}

/** What the hooks of one /graphql request share: the snapshot it reads, its cache key, what it runs. */
interface RequestState {
  snapshot: Snapshot;
  /** Undefined when the request cannot be cached (no query text). */
  key: string | undefined;
  operationName: string | undefined;
  /** Set before execution: only a query's answer is kept (a mutation's never is). */
  isQuery: boolean;
}

/** There is no Subscription type: a subscription is a client's mistake, refused with the other validation errors. */
const noSubscriptions = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(
        new GraphQLError('subscriptions are not supported: this API answers queries and mutations only', { nodes: node }),
      );
    }
  },
});

/**
 * GraphQL at /graphql (GET and POST), over the same kb functions as REST. It sits in
 * its own scope: Mercurius' JSON Schemas get their own compilers, its routes stay out of the OpenAPI document,
 * and they are not `cacheable`, so the REST response cache never sees them.
 */
async function graphql(app: FastifyInstance, { kb }: { kb: Kb }) {
  await app.register(async (scope) => {
    scope.setValidatorCompiler(requestValidator);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });

    // Answers are computed once per dataset version and request, like REST reads: a portal asking the same
    // matrix again costs a map lookup. Only error-free query answers are kept.
    const cache = new VersionedCache();
    const states = new WeakMap<object, RequestState>();
    scope.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql') return;
      const source = ((request.method === 'GET' ? request.query : request.body) ?? {}) as GraphqlRequestBody;
      const snapshot = kb.snapshot();
      const key = requestKey(request.method, request.url, request.body);
      const operationName = typeof source.operationName === 'string' ? source.operationName : undefined;
      states.set(request, { snapshot, key, operationName, isQuery: false });
      const hit =
        key === undefined || wantsFresh(request.headers['cache-control']) ? undefined : cache.get(snapshot.version, key);
      if (hit) return reply.type(hit.contentType).send(hit.body);
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      const state = states.get(request);
      if (!state || typeof payload !== 'string') return payload;
      if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
        reply.code(400);
        return JSON.stringify(limitErrorBody(responseTooLarge()));
      }
      if (state.key === undefined || !state.isQuery || reply.statusCode !== 200 || payload.includes('"errors":')) return payload;
      cache.set(state.snapshot.version, state.key, {
        body: Buffer.from(payload),
        contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      });
      return payload;
    });

    await scope.register(mercurius, {
      schema: SCHEMA,
      resolvers: createResolvers(kb, app.adminCheck),
      // every field of one request reads the same snapshot, the one its cache entry is filed under
      context: (request) => ({ snapshot: states.get(request)?.snapshot ?? kb.snapshot() }),
      // the explorer at /graphiql is the web UI's, served from this service's own assets (src/web)
      graphiql: false,
      // compile a query to JavaScript from its second run
      jit: 1,
      queryDepth: MAX_QUERY_DEPTH,
      validationRules: [noSubscriptions],
      graphql: { parseOptions: { maxTokens: MAX_QUERY_TOKENS } },
      errorFormatter: formatErrors,
    });

    scope.graphql.addHook('preParsing', async (_schema, source, context) => {
      context.source = source;
    });
    // Mercurius reads a query that is not GraphQL as a JSON document AST; only parsed text is accepted here
    // (a parsed document's location keeps its tokens, JSON cannot carry them).
    scope.graphql.addHook('preValidation', async (_schema, document, context) => {
      if (document?.kind === 'Document' && document.loc?.startToken !== undefined) return;
      let error: Error = new GraphQLError('Syntax Error: the query must be GraphQL text');
      try {
        if (typeof context.source === 'string') parse(context.source, { maxTokens: MAX_QUERY_TOKENS });
      } catch (syntaxError) {
        error = syntaxError as Error;
      }
      throw Object.assign(error, { statusCode: 400 });
    });
    // The cost is counted on every run (a cached document may come with other variables), before anything runs.
    scope.graphql.addHook('preExecution', async (schema, document, context, variables) => {
      const state = states.get(context.reply.request);
      const operation = pickOperation(document, state?.operationName);
      if (state) state.isQuery = operation?.operation === 'query';
      const cost = queryCost(schema, context.snapshot, document, variables ?? {}, state?.operationName);
      if (cost > MAX_QUERY_COST) throw queryTooCostly(cost);
    });
  });
}

export default fp(graphql, { name: 'graphql' });
