import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { AskDetailSchema } from '../domain/ask.js';
import { type FactField, FieldsQuerySchema, selectFields } from '../domain/fields.js';
import { ask } from '../kb/ask/index.js';
import { ipCapacity } from '../kb/calculators/index.js';
import { listTopics } from '../kb/catalog.js';
import { compare, diff } from '../kb/compare.js';
import { BadInputError, NotFoundError } from '../kb/errors.js';
import { getFact, listFacts, MAX_PAGE_SIZE } from '../kb/facts.js';
import type { Kb } from '../kb/kb.js';
import { MAX_SEARCH_LIMIT, search } from '../kb/search.js';
import { timeline } from '../kb/timeline.js';
import {
  askText,
  compareText,
  diffText,
  factListText,
  factText,
  ipCapacityText,
  searchText,
  timelineText,
  topicsText,
} from './text.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

// What every tool shares is said once, in the server's instructions (sent at initialize, not in tools/list).
// Identifiers carry no length bound in the schema: the kb refuses any unknown one by name, and the body limit
// bounds the request.
const provider = z.string();
const topic = z.string();

/** A list given as a JSON array or comma-separated, as REST takes it. */
const commaList = (description: string) =>
  z
    .union([z.array(z.string()), z.string()])
    .optional()
    .describe(description);
const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

/** The fact id get_fact's description gives as an example; a test checks it exists in the real seed. */
export const GET_FACT_EXAMPLE = 'aws/dns/cluster-dns-server';

// Output schemas declare an object and nothing of its shape, which is the REST API's (the OpenAPI document
// has it): spelled out here the shapes cost an agent ~10,000 tokens at every tools/list, and one schema must
// take both the compact and the full answer (ask's `detail`, compare's `fields`). The SDK checks
// structuredContent against it at every call, and so does its client.
const RestAnswer = z.looseObject({});

/**
 * Runs one knowledge-layer call and shapes the tool result: the REST object as `structuredContent`, its
 * readable rendering as text. What a caller typed wrong (unknown topic, fact id, provider) comes back as a
 * tool error naming it, so the agent can correct itself; a fault of ours is logged and leaks nothing.
 */
async function toolResult<T extends object>(
  log: FastifyBaseLogger,
  tool: string,
  read: () => T | Promise<T>,
  render: (value: T) => string,
): Promise<CallToolResult> {
  try {
    const value = await read();
    return { content: [{ type: 'text', text: render(value) }], structuredContent: value as Record<string, unknown> };
  } catch (err) {
    if (err instanceof BadInputError || err instanceof NotFoundError) {
      return { content: [{ type: 'text', text: err.message }], isError: true };
    }
    log.error({ err, tool }, 'mcp tool failed');
    return { content: [{ type: 'text', text: 'internal error; the failure was logged' }], isError: true };
  }
}

/** Facts cut to the `fields` listed (array or comma list), as `fields=` on REST; a wrong name is a tool error. */
function requireFields(raw: string | string[] | undefined): FactField[] | undefined {
  const parsed = FieldsQuerySchema.safeParse(joined(raw));
  if (!parsed.success) throw new BadInputError('fields', parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** kb errors name REST's parameter; the tool's is spelled differently. */
function renamed<T>(from: string, to: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof BadInputError && err.param === from) throw new BadInputError(to, err.detail);
    throw err;
  }
}

