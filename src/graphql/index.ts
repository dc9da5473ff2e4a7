import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import fp from 'fastify-plugin';
import { GraphQLError, type OperationDefinitionNode, parse } from 'graphql';
import mercurius, { type Loader, type MercuriusLoaders } from 'mercurius';
import { VersionedCache, wantsFresh } from '../http/response-cache.js';
import type { Kb } from '../kb/snapshot.js';
import { formatErrors } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createResolvers } from './resolvers.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The loaders behind every nested GraphQL field, looked up per batch (tests spy on them). */
    graphqlLoaders: Loaders;
  }
}

export const SCHEMA = readFileSync(resolve(import.meta.dirname, 'schema.graphql'), 'utf8');

/**
 * The deepest query the schema needs is 9 levels (compare > rows > cells > facts > dimension > divergence >
 * migration > from > slug); one spare level, then cycles such as topic > dimensions > topic are refused.
 */
export const MAX_QUERY_DEPTH = 10;
/** A bound on parsing work; the introspection query GraphiQL sends is about 400 tokens. */
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

/** Whether the operation a request runs is a query (only queries are cached; mutations never are). */
function isQuery(query: string, operationName: unknown): boolean {
  try {
    const ops = parse(query, { maxTokens: MAX_QUERY_TOKENS }).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
    );
    const op =
      typeof operationName === 'string'
        ? ops.find((o) => o.name?.value === operationName)
        : ops.length === 1
          ? ops[0]
          : undefined;
    return op?.operation === 'query';
  } catch {
    return false;
  }
}

/** Mercurius looks loaders up once; these look them up per batch, so `app.graphqlLoaders` can be spied on. */
function lateBound(loaders: Loaders): MercuriusLoaders {
  const out: MercuriusLoaders = {};
  for (const [type, fields] of Object.entries(loaders)) {
    const bound: Record<string, Loader> = {};
    for (const field of Object.keys(fields)) {
      bound[field] = (queries, context) =>
        (loaders as unknown as Record<string, Record<string, Loader>>)[type]?.[field]?.(queries, context);
    }
    out[type] = bound;
  }
  return out;
}

/**
 * GraphQL at /graphql (GET and POST), over the same kb functions as REST. It sits in
 * its own scope: Mercurius' JSON Schemas get their own compilers, its routes stay out of the OpenAPI document,
 * and they are not `cacheable`, so the REST response cache never sees them.
 */
async function graphql(app: FastifyInstance, { kb }: { kb: Kb }) {
  const loaders = createLoaders(kb);
  app.decorate('graphqlLoaders', loaders);

  await app.register(async (scope) => {
    scope.setValidatorCompiler(requestValidator);
    scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });

    // Answers are computed once per dataset version and request, like REST reads: a portal asking the same
    // matrix again costs a map lookup. Only error-free query answers are kept.
    const cache = new VersionedCache();
    const pending = new WeakMap<object, { version: string; key: string; query: string; operationName: unknown }>();
    scope.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql') return;
      const key = requestKey(request.method, request.url, request.body);
      if (key === undefined) return;
      const version = kb.version();
      const source = (request.method === 'GET' ? request.query : request.body) as GraphqlRequestBody;
      pending.set(request, { version, key, query: String(source.query ?? ''), operationName: source.operationName });
      const hit = wantsFresh(request.headers['cache-control']) ? undefined : cache.get(version, key);
      if (hit) return reply.type(hit.contentType).send(hit.body);
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      const entry = pending.get(request);
      if (!entry || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      if (payload.includes('"errors":') || !isQuery(entry.query, entry.operationName)) return payload;
      cache.set(entry.version, entry.key, {
        body: Buffer.from(payload),
        contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      });
      return payload;
    });

    await scope.register(mercurius, {
      schema: SCHEMA,
      resolvers: createResolvers(kb, app.adminCheck),
      loaders: lateBound(loaders),
      // the explorer at /graphiql is the web UI's, served from this service's own assets (src/web)
      graphiql: false,
      // compile a query to JavaScript from its second run; loaders cache per request (Mercurius' default)
      jit: 1,
      queryDepth: MAX_QUERY_DEPTH,
      graphql: { parseOptions: { maxTokens: MAX_QUERY_TOKENS } },
      errorFormatter: formatErrors,
    });

    // Mercurius reads a query that is not GraphQL as a JSON document AST; only parsed text is accepted here
    // (a parsed document's location keeps its tokens, JSON cannot carry them).
    scope.graphql.addHook('preValidation', async (_schema, document, context) => {
      if (document?.kind === 'Document' && document.loc?.startToken !== undefined) return;
      const source = (context as { __currentQuery?: unknown }).__currentQuery;
      let error: Error = new GraphQLError('Syntax Error: the query must be GraphQL text');
      try {
        if (typeof source === 'string') parse(source, { maxTokens: MAX_QUERY_TOKENS });
      } catch (syntaxError) {
        error = syntaxError as Error;
      }
      throw Object.assign(error, { statusCode: 400 });
    });
  });
}

export default fp(graphql, { name: 'graphql' });
