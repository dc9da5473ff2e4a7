import { and, asc, eq, gt, isNotNull, lte, max } from 'drizzle-orm';
import type { Revision } from '../domain/admin.js';
import type { Fact } from '../domain/api.js';
import type { Db } from './connection.js';
import { revisions } from './schema.js';

/** Reader and writer of `revisions`: every admin write and every reseed, for history, `/v1/changes` and export. */

export interface RevisionInput {
  factId: string | null;
  action: Revision['action'];
  actor: string;
  at: string;
  before: Fact | null;
  after: Fact | null;
  datasetVersion: string;
}

/** An admin write is unexported until `npm run export` writes it to the seed; a reseed is exported by definition. */
export function insertRevision(db: Db, r: RevisionInput): void {
  db.insert(revisions)
    .values({ ...r, unexported: r.action !== 'reseed' })
    .run();
}

export type RevisionRow = typeof revisions.$inferSelect;

/** A revision row as the API shows it (without its fact snapshots). */
export function revisionOf(r: Omit<RevisionRow, 'before' | 'after'>): Revision {
  return {
    revision: r.id,
    action: r.action,
    fact_id: r.factId,
    actor: r.actor,
    at: r.at,
    dataset_version: r.datasetVersion,
    exported: !r.unexported,
  };
}

/** The revisions of one fact after revision `after` (0: from the first), oldest first, at most `limit`. */
export function readFactRevisions(db: Db, factId: string, after: number, limit: number): RevisionRow[] {
  return db
    .select()
    .from(revisions)
    .where(and(eq(revisions.factId, factId), gt(revisions.id, after)))
    .orderBy(asc(revisions.id))
    .limit(limit)
    .all();
}

const listed = {
  id: revisions.id,
  action: revisions.action,
  factId: revisions.factId,
  actor: revisions.actor,
  at: revisions.at,
  datasetVersion: revisions.datasetVersion,
  unexported: revisions.unexported,
};

/** Revisions strictly after the ISO time `since`, oldest first. */
export function readChanges(db: Db, since: string, limit: number): Revision[] {
  return db
    .select(listed)
    .from(revisions)
    .where(gt(revisions.at, since))
    .orderBy(asc(revisions.id))
    .limit(limit)
    .all()
    .map(revisionOf);
}

/** The id of the last revision of a fact (0 when it has none), or of any revision. */
export function lastRevisionId(db: Db, factId?: string): number {
  const row = db
    .select({ id: max(revisions.id) })
    .from(revisions)
    .where(factId === undefined ? undefined : eq(revisions.factId, factId))
    .get();
  return row?.id ?? 0;
}

/** Admin writes not yet exported to the seed files, oldest first. */
export function readUnexported(db: Db): Pick<RevisionRow, 'factId' | 'before' | 'after'>[] {
  return db
    .select({ factId: revisions.factId, before: revisions.before, after: revisions.after })
    .from(revisions)
    .where(and(eq(revisions.unexported, true), isNotNull(revisions.factId)))
    .orderBy(asc(revisions.id))
    .all();
}

/** Marks revisions exported, up to `upTo` (all of them when omitted); answers how many changed. */
export function markExported(db: Db, upTo?: number): number {
  return db
    .update(revisions)
    .set({ unexported: false })
    .where(and(eq(revisions.unexported, true), upTo === undefined ? undefined : lte(revisions.id, upTo)))
    .run().changes;
}
