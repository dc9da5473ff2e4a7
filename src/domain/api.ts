import { z } from 'zod';
import {
  AppliesSchema,
  ChangeSchema,
  CompareKindSchema,
  ConfidenceSchema,
  FactKeySchema,
  FactStatusSchema,
  ProviderSlugSchema,
  SeveritySchema,
  SourceSchema,
} from './seed.js';
import { WatchSummarySchema } from './sources-lock.js';

/**
 * The shapes clients receive. Each is declared once; REST serializes with them, the OpenAPI document shows
 * them (registered as components by id), GraphQL, MCP and the CLI return the same objects.
 */

export const ErrorSchema = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Error' });

export const ProviderSchema = z
  .object({
    slug: ProviderSlugSchema,
    name: z.string(),
    kubernetes_service: z.string(),
    kubernetes_service_short: z.string(),
    aliases: z.array(z.string()),
  })
  .meta({ id: 'Provider' });
export type Provider = z.infer<typeof ProviderSchema>;

export const FactSourceSchema = SourceSchema.extend({ url: z.string() }).meta({ id: 'Source' });

/** What a fact is limited to (Kubernetes versions, node OS, modes, regions); `{}` when it holds everywhere. */
export const FactAppliesSchema = z.object(AppliesSchema.shape).meta({ id: 'Applies' });

export const FactSchema = z
  .object({
    id: z.string().meta({ example: 'gcp/ip-allocation/per-node-pod-range' }),
    provider: ProviderSlugSchema,
    topic: z.string(),
    dimension: z.string(),
    variant: z.string().optional(),
    default: z.boolean().meta({ description: 'The default variant of its cell (true when the cell has one fact).' }),
    value: z.string(),
    key: FactKeySchema.optional().meta({ description: "the comparable value, in the form its dimension's compare_by declares" }),
    status: FactStatusSchema,
    applies: FactAppliesSchema,
    changes: z.array(ChangeSchema).optional().meta({ description: 'dated or versioned changes: retirements, new defaults' }),
    details: z.string(),
    sources: z.array(FactSourceSchema),
    verified: z.string().meta({ description: 'ISO date: the oldest `checked` of its sources' }),
    confidence: ConfidenceSchema,
    tags: z.array(z.string()),
  })
  .meta({ id: 'Fact' });
export type Fact = z.infer<typeof FactSchema>;

export const MigrationNoteSchema = z
  .object({
    direction: z.string().meta({ example: 'aws->gcp' }),
    from: ProviderSlugSchema,
    to: ProviderSlugSchema,
    note: z.string(),
  })
  .meta({ id: 'MigrationNote' });
export type MigrationNote = z.infer<typeof MigrationNoteSchema>;

export const DivergenceSchema = z
  .object({
    summary: z.string(),
    severity: SeveritySchema,
    example: z.string(),
    migration: z.array(MigrationNoteSchema),
  })
  .meta({ id: 'Divergence' });
export type Divergence = z.infer<typeof DivergenceSchema>;

export const DimensionSchema = z
  .object({
    slug: z.string(),
    topic: z.string(),
    title: z.string(),
    question: z.string(),
    baseline: z.string(),
    keywords: z.array(z.string()),
    compare_by: CompareKindSchema.optional().meta({ description: "how the cells compare: the form of each fact's key" }),
    unit: z.string().optional().meta({ description: 'the unit of the keys when compare_by is number' }),
    values: z.array(z.string()).optional().meta({ description: 'the keys a fact may take when compare_by is enum' }),
    divergence: DivergenceSchema,
  })
  .meta({ id: 'Dimension' });
export type Dimension = z.infer<typeof DimensionSchema>;

export const TopicSummarySchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    aliases: z.array(z.string()),
    dimension_count: z.number().int(),
    fact_count: z.number().int(),
  })
  .meta({ id: 'TopicSummary' });
export type TopicSummary = z.infer<typeof TopicSummarySchema>;

export const TopicSchema = TopicSummarySchema.extend({ dimensions: z.array(DimensionSchema) }).meta({ id: 'Topic' });
export type Topic = z.infer<typeof TopicSchema>;

