import type { z } from 'zod';
import { readDimensions, readProviders, readTopics } from '../db/catalog.js';
import { type Db, storageFailure, transaction } from '../db/connection.js';
import { bumpRevision } from '../db/dataset.js';
import * as factsTable from '../db/facts.js';
import { type FactInput, readCell, readFact } from '../db/facts.js';
import { insertRevision, lastRevisionId, readChanges, readFactRevisions, revisionOf } from '../db/revisions.js';
import { factIndexEntry, SearchIndexWriter } from '../db/search-index.js';
import {
  type Changes,
  type FactHistory,
  type FactPatch,
  FactPatchSchema,
  type NewFact,
  NewFactSchema,
  type WriteResult,
} from '../domain/admin.js';
import type { Fact } from '../domain/api.js';
import { factId, factKeyProblem, factRuleProblem, formatPath, variantSlug } from '../domain/seed.js';
import {
  BadInputError,
  ConflictError,
  listValues,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  WritesUnavailableError,
} from './errors.js';
import { etagOf } from './fact-etag.js';
import type { Kb } from './kb.js';

/**
 * The write API of the knowledge base, for every interface (REST and GraphQL mutations). Each write
 * is one IMMEDIATE transaction: the If-Match check, the change, the search index, the revision and the new
 * dataset version commit together or not at all, and a second writer (another process on the same file)
 * waits for the lock instead of interleaving. Invariants kept, the same as the seed validator's, so that
 * `npm run export` always writes a valid seed: every dimension keeps a fact for every provider, a cell of
 * several facts holds only variants, exactly one of them the default.
 */

export interface WriteContext {
  /** Who writes, for the history; never a secret. */
  actor: string;
  now?: Date;
}

export interface ConditionalContext extends WriteContext {
  /** The `If-Match` value: one or more ETags (`"…"`, comma-separated) or `*`. Required. */
  ifMatch: string | undefined;
}

/** Validates input the way a route would, so non-HTTP callers get the same BadInputError naming the field. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BadInputError(issue ? formatPath(issue.path) : 'input', issue?.message ?? 'invalid');
}

/** RFC 9110 If-Match: `*` matches any current fact; otherwise one of the listed strong ETags must be current. */
function checkIfMatch(ifMatch: string | undefined, current: string, id: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new PreconditionRequiredError(
      `changing fact "${id}" requires If-Match with its current ETag (from GET /v1/facts/{id}), so that a concurrent edit is never overwritten`,
    );
  }
  if (ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (!tags.includes(current)) {
    throw new PreconditionFailedError(
      `fact "${id}" changed since the ETag you sent (its current ETag is ${current}); read it again and reapply your change`,
    );
  }
}

function requireFact(db: Db, id: string): Fact {
  const fact = readFact(db, id);
  if (!fact) throw new NotFoundError(`fact "${id}" not found`);
  return fact;
}

/** Bumps the dataset's revision: a new version, so every cached read and ETag expires. */
function bumpVersion(db: Db): string {
  const version = bumpRevision(db);
  if (version === undefined) throw new ConflictError('no dataset is loaded; seed the database first (npm run seed)');
  return version;
}

/** A stored fact as the writers take it back (its `verified` is derived again from its sources). */
function inputOf({ verified: _verified, ...fact }: Fact): FactInput {
  return fact;
}

/**
 * The rules the seed validator applies to a fact, so that `npm run export` always writes a valid seed: no `high`
 * confidence for a preview, and a `key` of the form its dimension declares.
 */
function checkRules(db: Db, fact: FactInput): void {
  const rule = factRuleProblem(fact);
  if (rule) throw new BadInputError(rule.field, rule.message);
  const dim = readDimensions(db, fact.topic).find((d) => d.slug === fact.dimension);
  const keyProblem = dim && factKeyProblem(dim, fact.key);
  if (keyProblem) throw new BadInputError('key', `${keyProblem} (dimension ${dim.key} compares by ${dim.compare_by})`);
}

function indexFact(db: Db, fact: Fact): void {
  const dim = readDimensions(db, fact.topic).find((d) => d.slug === fact.dimension);
  const provider = readProviders(db).find((p) => p.slug === fact.provider);
  if (!dim || !provider) throw new Error(`fact ${fact.id} names a dimension or provider the database does not hold`);
  new SearchIndexWriter(db).put(factIndexEntry(fact, dim, provider));
}

