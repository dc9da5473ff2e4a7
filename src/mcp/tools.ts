import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { CompareSchema, DiffSchema, FactSchema, FactsPageSchema, SearchResultSchema, TopicSummarySchema } from '../domain/api.js';
import { AskSchema } from '../domain/ask.js';
import { IpCapacitySchema } from '../domain/calculators.js';
import { TimelineSchema } from '../domain/timeline.js';
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

const provider = z.string().max(100).describe('aws, azure or gcp (aliases such as eks, aks, gke, google work too)');
const topic = z.string().max(200).describe('a topic slug, e.g. dns or load-balancing (list_topics gives them all)');

const TopicListSchema = z.object({ items: z.array(TopicSummarySchema) });

// Output schemas are given as shapes: the domain schemas carry OpenAPI component ids, which would turn the
// top level of the JSON Schema into a `$ref`, and MCP wants `type: object` there.

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

/** One MCP server exposing the knowledge base as tools; each tool is one kb function. */
export function createMcpServer(kb: Kb, log: FastifyBaseLogger): McpServer {
  const server = new McpServer(
    { name: 'cloudiff', version },
    {
      instructions:
        'Cited facts about how managed Kubernetes and cloud networking differ on AWS (EKS), Azure (AKS) and GCP (GKE). ' +
        'Start with ask for a free-text question, list_topics to see what is covered, compare for a side-by-side table, ' +
        'diff for what changes when moving a workload. Quote the source URLs given with each fact.',
    },
  );
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

  server.registerTool(
    'search_facts',
    {
      title: 'Search facts',
      description:
        'Full-text search over topics, dimensions and facts, best match first; fact hits carry the fact with its sources.',
      inputSchema: {
        q: z.string().min(1).max(500).describe('the words to search for, e.g. "ndots" or "pod ip range"'),
        provider: provider.optional().describe('only facts of this provider'),
        topic: topic.optional().describe('only this topic'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_SEARCH_LIMIT)
          .optional()
          .describe(`how many results, 1 to ${MAX_SEARCH_LIMIT} (default 10)`),
      },
      outputSchema: SearchResultSchema.shape,
      annotations: readOnly,
    },
    async (args) => toolResult(log, 'search_facts', () => search(kb, args), searchText),
  );

  server.registerTool(
    'list_facts',
    {
      title: 'List facts',
      description:
        'Facts filtered by provider, topic, dimension, tag or lifecycle status (e.g. every preview feature of GKE), in id order, a page at a time; pass `next` back as cursor.',
      inputSchema: {
        provider: provider.optional(),
        topic: topic.optional(),
        dimension: z.string().max(200).optional().describe('a dimension slug, or topic/dimension'),
        tag: z.string().max(100).optional().describe('facts carrying this tag, e.g. time-sensitive'),
        status: z
          .string()
          .max(100)
          .optional()
          .describe('ga, preview, deprecated, retired or unavailable, or a comma-separated list of them'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_PAGE_SIZE)
          .optional()
          .describe(`facts per page, 1 to ${MAX_PAGE_SIZE} (default 50)`),
        cursor: z.string().max(500).optional().describe('the `next` value of the previous page'),
      },
      outputSchema: FactsPageSchema.shape,
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
    'compare',
    {
      title: 'Compare providers on a topic',
      description:
        "The comparison matrix of a topic: per dimension the upstream Kubernetes baseline, each provider's facts, whether they differ (from the facts' comparable keys; null when the dimension cannot be compared), the groups of providers that behave alike, and the divergence.",
      inputSchema: {
        topic,
        providers: z
          .union([z.array(provider).max(3), z.string().max(300)])
          .optional()
          .describe('the providers to compare, as a list or comma-separated (default: all three)'),
      },
      outputSchema: CompareSchema.shape,
      annotations: readOnly,
    },
    async ({ topic, providers }) =>
      toolResult(
        log,
        'compare',
        () => compare(kb, topic, Array.isArray(providers) ? providers.join(',') : providers),
        compareText,
      ),
  );

  server.registerTool(
    'diff',
    {
      title: 'What changes moving between clouds',
      description:
        'What changes when a workload moves from one provider to another: every differing dimension, highest severity first, with migration notes.',
      inputSchema: {
        from: provider.describe('the provider moved from'),
        to: provider.describe('the provider moved to'),
        topic: topic.optional().describe('restrict to one topic'),
      },
      outputSchema: DiffSchema.shape,
      annotations: readOnly,
    },
    async ({ from, to, topic }) => toolResult(log, 'diff', () => diff(kb, from, to, topic), diffText),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask a question',
      description:
        'Answers a free-text question ("how does pod IP allocation differ on GKE?") from the facts: a short answer, the comparison rows it came from and citations.',
      inputSchema: { q: z.string().min(1).max(500).describe('the question, in plain words') },
      outputSchema: AskSchema.shape,
      annotations: readOnly,
    },
    async ({ q }) => toolResult(log, 'ask', () => ask(kb, q), askText),
  );

  server.registerTool(
    'get_fact',
    {
      title: 'Get one fact',
      description:
        'One fact by id (provider/topic/dimension, plus #variant where a cell has variants) with its details and sources.',
      inputSchema: { id: z.string().min(1).max(500).describe('a fact id, e.g. gcp/dns/cluster-dns-server') },
      outputSchema: FactSchema.shape,
      annotations: readOnly,
    },
    async ({ id }) => toolResult(log, 'get_fact', () => getFact(kb, id), factText),
  );

  server.registerTool(
    'timeline',
    {
      title: 'What changes when',
      description:
        'Dated changes, retirements and new defaults of the facts in a window (default: the next 12 months), soonest first, each with its fact and sources; changes tied only to a Kubernetes version are listed apart.',
      inputSchema: {
        from: z.string().max(20).optional().describe('ISO date, the first day of the window (default: today)'),
        to: z.string().max(20).optional().describe('ISO date, the last day (default: from + 12 months; at most 10 years on)'),
        provider: provider.optional(),
        topic: topic.optional(),
      },
      outputSchema: TimelineSchema.shape,
      annotations: readOnly,
    },
    async (args) => toolResult(log, 'timeline', () => timeline(kb, args), timelineText),
  );

  server.registerTool(
    'list_topics',
    {
      title: 'List topics',
      description: 'Every topic the knowledge base covers, with its slug, summary and counts.',
      outputSchema: TopicListSchema.shape,
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
  const count = (description: string) =>
    z
      .union([z.number(), z.string().max(100)])
      .optional()
      .describe(description);
  const cidr = (description: string) => z.string().max(100).optional().describe(description);
  server.registerTool(
    'ip_capacity',
    {
      title: 'IP capacity calculator',
      description:
        'How many nodes and pods fit in a pod range or subnet on GKE, AKS or EKS, from the per-node address rules the facts state: the limit, what limits it, the arithmetic, the assumptions and the cited facts. Parameters a mode does not use are refused.',
      inputSchema: {
        provider,
        mode: z
          .string()
          .max(100)
          .optional()
          .describe(
            'gcp: vpc-native; azure: overlay (default), pod-subnet, pod-subnet-static, node-subnet, kubenet; aws: secondary-ip (default), prefix-delegation',
          ),
        pod_cidr: cidr('the Pod range / pod CIDR, e.g. 10.0.0.0/14 (gcp, azure overlay and kubenet)'),
        pod_range_prefix: count('the Pod range size as a prefix length instead of pod_cidr, e.g. 14'),
        node_subnet: cidr('the subnet nodes take their IPs from (required for azure node-subnet)'),
        pod_subnet: cidr('azure pod-subnet modes: the pod subnet'),
        subnet: cidr('aws: the VPC subnet nodes and pods share, e.g. 10.0.0.0/19'),
        max_pods: count('max pods per node (default per provider and mode)'),
        enis: count('aws secondary-ip: ENIs of the instance type, e.g. 3 for m5.large'),
        ips_per_eni: count('aws secondary-ip: IPv4 addresses per ENI, e.g. 10 for m5.large'),
      },
      outputSchema: IpCapacitySchema.shape,
      annotations: readOnly,
    },
    async (args) => {
      const query = Object.fromEntries(
        Object.entries(args).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
      ) as Parameters<typeof ipCapacity>[1];
      return toolResult(log, 'ip_capacity', () => ipCapacity(kb, query), ipCapacityText);
    },
  );

  return server;
}
