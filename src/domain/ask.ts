import { z } from 'zod';
import { CompareRowSchema, DatasetRefSchema, FactSourceSchema } from './api.js';
import { ProviderSlugSchema } from './seed.js';

/** A topic as ask names it: enough to call `/v1/compare?topic=` next. */
export const AskTopicSchema = z.object({ slug: z.string(), title: z.string() }).meta({ id: 'AskTopic' });
export type AskTopic = z.infer<typeof AskTopicSchema>;

/** What ask may answer with: `compact` rows (the default on REST) or today's `full` comparison rows. */
export const AskDetailSchema = z.enum(['compact', 'full']);
export type AskDetail = z.infer<typeof AskDetailSchema>;

/** One fact of a compact row: enough to quote it and to fetch it whole (`/v1/facts/{id}`). */
export const AskFactSchema = z
  .strictObject({
    id: z.string().meta({ example: 'gcp/ip-allocation/per-node-pod-range' }),
    variant: z.string().optional(),
    value: z.string(),
    status: z.string().optional().meta({ description: 'ga, preview, deprecated, retired or unavailable, when recorded' }),
    source: z.string().meta({ description: "the URL of the fact's first source" }),
  })
  .meta({ id: 'AskFact' });
export type AskFact = z.infer<typeof AskFactSchema>;

/** A comparison row cut to what an answer needs: the dimension and each provider's values with their ids and sources. */
export const AskMatchSchema = z
  .strictObject({
    dimension: z.strictObject({ topic: z.string(), slug: z.string(), title: z.string() }),
    differs: z.boolean().nullable().meta({
      description:
        "whether the default facts of the asked providers (all when one is asked) have different keys; null when the dimension's cells cannot be compared",
    }),
    cells: z
      .strictObject({
        aws: z.array(AskFactSchema).optional(),
        azure: z.array(AskFactSchema).optional(),
        gcp: z.array(AskFactSchema).optional(),
      })
      .meta({ description: 'every provider, the asked ones first; the default variant first in a cell' }),
  })
  .meta({ id: 'AskMatch' });
export type AskMatch = z.infer<typeof AskMatchSchema>;

const askFields = {
  question: z.string(),
  providers: z
    .array(ProviderSlugSchema)
    .meta({ description: 'the providers the question names, in the order named; all three when it names none' }),
  topics: z.array(AskTopicSchema).meta({ description: 'the topics the question is about, best first' }),
  answer: z.string().meta({
    description:
      'the answer assembled from the facts: the best row for each asked provider (value, variant, status, key details), a contrast when the question compares',
  }),
  citations: z.array(FactSourceSchema).meta({ description: 'the sources of the facts the answer quotes, without repeats' }),
  suggestions: z
    .array(AskTopicSchema)
    .meta({ description: 'when nothing matched: the closest topics to ask about instead; otherwise empty' }),
  dataset: DatasetRefSchema,
};

/**
 * The answer to a free-text question, assembled from the facts (no LLM): the providers and topics it was
 * resolved to, a focused answer, the comparison rows it came from (compact) and the pages that back it.
 */
export const AskCompactSchema = z
  .object({
    ...askFields,
    matches: z
      .array(AskMatchSchema)
      .max(5)
      .meta({ description: 'at most 5 rows, best first, compact; `detail=full` gives the whole comparison rows' }),
  })
  .meta({ id: 'AskCompact' });
export type AskCompact = z.infer<typeof AskCompactSchema>;

/** The same answer with the whole comparison rows (`detail=full`): every fact's details and sources. */
export const AskSchema = z
  .object({
    ...askFields,
    matches: z.array(CompareRowSchema).max(5).meta({
      description:
        'at most 5 comparison rows, best first; cells hold every provider (asked ones first) so the others show for contrast',
    }),
  })
  .meta({ id: 'Ask' });
export type Ask = z.infer<typeof AskSchema>;

/** The body of `POST /v1/ask`. */
export const AskRequestSchema = z
  .object({
    q: z.string().max(500).meta({ description: 'the question, in plain words' }),
    detail: AskDetailSchema.optional().meta({ description: 'full: the whole comparison rows instead of compact ones' }),
  })
  .meta({ id: 'AskRequest' });
