import { z } from 'zod';
import { DatasetRefSchema, FactSchema } from './api.js';
import { ProviderSlugSchema, SeedFactSchema, SlugSchema, seedFactRules } from './seed.js';

/**
 * Shapes of the write API, derived from the seed format so an admin edit is exactly what a seed file could
 * hold (the export writes it back there).
 */

/**
 * `verified` is not written: it is the oldest `checked` date of a fact's sources. A body naming it is refused
 * with that advice (rather than the bare "unrecognized key" of a strict object).
 */
const derivedVerified = z
  .never({ error: 'is derived from the sources (the oldest sources[].checked): set sources[].checked instead' })
  .optional()
  .meta({ description: 'not accepted: derived from sources[].checked' });

/** A new fact: a seed fact plus where it goes. */
export const NewFactSchema = SeedFactSchema.extend({
  provider: ProviderSlugSchema,
  topic: SlugSchema,
  dimension: SlugSchema,
  verified: derivedVerified,
})
  .superRefine(seedFactRules)
  .meta({ id: 'NewFact' });
export type NewFact = z.infer<typeof NewFactSchema>;

/** What a PATCH may name: the seed fact's fields in the format's order (but `variant`), then `default`. */
const PATCHABLE_FIELDS = [...Object.keys(SeedFactSchema.shape).filter((k) => k !== 'variant' && k !== 'default'), 'default'];

/**
 * A partial update: every field of a seed fact but `variant` (part of the id); absent fields keep their value.
 * `tags` is redeclared without the seed's default, which would otherwise overwrite the tags of every PATCH.
 */
export const FactPatchSchema = SeedFactSchema.omit({ variant: true })
  .partial()
  .extend({
    default: z.boolean().optional().meta({ description: 'true makes this variant the default of its cell' }),
    tags: z.array(SlugSchema).optional(),
    verified: derivedVerified,
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
    next: z.string().nullable().meta({ description: 'opaque cursor for the next page; null on the last page' }),
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
