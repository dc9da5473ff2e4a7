import { existsSync, readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const API_VERSION = '1.0.0';

type Operation = {
  parameters?: { in: string; name: string }[];
  responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
};
type OpenApiDoc = { paths?: Record<string, Record<string, Operation>> };

/** Where `npm run openapi` keeps the example answers it takes from the fixture seed (path -> status -> body). */
export const EXAMPLES_PATH = new URL('../../openapi/examples.json', import.meta.url);
export type Examples = Record<string, Record<string, unknown>>;

/** The committed examples; none when the file is absent (an image built without openapi/). */
function readExamples(): Examples {
  return existsSync(EXAMPLES_PATH) ? (JSON.parse(readFileSync(EXAMPLES_PATH, 'utf8')) as Examples) : {};
}

/** Puts each GET operation's example answers beside their response schemas, so /docs shows real data. */
function addExamples<T extends OpenApiDoc>(doc: T, examples: Examples): T {
  for (const [path, byStatus] of Object.entries(examples)) {
    const op = doc.paths?.[path]?.get;
    for (const [status, body] of Object.entries(byStatus)) {
      const content = op?.responses?.[status]?.content?.['application/json'];
      if (content) content.example = body;
    }
  }
  return doc;
}

/**
 * Fact ids contain `/`, so their routes use Fastify's wildcard; in the document the wildcard becomes the
 * named path parameter `{id}` that OpenAPI tools understand.
 */
function renameWildcards<T extends OpenApiDoc>(doc: T): T {
  if (!doc.paths) return doc;
  const paths: NonNullable<OpenApiDoc['paths']> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const p of op.parameters ?? []) if (p.in === 'path' && p.name === '*') p.name = 'id';
    }
    paths[path.replace('{*}', '{id}')] = item;
  }
  return { ...doc, paths };
}

/**
 * zod's JSON Schemas carry `$schema` and `$id` (`#/components/schemas/X`); inside an OpenAPI document an `$id`
 * moves the base URI of every `$ref` under it, so Swagger UI cannot resolve them. Components need neither.
 */
function stripSchemaIds<T extends OpenApiDoc & { components?: { schemas?: Record<string, unknown> } }>(doc: T): T {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== '$id' && k !== '$schema') out[k] = strip(v);
    return out;
  };
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  return { ...doc, components: { ...doc.components, schemas: strip(schemas) as Record<string, unknown> } };
}

/** OpenAPI 3.1 generated from the route schemas, served at /openapi.json, with a docs UI at /docs. */
async function openapi(app: FastifyInstance, opts: { publicUrl?: string }) {
  const examples = readExamples();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cloudiff',
        version: API_VERSION,
        description:
          'How does this behave differently on AWS, Azure and GCP? Cited facts about EKS, AKS and GKE and the cloud networking around them: comparison matrices, migration diffs, search and questions.',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
      },
      // relative to wherever the document is served unless PUBLIC_URL names the public address
      servers: [opts.publicUrl ? { url: opts.publicUrl } : { url: '/', description: 'this server' }],
      // reads are public; the admin operations declare bearerAuth themselves
      security: [],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'the ADMIN_TOKEN' } } },
      tags: [
        { name: 'catalog', description: 'Providers and topics' },
        { name: 'facts', description: 'Cited facts' },
        { name: 'compare', description: 'Comparison matrices and migration diffs' },
        { name: 'search', description: 'Full-text search and questions' },
        { name: 'calculators', description: "Capacity planning from the facts' rules" },
        { name: 'dataset', description: 'Dataset metadata and export' },
        { name: 'admin', description: 'Writes (enabled by ADMIN_TOKEN)' },
        { name: 'probes', description: 'Health and readiness' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) =>
      addExamples(stripSchemaIds(renameWildcards(jsonSchemaTransformObject(input) as OpenApiDoc)), examples),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(openapi, { name: 'openapi' });
