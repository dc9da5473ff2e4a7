import { and, asc, eq, getTableColumns, max } from 'drizzle-orm';
import type { Fact } from '../domain/api.js';
import { oldestChecked, type ProviderSlug, type SeedFact, type Source } from '../domain/seed.js';
import { type Db, insertRows } from './connection.js';
import { facts, sources } from './schema.js';

/** Readers and writers of the `facts` and `sources` tables: the only code that maps a fact to rows and back. */

/** A fact to write: a seed fact (without its derived `verified`) placed in its cell. */
export interface FactInput extends Omit<SeedFact, 'verified' | 'default'> {
  id: string;
  provider: ProviderSlug;
  topic: string;
  dimension: string;
  default: boolean;
}

type FactRow = typeof facts.$inferSelect;
type FactInsert = typeof facts.$inferInsert;

/**
 * The row of a fact, every column of it. Seed loads, admin creates and admin updates all write through it, so a
 * field added here (and to the table) is written everywhere.
 */
function factRow(f: FactInput, position: number, origin: FactRow['origin'], at: string): FactInsert {
  return {
    id: f.id,
    provider: f.provider,
    topic: f.topic,
    dimensionKey: `${f.topic}/${f.dimension}`,
    variant: f.variant ?? null,
    isDefault: f.default,
    value: f.value,
    key: f.key ?? null,
    status: f.status,
    applies: f.applies ?? null,
    changes: f.changes ?? null,
    details: f.details,
    confidence: f.confidence,
    tags: f.tags,
    position,
    origin,
    updatedAt: at,
  } satisfies Required<FactInsert>;
}

/** The columns a Fact is read from: all but the bookkeeping ones, which stay in the database. */
const { position: _position, origin: _origin, updatedAt: _updatedAt, ...factColumns } = getTableColumns(facts);
type FactRead = Omit<FactRow, 'position' | 'origin' | 'updatedAt'>;

/** The API's Fact from its row and sources: the one place that fixes its shape and key order (the bytes clients get). */
function factOf(r: FactRead, factSources: Source[]): Fact {
  return {
    id: r.id,
    provider: r.provider,
    topic: r.topic,
    dimension: r.dimensionKey.slice(r.topic.length + 1),
    ...(r.variant !== null ? { variant: r.variant } : {}),
    default: r.isDefault,
    value: r.value,
    ...(r.key !== null ? { key: r.key } : {}),
    status: r.status,
    applies: r.applies ?? {},
    ...(r.changes !== null ? { changes: r.changes } : {}),
    details: r.details,
    sources: factSources,
    verified: oldestChecked(factSources),
    confidence: r.confidence,
    tags: r.tags,
  };
}

const sourceColumns = { factId: sources.factId, url: sources.url, title: sources.title, checked: sources.checked };

/** Every fact in cell order: by dimension, provider, then the seed's order within the cell. */
export function readFacts(db: Db): Fact[] {
  const byFact = new Map<string, Source[]>();
  for (const s of db.select(sourceColumns).from(sources).orderBy(asc(sources.factId), asc(sources.position)).all()) {
    const list = byFact.get(s.factId) ?? [];
    list.push({ url: s.url, title: s.title, checked: s.checked });
    byFact.set(s.factId, list);
  }
  return db
    .select(factColumns)
    .from(facts)
    .orderBy(asc(facts.dimensionKey), asc(facts.provider), asc(facts.position), asc(facts.id))
    .all()
    .map((r) => factOf(r, byFact.get(r.id) ?? []));
}

export function readFact(db: Db, id: string): Fact | undefined {
  const row = db.select(factColumns).from(facts).where(eq(facts.id, id)).get();
  if (!row) return undefined;
  const list = db
    .select({ url: sources.url, title: sources.title, checked: sources.checked })
    .from(sources)
    .where(eq(sources.factId, id))
    .orderBy(asc(sources.position))
    .all();
  return factOf(row, list);
}

/** The facts of one cell (a provider on a dimension), in their order. */
export function readCell(
  db: Db,
  provider: ProviderSlug,
  dimensionKey: string,
): { id: string; variant: string | null; isDefault: boolean }[] {
  return db
    .select({ id: facts.id, variant: facts.variant, isDefault: facts.isDefault })
    .from(facts)
    .where(and(eq(facts.provider, provider), eq(facts.dimensionKey, dimensionKey)))
    .orderBy(asc(facts.position), asc(facts.id))
    .all();
}

/** Inserts facts with their sources; `position` is each fact's place in its cell. */
export function insertFacts(
  db: Db,
  list: readonly { fact: FactInput; position: number }[],
  origin: FactRow['origin'],
  at: string,
): void {
  insertRows(
    db,
    facts,
    list.map((f) => factRow(f.fact, f.position, origin, at)),
  );
  insertRows(
    db,
    sources,
    list.flatMap(({ fact }) => sourceRows(fact)),
  );
}

function sourceRows(fact: FactInput): (typeof sources.$inferInsert)[] {
  return fact.sources.map((s, position) => ({ factId: fact.id, position, url: s.url, title: s.title, checked: s.checked }));
}

/** A fact added to the end of its cell by the write API. */
export function insertFact(db: Db, fact: FactInput, at: string): void {
  const last = db
    .select({ position: max(facts.position) })
    .from(facts)
    .where(and(eq(facts.provider, fact.provider), eq(facts.dimensionKey, `${fact.topic}/${fact.dimension}`)))
    .get();
  insertFacts(db, [{ fact, position: (last?.position ?? -1) + 1 }], 'admin', at);
}

/** Rewrites a fact's content and its sources (its place in the cell stays). */
export function updateFact(db: Db, fact: FactInput, at: string): void {
  const { position: _position, ...row } = factRow(fact, 0, 'admin', at);
  db.update(facts).set(row).where(eq(facts.id, fact.id)).run();
  db.delete(sources).where(eq(sources.factId, fact.id)).run();
  insertRows(db, sources, sourceRows(fact));
}

/** Sets or clears the default flag of one fact (the write API keeps one default per cell). */
export function setDefault(db: Db, id: string, isDefault: boolean, at: string): void {
  db.update(facts).set({ isDefault, origin: 'admin', updatedAt: at }).where(eq(facts.id, id)).run();
}

export function deleteFact(db: Db, id: string): void {
  db.delete(facts).where(eq(facts.id, id)).run();
}
