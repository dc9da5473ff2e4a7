/**
 * What is derived from one snapshot (ask's index, counts over its full text) is built once and lives exactly as
 * long as the snapshot: the values hang off the snapshot object in a WeakMap, so a new dataset version starts
 * afresh and the old one's derived data goes with it, with no module-level cache to bound or clear.
 */
const derived = new WeakMap<object, Map<string, unknown>>();

/** `build()` once per owner (a snapshot, or a Kb for what belongs to its connection) and key. */
export function memo<T>(owner: object, key: string, build: () => T): T {
  let values = derived.get(owner);
  if (!values) {
    values = new Map();
    derived.set(owner, values);
  }
  if (values.has(key)) return values.get(key) as T;
  const value = build();
  values.set(key, value);
  return value;
}
