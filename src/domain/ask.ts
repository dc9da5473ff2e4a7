import { z } from 'zod';
import { CompareRowSchema, DatasetRefSchema, FactSourceSchema } from './api.js';
import { ProviderSlugSchema } from './seed.js';

/** A topic as ask names it: enough to call `/v1/compare?topic=` next. */
export const AskTopicSchema = z.object({ slug: z.string(), title: z.string() }).meta({ id: 'AskTopic' });
export type AskTopic = z.infer<typeof AskTopicSchema>;

/**
 * The answer to a free-text question, assembled from the facts (no LLM): the providers and topics it was
 * resolved to, a few plain sentences, the comparison rows they came from and the pages that back them.
 */
export const AskSchema = z
  .object({
    question: z.string(),
    providers: z
      .array(ProviderSlugSchema)
      .meta({ description: 'the providers the question names, in the order named; all three when it names none' }),
    topics: z.array(AskTopicSchema).meta({ description: 'the topics the question is about, best first' }),
    answer: z.string().meta({ description: 'a few sentences assembled from the facts, the asked providers first' }),
    matches: z.array(CompareRowSchema).max(5).meta({
      description:
        'at most 5 comparison rows, best first; cells hold every provider (asked ones first) so the others show for contrast',
    }),
    citations: z.array(FactSourceSchema).meta({ description: 'the sources of the facts in answer and matches, without repeats' }),
    suggestions: z
      .array(AskTopicSchema)
      .meta({ description: 'when nothing matched: the closest topics to ask about instead; otherwise empty' }),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'Ask' });
export type Ask = z.infer<typeof AskSchema>;

/** The body of `POST /v1/ask`. */
export const AskRequestSchema = z
  .object({ q: z.string().max(500).meta({ description: 'the question, in plain words' }) })
  .meta({ id: 'AskRequest' });
