import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type Changes,
  type FactHistory,
  type FactPatch,
  FactPatchSchema,
  type NewFact,
  NewFactSchema,
  type Revision,
  type WriteResult,
} from '../domain/admin.js';
import type { Fact } from '../domain/api.js';
import { factId, variantSlug } from '../domain/seed.js';
import { formatPath } from '../seed/read.js';
import {
  BadInputError,
  ConflictError,
  listValues,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
} from './errors.js';
import { factIndexEntry, SearchIndexWriter } from './search-index.js';
import { factFromRow, json, type Kb } from './snapshot.js';

/**
 * The write API of the knowledge base, for every interface (REST today, GraphQL mutations later). Each write
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

type Row = Record<string, unknown>;

/** Validates input the way a route would, so non-HTTP callers get the same BadInputError naming the field. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BadInputError(issue ? formatPath(issue.path) : 'input', issue?.message ?? 'invalid');
}

/** A fact read straight from the database (inside the write's transaction, not from the snapshot). */
function readFact(sqlite: Database.Database, id: string): Fact | undefined {
  const r = sqlite.prepare('SELECT * FROM facts WHERE id = ?').get(id) as Row | undefined;
  if (!r) return undefined;
  const sources = sqlite.prepare('SELECT url, title FROM sources WHERE fact_id = ? ORDER BY position').all(id) as {
    url: string;
    title: string;
  }[];
  return factFromRow(r, sources);
}

