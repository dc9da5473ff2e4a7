import type { ProviderSlug } from '../domain/seed.js';
import type { DimensionRecord } from './snapshot.js';

/** How the requested providers compare on a dimension: `differs` and the providers that behave alike. */
export interface KeyComparison {
  /** null when the cells cannot be compared: the dimension declares no compare_by (or `none`), or a key is missing. */
  differs: boolean | null;
  /** Providers whose default facts share a key, in the order of the first provider of each group; null with differs. */
  groups: ProviderSlug[][] | null;
}

const NOT_COMPARABLE: KeyComparison = { differs: null, groups: null };

/**
 * Compares the keys of each provider's default fact (the first of its cell). Free-text values are never compared:
 * two values worded alike may mean different things, and two worded differently may mean the same.
 */
export function compareKeys(dim: DimensionRecord, providers: readonly ProviderSlug[]): KeyComparison {
  if (dim.compare_by === undefined || dim.compare_by === 'none') return NOT_COMPARABLE;
  const groups = new Map<string, ProviderSlug[]>();
  for (const p of providers) {
    const key = dim.cells[p][0]?.key;
    // the seed and the write API require the key where compare_by is declared; without one, nothing is claimed
    if (key === undefined) return NOT_COMPARABLE;
    // 5 and "5" are different keys: the type is part of the form the dimension declares
    const id = JSON.stringify(key);
    const group = groups.get(id);
    if (group) group.push(p);
    else groups.set(id, [p]);
  }
  const list = [...groups.values()];
  return { differs: list.length > 1, groups: list };
}
