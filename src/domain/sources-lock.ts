import { z } from 'zod';

/**
 * The lock file of the source watch (`<SEED_DIR>/sources.lock.json`, written by `npm run sources:check`): a
 * fingerprint per cited page and the summary of the last run, which GET /v1/dataset reports.
 */

export const LOCK_FILE = 'sources.lock.json';

export const PageLockSchema = z.object({
  fingerprint: z.string(),
  etag: z.string().optional(),
  last_modified: z.string().optional(),
  /** When the fingerprint was taken (ISO time). */
  fingerprinted_at: z.string(),
});
export type PageLock = z.infer<typeof PageLockSchema>;

/** What the last run found: how many cited pages were unchanged, changed, new, gone, redirected or failing. */
export const WatchSummarySchema = z
  .object({
    at: z.string().meta({ description: 'when the run ended (ISO time)' }),
    pages: z.number().int(),
    unchanged: z.number().int(),
    changed: z.number().int(),
    new: z.number().int(),
    gone: z.number().int(),
    redirected: z.number().int(),
    errors: z.number().int(),
  })
  .meta({ id: 'SourcesWatch' });
export type WatchSummary = z.infer<typeof WatchSummarySchema>;

export const LockFileSchema = z.object({
  last_run: WatchSummarySchema.nullable(),
  pages: z.record(z.string(), PageLockSchema),
});
export type LockFile = z.infer<typeof LockFileSchema>;
