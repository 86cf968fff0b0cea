/**
 * Frozen plain data: what a roster shares between its credentials. A check may skip work on a value it has already
 * checked only when nothing can have changed it since, so the value and everything in it must be frozen, plain
 * (arrays and objects whose prototype is Object's or null) and made of data properties only (no getter that could
 * answer differently the next time).
 */

/** Freezes a plain data value and everything in it (iterative: it may be deep). */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    pending.push(...Object.values(item));
  }
  return value;
}

/**
 * Whether a value is plain data, every object and array in it frozen, with data properties only; with `withoutKey`,
 * also that no object in it has that key (the compacted-form walk's roots must carry no `@context`).
 */
export function isFrozenPlainData(value: unknown, withoutKey?: string): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    if (!Object.isFrozen(item) || !(Array.isArray(item) || isPlainRecord(item))) return false;
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(item))) {
      if (key === withoutKey || !('value' in d)) return false;
      pending.push(d.value);
    }
  }
  return true;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
