import { z } from 'zod';
import { DatasetRefSchema } from './api.js';
import { FactStatusSchema, ProviderSlugSchema } from './seed.js';

/** The fact a timeline entry comes from: enough to show it and to fetch it (`/v1/facts/{id}`). */
export const TimelineFactSchema = z
  .object({
    id: z.string(),
    provider: ProviderSlugSchema,
    topic: z.string(),
    dimension: z.string(),
    value: z.string(),
    status: FactStatusSchema,
  })
  .meta({ id: 'TimelineFact' });

/** One `changes` entry of a fact, with the fact and the pages that state it. */
export const TimelineEntrySchema = z
  .object({
    on: z.string().optional().meta({ description: 'ISO date of the change (absent in by_version)' }),
    version: z.string().optional().meta({ description: 'the Kubernetes version of the change, when it is versioned' }),
    what: z.string(),
    replaced_by: z.string().optional(),
    fact: TimelineFactSchema,
    sources: z.array(z.object({ url: z.string(), title: z.string() })),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const TimelineSchema = z
  .object({
    from: z.string().meta({ description: 'ISO date, the first day of the window' }),
    to: z.string().meta({ description: 'ISO date, the last day of the window' }),
    items: z
      .array(TimelineEntrySchema)
      .meta({ description: 'dated changes in [from, to], soonest first (then by provider and fact id)' }),
    by_version: z.array(TimelineEntrySchema).meta({
      description:
        'changes tied to a Kubernetes version and no date, by version; filtered by provider and topic, not by the window',
    }),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'Timeline' });
export type Timeline = z.infer<typeof TimelineSchema>;