/** Makes `fact` the only default of its cell; the facts that lose the flag get an update revision of their own. */
function takeDefault(db: Db, fact: Fact, ctx: WriteContext, at: string, version: string): void {
  for (const other of readCell(db, fact.provider, `${fact.topic}/${fact.dimension}`)) {
    if (other.id === fact.id || !other.isDefault) continue;
    const before = requireFact(db, other.id);
    factsTable.setDefault(db, other.id, false, at);
    record(db, 'update', other.id, before, { ...before, default: false }, ctx, at, version);
  }
}

function record(
  db: Db,
  action: 'create' | 'update' | 'delete',
  factId: string,
  before: Fact | null,
  after: Fact | null,
  ctx: WriteContext,
  at: string,
  datasetVersion: string,
): void {
  insertRevision(db, { factId, action, actor: ctx.actor, at, before, after, datasetVersion });
}

/**
 * Runs a write as one IMMEDIATE transaction and drops the in-memory snapshot once it committed. A database that
 * cannot take it (read-only, deleted or replaced under the server, a full disk) answers WritesUnavailableError
 * before anything is acknowledged.
 */
function write<T>(kb: Kb, fn: (db: Db) => T): T {
  const problem = kb.writeProblem();
  if (problem) throw new WritesUnavailableError(problem);
  let result: T;
  try {
    result = transaction(kb.db, () => fn(kb.db));
  } catch (err) {
    const failure = storageFailure(err, kb.db);
    if (failure === undefined) throw err;
    kb.options.onWriteProblem?.(failure);
    throw new WritesUnavailableError(failure);
  }
  kb.invalidate();
  return result;
}

function result(db: Db, id: string, version: string): WriteResult {
  const fact = requireFact(db, id);
  return { fact, etag: etagOf(fact, lastRevisionId(db, id)), version };
}

/** Adds a fact to a cell. 409 when it exists or would break the cell's rules; 400 naming an unknown topic or dimension. */
export function createFact(kb: Kb, input: NewFact | unknown, ctx: WriteContext): WriteResult {
  const { verified: _verified, ...fact } = parseInput(NewFactSchema, input);
  return write(kb, (db) => {
    const topics = readTopics(db).map((t) => t.slug);
    if (!topics.includes(fact.topic)) {
      throw new BadInputError('topic', `unknown topic "${fact.topic}"; use one of ${listValues(topics)}`);
    }
    const dimensionKey = `${fact.topic}/${fact.dimension}`;
    const dims = readDimensions(db, fact.topic).map((d) => d.slug);
    if (!dims.includes(fact.dimension)) {
      throw new BadInputError(
        'dimension',
        `unknown dimension "${fact.dimension}" in topic ${fact.topic}; use one of ${listValues(dims)}`,
      );
    }
    if (fact.variant !== undefined && variantSlug(fact.variant) === '') {
      throw new BadInputError('variant', 'must contain a letter or digit (it becomes part of the fact id)');
    }
    const id = factId(fact.provider, fact.topic, fact.dimension, fact.variant);
    if (readFact(db, id)) throw new ConflictError(`fact "${id}" already exists; change it with an update instead`);

    const cell = readCell(db, fact.provider, dimensionKey);
    const cellName = `${fact.provider} on ${dimensionKey}`;
    if (!fact.variant) {
      throw new BadInputError(
        'variant',
        `required: the cell ${cellName} already holds ${listValues(cell.map((c) => c.id))}, and a cell of several facts holds variants`,
      );
    }
    const plain = cell.find((c) => c.variant === null);
    if (plain) {
      throw new ConflictError(
        `the cell ${cellName} holds "${plain.id}", a fact without a variant; a cell of several facts holds only variants, ` +
          'and a fact id cannot be renamed through the API: give that fact a variant in the seed file, reseed, then add this one',
      );
    }
    const input: FactInput = { ...fact, id, default: fact.default === true };
    checkRules(db, input);

    const at = (ctx.now ?? new Date()).toISOString();
    const version = bumpVersion(db);
    factsTable.insertFact(db, input, at);
    const created = requireFact(db, id);
    if (created.default) takeDefault(db, created, ctx, at, version);
    indexFact(db, created);
    record(db, 'create', id, null, created, ctx, at, version);
    return result(db, id, version);
  });
}

