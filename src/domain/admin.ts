import { z } from 'zod';
import { DatasetRefSchema, FactSchema } from './api.js';
import { ProviderSlugSchema, SeedFactSchema, SlugSchema } from './seed.js';

/**
 * Shapes of the write API, derived from the seed format so an admin edit is exactly what a seed file could
 * hold (the export writes it back there).
 */

/** A new fact: a seed fact plus where it goes. */
export const NewFactSchema = SeedFactSchema.extend({
  provider: ProviderSlugSchema,
  topic: SlugSchema,
  dimension: SlugSchema,
}).meta({ id: 'NewFact' });
export type NewFact = z.infer<typeof NewFactSchema>;

const seedFact = SeedFactSchema.shape;
export const PATCHABLE_FIELDS = ['value', 'details', 'sources', 'verified', 'confidence', 'tags', 'default'] as const;

/**
 * A partial update; absent fields keep their value. Built field by field rather than with `.partial()`,
 * because `tags` has a default in the seed schema and a default would overwrite the tags of every PATCH.
 */
export const FactPatchSchema = z
  .object({
    value: seedFact.value.optional(),
    details: seedFact.details.optional(),
    sources: seedFact.sources.optional(),
    verified: seedFact.verified.optional(),
    confidence: seedFact.confidence.optional(),
    tags: z.array(SlugSchema).optional(),
    default: z.boolean().optional().meta({ description: 'true makes this variant the default of its cell' }),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: `give at least one of ${PATCHABLE_FIELDS.join(', ')}`,
  })
  .meta({ id: 'FactPatch' });
export type FactPatch = z.infer<typeof FactPatchSchema>;

export const REVISION_ACTIONS = ['create', 'update', 'delete', 'reseed'] as const;

export const RevisionSchema = z
  .object({
    revision: z.number().int().meta({ description: 'increasing revision number' }),
    action: z.enum(REVISION_ACTIONS),
    fact_id: z.string().nullable().meta({ description: 'null for a reseed, which replaces the whole dataset' }),
    actor: z.string().meta({ description: '`admin:<token hash prefix>` for API writes, the command for reseeds' }),
    at: z.string().meta({ description: 'ISO time of the change (UTC)' }),
    dataset_version: z.string().meta({ description: 'the dataset version the change produced' }),
    exported: z.boolean().meta({ description: 'whether `npm run export` has written the change back to seed/' }),
  })
  .meta({ id: 'Revision' });
export type Revision = z.infer<typeof RevisionSchema>;

export const FactRevisionSchema = RevisionSchema.extend({
  before: FactSchema.nullable().meta({ description: 'the fact before the change; null for a create' }),
  after: FactSchema.nullable().meta({ description: 'the fact after the change; null for a delete' }),
}).meta({ id: 'FactRevision' });
export type FactRevision = z.infer<typeof FactRevisionSchema>;

export const FactHistorySchema = z
  .object({
    id: z.string(),
    items: z.array(FactRevisionSchema).meta({ description: 'oldest first; facts never edited since the seed have none' }),
  })
  .meta({ id: 'FactHistory' });
export type FactHistory = z.infer<typeof FactHistorySchema>;

export const ChangesSchema = z
  .object({
    since: z.string().meta({ description: 'the `since` asked for, as an ISO time (UTC)' }),
    items: z.array(RevisionSchema).meta({ description: 'changes strictly after `since`, oldest first' }),
    has_more: z.boolean().meta({ description: 'true when `limit` cut the list: ask again with the last `at`' }),
    dataset: DatasetRefSchema,
  })
  .meta({ id: 'Changes' });
export type Changes = z.infer<typeof ChangesSchema>;

/** What a successful write answers: the fact as stored and the ETag a next change must send as `If-Match`. */
export interface WriteResult {
  fact: z.infer<typeof FactSchema>;
  etag: string;
  version: string;
}