function lastRevisionId(sqlite: Database.Database, id: string): number {
  return (sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions WHERE fact_id = ?').pluck().get(id) as number) ?? 0;
}

/**
 * A fact's ETag: a hash of its content and of its last revision. It changes with every write to the fact
 * (even one that stores the same content, so two writers holding the same ETag can never both win), and
 * not when other facts change: an edit elsewhere does not invalidate an If-Match held for this fact.
 */
function etagOf(fact: Fact, revision: number): string {
  const canonical = JSON.stringify([
    fact.id,
    fact.provider,
    fact.topic,
    fact.dimension,
    fact.variant ?? null,
    fact.default,
    fact.value,
    fact.details,
    fact.sources.map((s) => [s.url, s.title]),
    fact.verified,
    fact.confidence,
    fact.tags,
    revision,
  ]);
  return `"f-${createHash('sha256').update(canonical).digest('base64url').slice(0, 22)}"`;
}

/** The current ETag of a fact, or undefined when there is no such fact. GET /v1/facts/{id} answers with it. */
export function factEtag(kb: Kb, id: string): string | undefined {
  const sqlite = kb.db.$client;
  const fact = readFact(sqlite, id);
  return fact ? etagOf(fact, lastRevisionId(sqlite, id)) : undefined;
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

function requireFact(sqlite: Database.Database, id: string): Fact {
  const fact = readFact(sqlite, id);
  if (!fact) throw new NotFoundError(`fact "${id}" not found`);
  return fact;
}

function cellIds(sqlite: Database.Database, provider: string, dimensionKey: string): { id: string; variant: string | null }[] {
  return sqlite
    .prepare('SELECT id, variant FROM facts WHERE provider = ? AND dimension_key = ? ORDER BY position, id')
    .all(provider, dimensionKey) as { id: string; variant: string | null }[];
}

/** Bumps the dataset row: `<seed hash>-r<revision>` is a new version, so every cached read and ETag expires. */
function bumpVersion(sqlite: Database.Database): string {
  const ds = sqlite.prepare('SELECT seed_hash, revision FROM dataset WHERE id = 1').get() as
    | { seed_hash: string; revision: number }
    | undefined;
  if (!ds) throw new ConflictError('no dataset is loaded; seed the database first (npm run seed)');
  const revision = ds.revision + 1;
  const version = `${ds.seed_hash}-r${revision}`;
  sqlite.prepare('UPDATE dataset SET revision = ?, version = ? WHERE id = 1').run(revision, version);
  return version;
}

function recordRevision(
  sqlite: Database.Database,
  action: 'create' | 'update' | 'delete',
  id: string,
  before: Fact | null,
  after: Fact | null,
  ctx: WriteContext,
  at: string,
  version: string,
): void {
  sqlite
    .prepare(
      'INSERT INTO revisions (fact_id, action, actor, at, before, after, dataset_version, unexported) VALUES (?, ?, ?, ?, ?, ?, ?, 1)',
    )
    .run(id, action, ctx.actor, at, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null, version);
}

function indexFact(sqlite: Database.Database, fact: Fact): void {
  const dim = sqlite
    .prepare('SELECT title, keywords FROM dimensions WHERE key = ?')
    .get(`${fact.topic}/${fact.dimension}`) as Row;
  const p = sqlite
    .prepare('SELECT name, kubernetes_service_short, aliases FROM providers WHERE slug = ?')
    .get(fact.provider) as Row;
  new SearchIndexWriter(sqlite).put(
    factIndexEntry(
      fact,
      { title: dim.title as string, keywords: json<string[]>(dim.keywords) },
      {
        name: p.name as string,
        kubernetesServiceShort: p.kubernetes_service_short as string,
        aliases: json<string[]>(p.aliases),
      },
    ),
  );
}

function writeSources(sqlite: Database.Database, id: string, sources: Fact['sources']): void {
  sqlite.prepare('DELETE FROM sources WHERE fact_id = ?').run(id);
  const ins = sqlite.prepare('INSERT INTO sources (fact_id, position, url, title) VALUES (?, ?, ?, ?)');
  sources.forEach((s, i) => {
    ins.run(id, i, s.url, s.title);
  });
}

/** Makes `id` the only default of its cell; the facts that lose the flag get an update revision of their own. */
function takeDefault(sqlite: Database.Database, fact: Fact, ctx: WriteContext, at: string, version: string): void {
  const others = sqlite
    .prepare('SELECT id FROM facts WHERE provider = ? AND dimension_key = ? AND id != ? AND is_default = 1')
    .pluck()
    .all(fact.provider, `${fact.topic}/${fact.dimension}`, fact.id) as string[];
  for (const other of others) {
    const before = requireFact(sqlite, other);
    sqlite.prepare("UPDATE facts SET is_default = 0, origin = 'admin', updated_at = ? WHERE id = ?").run(at, other);
    recordRevision(sqlite, 'update', other, before, { ...before, default: false }, ctx, at, version);
  }
}

/** Runs a write as one IMMEDIATE transaction and drops the in-memory snapshot once it committed. */
function write<T>(kb: Kb, fn: (sqlite: Database.Database) => T): T {
  const sqlite = kb.db.$client;
  const result = sqlite.transaction(() => fn(sqlite)).immediate();
  kb.invalidate();
  return result;
}

function result(sqlite: Database.Database, id: string, version: string): WriteResult {
  const fact = requireFact(sqlite, id);
  return { fact, etag: etagOf(fact, lastRevisionId(sqlite, id)), version };
}

/** Adds a fact to a cell. 409 when it exists or would break the cell's rules; 400 naming an unknown topic or dimension. */
export function createFact(kb: Kb, input: NewFact | unknown, ctx: WriteContext): WriteResult {
  const fact = parseInput(NewFactSchema, input);
  return write(kb, (sqlite) => {
    const topics = sqlite.prepare('SELECT slug FROM topics ORDER BY position').pluck().all() as string[];
    if (!topics.includes(fact.topic)) {
      throw new BadInputError('topic', `unknown topic "${fact.topic}"; use one of ${listValues(topics)}`);
    }
    const dimensionKey = `${fact.topic}/${fact.dimension}`;
    const dims = sqlite
      .prepare('SELECT slug FROM dimensions WHERE topic = ? ORDER BY position')
      .pluck()
      .all(fact.topic) as string[];
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
    if (readFact(sqlite, id)) throw new ConflictError(`fact "${id}" already exists; change it with an update instead`);

    const cell = cellIds(sqlite, fact.provider, dimensionKey);
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

    const at = (ctx.now ?? new Date()).toISOString();
    const version = bumpVersion(sqlite);
    const position =
      (sqlite
        .prepare('SELECT coalesce(max(position), -1) + 1 FROM facts WHERE provider = ? AND dimension_key = ?')
        .pluck()
        .get(fact.provider, dimensionKey) as number) ?? 0;
    sqlite
      .prepare(
        `INSERT INTO facts (id, provider, topic, dimension_key, variant, is_default, value, details, verified, confidence, tags, position, origin, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', ?)`,
      )
      .run(
        id,
        fact.provider,
        fact.topic,
        dimensionKey,
        fact.variant,
        fact.default ? 1 : 0,
        fact.value,
        fact.details,
        fact.verified,
        fact.confidence,
        JSON.stringify(fact.tags),
        position,
        at,
      );
    writeSources(sqlite, id, fact.sources);
    const created = requireFact(sqlite, id);
    if (created.default) takeDefault(sqlite, created, ctx, at, version);
    indexFact(sqlite, created);
    recordRevision(sqlite, 'create', id, null, created, ctx, at, version);
    return result(sqlite, id, version);
  });
}

/** Changes some fields of a fact whose ETag the caller holds (`ifMatch`). */
export function updateFact(kb: Kb, id: string, patch: FactPatch | unknown, ctx: ConditionalContext): WriteResult {
  const changes = parseInput(FactPatchSchema, patch);
  return write(kb, (sqlite) => {
    const before = requireFact(sqlite, id);
    checkIfMatch(ctx.ifMatch, etagOf(before, lastRevisionId(sqlite, id)), id);
    if (changes.default === false && before.default) {
      throw new ConflictError(
        `fact "${id}" is the default of its cell, which keeps exactly one default: set default: true on another variant instead`,
      );
    }
    const at = (ctx.now ?? new Date()).toISOString();
    const version = bumpVersion(sqlite);
    const after: Fact = {
      ...before,
      ...(changes.value !== undefined ? { value: changes.value } : {}),
      ...(changes.details !== undefined ? { details: changes.details } : {}),
      ...(changes.sources !== undefined ? { sources: changes.sources } : {}),
      ...(changes.verified !== undefined ? { verified: changes.verified } : {}),
      ...(changes.confidence !== undefined ? { confidence: changes.confidence } : {}),
      ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
      default: before.default || changes.default === true,
    };
    if (after.default && !before.default) takeDefault(sqlite, after, ctx, at, version);
    sqlite
      .prepare(
        `UPDATE facts SET is_default = ?, value = ?, details = ?, verified = ?, confidence = ?, tags = ?, origin = 'admin', updated_at = ?
         WHERE id = ?`,
      )
      .run(
        after.default ? 1 : 0,
        after.value,
        after.details,
        after.verified,
        after.confidence,
        JSON.stringify(after.tags),
        at,
        id,
      );
    if (changes.sources !== undefined) writeSources(sqlite, id, changes.sources);
    const stored = requireFact(sqlite, id);
    indexFact(sqlite, stored);
    recordRevision(sqlite, 'update', id, before, stored, ctx, at, version);
    return result(sqlite, id, version);
  });
}

/** Removes a variant whose ETag the caller holds. The last fact of a cell and a cell's default stay. */
export function deleteFact(kb: Kb, id: string, ctx: ConditionalContext): { id: string; version: string } {
  return write(kb, (sqlite) => {
    const before = requireFact(sqlite, id);
    checkIfMatch(ctx.ifMatch, etagOf(before, lastRevisionId(sqlite, id)), id);
    const dimensionKey = `${before.topic}/${before.dimension}`;
    const cell = cellIds(sqlite, before.provider, dimensionKey);
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
    const version = bumpVersion(sqlite);
    sqlite.prepare('DELETE FROM facts WHERE id = ?').run(id);
    new SearchIndexWriter(sqlite).delete('fact', id);
    recordRevision(sqlite, 'delete', id, before, null, ctx, at, version);
    return { id, version };
  });
}

function revisionOf(r: Row): Revision {
  return {
    revision: r.id as number,
    action: r.action as Revision['action'],
    fact_id: (r.fact_id as string | null) ?? null,
    actor: r.actor as string,
    at: r.at as string,
    dataset_version: r.dataset_version as string,
    exported: r.unexported !== 1,
  };
}

/** Every change to one fact, oldest first; 404 only when the fact neither exists nor ever existed. */
export function factHistory(kb: Kb, id: string): FactHistory {
  const sqlite = kb.db.$client;
  const rows = sqlite.prepare('SELECT * FROM revisions WHERE fact_id = ? ORDER BY id').all(id) as Row[];
  if (rows.length === 0 && !kb.snapshot().factById.has(id)) {
    throw new NotFoundError(`fact "${id}" not found and has no history; ids look like gcp/ip-allocation/per-node-pod-range`);
  }
  return {
    id,
    items: rows.map((r) => ({
      ...revisionOf(r),
      before: r.before ? json<Fact>(r.before) : null,
      after: r.after ? json<Fact>(r.after) : null,
    })),
  };
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
  const version = kb.version();
  const rows = kb.db.$client
    .prepare('SELECT id, action, fact_id, actor, at, dataset_version, unexported FROM revisions WHERE at > ? ORDER BY id LIMIT ?')
    .all(from, limit + 1) as Row[];
  return {
    since: from,
    items: rows.slice(0, limit).map(revisionOf),
    has_more: rows.length > limit,
    dataset: { version },
  };
}