/** Changes some fields of a fact whose ETag the caller holds (`ifMatch`). */
export function updateFact(kb: Kb, id: string, patch: FactPatch | unknown, ctx: ConditionalContext): WriteResult {
  const { verified: _verified, ...changes } = parseInput(FactPatchSchema, patch);
  return write(kb, (db) => {
    const before = requireFact(db, id);
    checkIfMatch(ctx.ifMatch, etagOf(before, lastRevisionId(db, id)), id);
    if (changes.default === false && before.default) {
      throw new ConflictError(
        `fact "${id}" is the default of its cell, which keeps exactly one default: set default: true on another variant instead`,
      );
    }
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const after: FactInput = { ...inputOf(before), ...defined, default: before.default || changes.default === true };
    checkRules(db, after);
    const at = (ctx.now ?? new Date()).toISOString();
    const version = bumpVersion(db);
    if (after.default && !before.default) takeDefault(db, requireFact(db, id), ctx, at, version);
    factsTable.updateFact(db, after, at);
    const stored = requireFact(db, id);
    indexFact(db, stored);
    record(db, 'update', id, before, stored, ctx, at, version);
    return result(db, id, version);
  });
}

/** Removes a variant whose ETag the caller holds. The last fact of a cell and a cell's default stay. */
export function deleteFact(kb: Kb, id: string, ctx: ConditionalContext): { id: string; version: string } {
  return write(kb, (db) => {
    const before = requireFact(db, id);
    checkIfMatch(ctx.ifMatch, etagOf(before, lastRevisionId(db, id)), id);
    const dimensionKey = `${before.topic}/${before.dimension}`;
    const cell = readCell(db, before.provider, dimensionKey);
    if (cell.length <= 1) {
      throw new ConflictError(
        `fact "${id}" is the only fact of ${before.provider} on ${dimensionKey}: every dimension keeps a fact for every provider; update it instead`,
      );
    }
    if (before.default) {
      throw new ConflictError(
        `fact "${id}" is the default of its cell: make another variant the default first (default: true), then delete this one`,
      );
    }
    const at = (ctx.now ?? new Date()).toISOString();
    const version = bumpVersion(db);
    factsTable.deleteFact(db, id);
    new SearchIndexWriter(db).delete('fact', id);
    record(db, 'delete', id, before, null, ctx, at, version);
    return { id, version };
  });
}

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 200;

function historyCursor(revision: number): string {
  return Buffer.from(JSON.stringify({ revision }), 'utf8').toString('base64url');
}

function afterRevision(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'revision' in parsed && Number.isSafeInteger(parsed.revision)) {
      return Number(parsed.revision);
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('cursor', 'not a cursor this API issued; pass the `next` value of the previous page unchanged');
}

/**
 * The changes to one fact, oldest first, a page at a time (each holds the fact before and after, so a long
 * history is paged like /v1/facts); 404 only when the fact neither exists nor ever existed.
 */
export function factHistory(kb: Kb, id: string, page: { limit?: number; cursor?: string } = {}): FactHistory {
  const limit = page.limit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw new BadInputError('limit', `must be an integer from 1 to ${MAX_HISTORY_LIMIT}`);
  }
  const after = page.cursor === undefined ? 0 : afterRevision(page.cursor);
  const rows = readFactRevisions(kb.db, id, after, limit + 1);
  if (rows.length === 0 && after === 0 && !kb.snapshot().factById.has(id)) {
    throw new NotFoundError(`fact "${id}" not found and has no history; ids look like gcp/ip-allocation/per-node-pod-range`);
  }
  const items = rows.slice(0, limit).map((r) => ({ ...revisionOf(r), before: r.before, after: r.after }));
  const last = items.at(-1);
  return { id, items, next: rows.length > limit && last ? historyCursor(last.revision) : null };
}

export const DEFAULT_CHANGES_LIMIT = 500;
export const MAX_CHANGES_LIMIT = 1000;

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** `2026-01-31` or `2026-01-31T12:00:00Z` (an offset is required with a time) as an ISO UTC string. */
export function parseSince(since: string): string {
  const m = ISO_TIME.exec(since.trim());
  const date = m ? new Date(since.trim().length === 10 ? `${since.trim()}T00:00:00Z` : since.trim()) : undefined;
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    calendar.getUTCFullYear() !== y ||
    calendar.getUTCMonth() !== mo - 1 ||
    calendar.getUTCDate() !== d
  ) {
    throw new BadInputError('since', 'must be an ISO time such as 2026-01-31T00:00:00Z (or a date, 2026-01-31)');
  }
  return date.toISOString();
}

/** What changed strictly after `since` (admin writes and reseeds), oldest first, for clients that sync. */
export function listChanges(kb: Kb, since: string, limit = DEFAULT_CHANGES_LIMIT): Changes {
  const from = parseSince(since);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGES_LIMIT) {
    throw new BadInputError('limit', `must be an integer from 1 to ${MAX_CHANGES_LIMIT}`);
  }
  const { version } = kb.snapshot();
  const rows = readChanges(kb.db, from, limit + 1);
  return {
    since: from,
    items: rows.slice(0, limit),
    has_more: rows.length > limit,
    dataset: { version },
  };
}