export const DatasetRefSchema = z.object({ version: z.string() }).meta({ id: 'DatasetRef' });

export const CellsSchema = z
  .object({
    aws: z.array(FactSchema).optional(),
    azure: z.array(FactSchema).optional(),
    gcp: z.array(FactSchema).optional(),
  })
  .meta({ id: 'Cells' });

export const CompareRowSchema = z
  .object({
    dimension: z.object({ slug: z.string(), title: z.string(), question: z.string(), baseline: z.string() }),
    cells: CellsSchema,
    differs: z.boolean().nullable().meta({
      description:
        "true when the keys of the requested providers' default facts are not all equal; null when the dimension's compare_by is none or absent",
    }),
    groups: z.array(z.array(ProviderSlugSchema)).nullable().meta({
      description: 'the providers whose default facts share a key, e.g. [["aws","azure"],["gcp"]]; null when differs is null',
    }),
    divergence: DivergenceSchema,
  })
  .meta({ id: 'CompareRow' });
export type CompareRow = z.infer<typeof CompareRowSchema>;

export const CompareSchema = z
  .object({
    topic: z.object({ slug: z.string(), title: z.string(), summary: z.string() }),
    providers: z.array(ProviderSlugSchema),
    rows: z.array(CompareRowSchema),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'Compare' });
export type Compare = z.infer<typeof CompareSchema>;

export const DiffItemSchema = z
  .object({
    topic: z.object({ slug: z.string(), title: z.string() }),
    dimension: z.object({ slug: z.string(), title: z.string() }),
    severity: SeveritySchema,
    summary: z.string(),
    example: z.string(),
    from: z.array(FactSchema),
    to: z.array(FactSchema),
    migration: z.string().nullable().meta({ description: 'the note for this direction, when the seed has one' }),
  })
  .meta({ id: 'DiffItem' });
export type DiffItem = z.infer<typeof DiffItemSchema>;

export const DiffSchema = z
  .object({
    from: ProviderSlugSchema,
    to: ProviderSlugSchema,
    topic: z.string().nullable(),
    counts: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
    items: z.array(DiffItemSchema),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'Diff' });
export type Diff = z.infer<typeof DiffSchema>;

export const SearchHitSchema = z
  .object({
    kind: z.enum(['topic', 'dimension', 'fact']),
    id: z.string().meta({ description: 'topic slug, `topic/dimension`, or fact id' }),
    title: z.string(),
    provider: ProviderSlugSchema.nullable(),
    topic: z.string(),
    dimension: z.string().nullable(),
    snippet: z.string().meta({ description: 'HTML-escaped text with matches wrapped in <mark>' }),
    score: z.number().meta({ description: 'bm25 relevance, higher is better' }),
    fact: FactSchema.optional(),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z
  .object({ query: z.string(), items: z.array(SearchHitSchema), dataset: DatasetRefSchema })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const FactsPageSchema = z
  .object({
    items: z.array(FactSchema),
    next: z.string().nullable().meta({ description: 'opaque cursor for the next page; null on the last page' }),
  })
  .meta({ id: 'FactsPage' });
export type FactsPage = z.infer<typeof FactsPageSchema>;

export const DatasetSchema = z
  .object({
    version: z.string(),
    seed_hash: z.string(),
    built_at: z.string(),
    revision: z.number().int(),
    writable: z.boolean().meta({ description: 'whether this server can take writes now (the admin API)' }),
    write_problem: z.string().nullable().meta({ description: 'why it cannot, when it cannot' }),
    counts: z.object({
      providers: z.number().int(),
      topics: z.number().int(),
      dimensions: z.number().int(),
      facts: z.number().int(),
      sources: z.number().int(),
    }),
    staleness: z.object({
      threshold_days: z.number().int(),
      stale_facts: z.number().int(),
      oldest_verified: z.string().nullable(),
      stale: z.array(z.object({ id: z.string(), verified: z.string() })),
    }),
    sources_watch: WatchSummarySchema.nullable().meta({
      description: 'the last run of the source watch (npm run sources:check) recorded in the seed; null when there is none',
    }),
  })
  .meta({ id: 'Dataset' });
export type Dataset = z.infer<typeof DatasetSchema>;
