import type { Fact } from '../domain/api.js';
import type { Change } from '../domain/seed.js';
import type { Timeline, TimelineEntry } from '../domain/timeline.js';
import { requireProvider, requireTopic } from './catalog.js';
import { BadInputError } from './errors.js';
import type { Kb } from './kb.js';

export interface TimelineQuery {
  /** ISO date; today (UTC) when absent. */
  from?: string;
  /** ISO date; from + DEFAULT_WINDOW_MONTHS when absent. */
  to?: string;
  provider?: string;
  topic?: string;
}

export const DEFAULT_WINDOW_MONTHS = 12;
/** A longer window is a dump of the dataset, which /v1/export serves; the bound keeps the answer's size honest. */
export const MAX_WINDOW_YEARS = 10;

/** Today as an ISO date (UTC): the default start of the window. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A real calendar day written YYYY-MM-DD, or a 400 naming the parameter. */
function requireDate(param: string, value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) {
    throw new BadInputError(param, `must be an ISO date (YYYY-MM-DD), got "${value}"`);
  }
  return value.trim();
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The same day `months` later, or the last day of that month when it is shorter (2028-02-29 + 12 = 2029-02-28). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(d, daysIn(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "1.33" before "1.100": versions compare part by part, as numbers. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

const byProviderThenId = (a: TimelineEntry, b: TimelineEntry) =>
  a.fact.provider < b.fact.provider
    ? -1
    : a.fact.provider > b.fact.provider
      ? 1
      : a.fact.id < b.fact.id
        ? -1
        : a.fact.id > b.fact.id
          ? 1
          : 0;

function entry(fact: Fact, change: Change): TimelineEntry {
  return {
    ...(change.on !== undefined ? { on: change.on } : {}),
    ...(change.version !== undefined ? { version: change.version } : {}),
    what: change.what,
    ...(change.replaced_by !== undefined ? { replaced_by: change.replaced_by } : {}),
    fact: {
      id: fact.id,
      provider: fact.provider,
      topic: fact.topic,
      dimension: fact.dimension,
      value: fact.value,
      status: fact.status,
    },
    sources: fact.sources.map((s) => ({ url: s.url, title: s.title })),
  };
}

/**
 * What changes, retires or becomes default in a window, from the facts' structured `changes`: dated changes in
 * [from, to] soonest first, and changes tied only to a Kubernetes version (no date to place them in a window) apart.
 */
export function timeline(kb: Kb, query: TimelineQuery = {}, now: Date = new Date()): Timeline {
  const snap = kb.snapshot();
  const from = query.from !== undefined ? requireDate('from', query.from) : isoToday(now);
  const to = query.to !== undefined ? requireDate('to', query.to) : addMonths(from, DEFAULT_WINDOW_MONTHS);
  if (to < from) throw new BadInputError('to', `must not be before from (${from})`);
  if (to > addMonths(from, MAX_WINDOW_YEARS * 12)) {
    throw new BadInputError(
      'to',
      `the window may span at most ${MAX_WINDOW_YEARS} years (to ${addMonths(from, MAX_WINDOW_YEARS * 12)})`,
    );
  }
  const provider = query.provider !== undefined ? requireProvider(snap, 'provider', query.provider) : undefined;
  const topic = query.topic !== undefined ? requireTopic(snap, 'topic', query.topic).slug : undefined;

  const items: TimelineEntry[] = [];
  const byVersion: TimelineEntry[] = [];
  for (const fact of snap.facts) {
    if ((provider && fact.provider !== provider) || (topic && fact.topic !== topic)) continue;
    for (const change of fact.changes ?? []) {
      if (change.on === undefined) byVersion.push(entry(fact, change));
      else if (change.on >= from && change.on <= to) items.push(entry(fact, change));
    }
  }
  items.sort((a, b) => (a.on as string).localeCompare(b.on as string) || byProviderThenId(a, b));
  byVersion.sort((a, b) => compareVersions(a.version as string, b.version as string) || byProviderThenId(a, b));
  return { from, to, items, by_version: byVersion, dataset: { version: snap.version } };
}