/** One MCP server exposing the knowledge base as tools; each tool is one kb function. */
export function createMcpServer(kb: Kb, log: FastifyBaseLogger): McpServer {
  const server = new McpServer(
    { name: 'cloudiff', version },
    {
      instructions:
        'Cited facts on how managed Kubernetes and cloud networking differ on AWS (EKS), Azure (AKS) and GCP (GKE). ' +
        'Start with ask for a question, list_topics to see what is covered, compare for a side-by-side table, diff for ' +
        'what changes when moving a workload. Providers: aws, azure, gcp, or eks, aks, gke, google. Topics: slugs from ' +
        'list_topics, e.g. dns. compare takes providers, dimensions and fields as a JSON array or comma-separated. ' +
        'Text answers are compact (each fact: value, id, status, verified date, confidence, sources); structuredContent is ' +
        'the REST API answer. Quote the source URLs given with each fact; say when a fact is not ga.',
    },
  );
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;
  const lookup = (id: string) => kb.snapshot().factById.get(id);
  const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).optional().describe(`1-${max}, default ${dflt}`);

  server.registerTool(
    'ask',
    {
      description: 'Answers a question from the facts, with compact rows and citations.',
      inputSchema: {
        q: z.string().min(1).max(500),
        detail: AskDetailSchema.optional().describe('full: whole comparison rows'),
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async ({ q, detail }) =>
      toolResult(
        log,
        'ask',
        () => ask(kb, q, detail ?? 'compact'),
        (a) => askText(a, lookup),
      ),
  );

  server.registerTool(
    'search_facts',
    {
      description: 'Full-text search of topics, dimensions and facts.',
      inputSchema: {
        q: z.string().min(1).max(500).describe('e.g. ndots'),
        provider: provider.optional(),
        topic: topic.optional(),
        limit: limit(MAX_SEARCH_LIMIT, 10),
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async (args) => toolResult(log, 'search_facts', () => search(kb, args), searchText),
  );

  server.registerTool(
    'compare',
    {
      description: "A topic's rows: baseline, each provider's facts, whether they differ.",
      inputSchema: {
        topic,
        providers: commaList('default all'),
        dimensions: commaList('dimension slugs, default all'),
        fields: commaList('fact fields to keep, e.g. value,status,sources'),
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async ({ topic, providers, dimensions, fields }) =>
      toolResult(
        log,
        'compare',
        () => {
          const kept = requireFields(fields);
          const matrix = renamed('dimension', 'dimensions', () => compare(kb, topic, joined(providers), joined(dimensions)));
          return selectFields(matrix, kept);
        },
        compareText,
      ),
  );

  server.registerTool(
    'diff',
    {
      description: 'What changes moving between providers, worst first, with migration notes.',
      inputSchema: { from: provider, to: provider, topic: topic.optional() },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async ({ from, to, topic }) => toolResult(log, 'diff', () => diff(kb, from, to, topic), diffText),
  );

  server.registerTool(
    'get_fact',
    {
      description: 'One fact by id (provider/topic/dimension[#variant]) with details and sources.',
      inputSchema: { id: z.string().min(1).max(500).describe(`e.g. ${GET_FACT_EXAMPLE}`) },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async ({ id }) => toolResult(log, 'get_fact', () => getFact(kb, id), factText),
  );

  server.registerTool(
    'list_facts',
    {
      description: 'Facts by filter, a page at a time (next is the cursor).',
      inputSchema: {
        provider: provider.optional(),
        topic: topic.optional(),
        dimension: z.string().optional(),
        tag: z.string().optional(),
        status: z.string().optional().describe('e.g. preview'),
        limit: limit(MAX_PAGE_SIZE, 50),
        cursor: z.string().optional(),
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async (args) =>
      toolResult(
        log,
        'list_facts',
        () => {
          const { items, next } = listFacts(kb, args);
          return { items, next };
        },
        factListText,
      ),
  );

  server.registerTool(
    'timeline',
    {
      description: 'Dated changes and retirements of facts, soonest first.',
      inputSchema: {
        from: z.string().optional().describe('ISO date, default today'),
        to: z.string().optional().describe('default from + 12 months'),
        provider: provider.optional(),
        topic: topic.optional(),
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async (args) =>
      toolResult(
        log,
        'timeline',
        () => timeline(kb, args),
        (t) => timelineText(t, lookup),
      ),
  );

  server.registerTool(
    'list_topics',
    {
      description: 'Every topic covered.',
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async () =>
      toolResult(
        log,
        'list_topics',
        () => ({ items: listTopics(kb) }),
        (v) => topicsText(v.items),
      ),
  );

  // numbers may come as JSON numbers or strings; the kb parses strings so its errors name the parameter
  // (the kb parses and bounds each value: its errors name the parameter; the body limit bounds the request)
  const count = z.union([z.number(), z.string()]).optional();
  const cidr = z.string().optional();
  server.registerTool(
    'ip_capacity',
    {
      description: 'How many nodes and pods fit in a pod range or subnet.',
      inputSchema: {
        provider,
        mode: z
          .string()
          .optional()
          .describe(
            'aws: secondary-ip, prefix-delegation; azure: overlay, pod-subnet, pod-subnet-static, node-subnet, kubenet; gcp: vpc-native',
          ),
        pod_cidr: cidr,
        pod_range_prefix: count,
        node_subnet: cidr,
        pod_subnet: cidr,
        subnet: cidr,
        max_pods: count,
        enis: count,
        ips_per_eni: count,
      },
      outputSchema: RestAnswer,
      annotations: readOnly,
    },
    async (args) => {
      const query = Object.fromEntries(
        Object.entries(args).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
      ) as Parameters<typeof ipCapacity>[1];
      return toolResult(
        log,
        'ip_capacity',
        () => ipCapacity(kb, query),
        (c) => ipCapacityText(c, lookup),
      );
    },
  );

  return server;
}
