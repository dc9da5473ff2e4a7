import type { Fact, FactsPage } from '../domain/api.js';
import { FACT_STATUSES, type FactStatus } from '../domain/seed.js';
import { requireProvider, requireTopic } from './catalog.js';
import { BadInputError, listValues, NotFoundError } from './errors.js';
import type { Kb } from './kb.js';

export interface FactFilter {
  provider?: string;
  topic?: string;
  /** A dimension slug, or `topic/dimension`. */
  dimension?: string;
  tag?: string;
  /** One lifecycle status or a comma-separated list of them (`preview,deprecated`). */
  status?: string;
  /** ISO date: facts verified strictly before it (the stale ones). */
  verified_before?: string;
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { after?: unknown }).after === 'string') {
      return (parsed as { after: string }).after;
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('cursor', 'not a cursor this API issued; pass the `next` value of the previous page unchanged');
}

/** The statuses a filter names, without repeats; 400 naming `status` and the valid values for any other word. */
export function requireStatuses(param: string, list: string): Set<FactStatus> {
  const words = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (words.length === 0) throw new BadInputError(param, `must name a status: ${FACT_STATUSES.join(', ')}`);
  for (const w of words) {
    if (!(FACT_STATUSES as readonly string[]).includes(w)) {
      throw new BadInputError(param, `unknown status "${w}"; use one of ${FACT_STATUSES.join(', ')} (or a comma-separated list)`);
    }
  }
  return new Set(words as FactStatus[]);
}

/** The facts matching a filter, in id order, one page at a time. */
/** A page of the facts a filter matches, in id order, with the cursor of the next page. */
export function listFacts(kb: Kb, filter: FactFilter = {}): FactsPage & { total: number } {
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new BadInputError('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const all = matchingFacts(kb, filter);
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  let start = 0;
  if (after !== undefined) {
    // first id strictly after the cursor: ids are unique and sorted
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((all[mid] as Fact).id <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = all.slice(start, start + limit);
  const last = items.at(-1);
  const next = start + limit < all.length && last ? encodeCursor(last.id) : null;
  return { items, next, total: all.length };
}

/** Every fact a filter matches (paging aside), in id order; a bad filter value is a BadInputError naming it. */
export function matchingFacts(kb: Kb, filter: Omit<FactFilter, 'limit' | 'cursor'> = {}): Fact[] {
  const snap = kb.snapshot();
  const provider = filter.provider ? requireProvider(snap, 'provider', filter.provider) : undefined;
  const topic = filter.topic ? requireTopic(snap, 'topic', filter.topic).slug : undefined;
  let dimTopic: string | undefined;
  let dimSlug: string | undefined;
  if (filter.dimension) {
    const parts = filter.dimension.split('/');
    [dimTopic, dimSlug] = parts.length === 2 ? parts : [undefined, filter.dimension];
    const exists = [...snap.dimensionByKey.values()].some(
      (d) => d.slug === dimSlug && (dimTopic === undefined || d.topic === dimTopic) && (topic === undefined || d.topic === topic),
    );
    if (!exists) {
      const scope = topic ?? dimTopic;
      const valid = [...snap.dimensionByKey.values()]
        .filter((d) => !scope || d.topic === scope)
        .map((d) => (scope ? d.slug : d.key));
      throw new BadInputError('dimension', `unknown dimension "${filter.dimension}"; use one of ${listValues(valid)}`);
    }
  }
  if (filter.verified_before !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(filter.verified_before)) {
    throw new BadInputError('verified_before', 'must be an ISO date (YYYY-MM-DD)');
  }
  const statuses = filter.status !== undefined ? requireStatuses('status', filter.status) : undefined;

  const matches = (f: Fact) =>
    (!provider || f.provider === provider) &&
    (!topic || f.topic === topic) &&
    (!dimSlug || (f.dimension === dimSlug && (!dimTopic || f.topic === dimTopic))) &&
    (!filter.tag || f.tags.includes(filter.tag)) &&
    (!statuses || statuses.has(f.status)) &&
    (!filter.verified_before || f.verified < filter.verified_before);

  return snap.facts.filter(matches);
}

export function getFact(kb: Kb, id: string): Fact {
  const snap = kb.snapshot();
  const fact = snap.factById.get(id);
  if (!fact) {
    const [provider, topic, dimension] = id.split('#')[0]?.split('/') ?? [];
    const siblings = snap.facts
      .filter((f) => f.provider === provider && f.topic === topic && (!dimension || f.dimension === dimension))
      .map((f) => f.id);
    const hint =
      siblings.length > 0
        ? `; did you mean ${listValues(siblings, 10)}?`
        : '; ids look like gcp/ip-allocation/per-node-pod-range';
    throw new NotFoundError(`fact "${id}" not found${hint}`);
  }
  return fact;
}
