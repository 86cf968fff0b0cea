import { MicrocredError, childPath } from '../errors';

/** Deeper than any credential; shallow enough that a hostile document cannot exhaust the stack. */
const MAX_DEPTH = 200;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * JSON Canonicalization Scheme (RFC 8785). ECMAScript's own number and string serialization is what the RFC
 * specifies (§3.2.2.3 cites Number.prototype.toString, §3.2.2.2 the JSON.stringify escapes), so JSON.stringify does
 * the leaves; object keys are sorted by UTF-16 code units, as Array#sort's default comparison does (§3.2.3).
 * Input must be JSON data (I-JSON): lone surrogates, non-finite numbers, cycles, class instances, functions and
 * other non-JSON values are INVALID_INPUT errors, never silently changed or dropped.
 */
export function canonicalizeJcs(value: unknown): string {
  // The fast walk keeps no paths and no ancestor set; anything it cannot encode is walked again by the careful
  // serializer below, which names the problem and its JSON path. Both encode valid input identically.
  const fast = fastSerialize(value, 0);
  return fast !== undefined ? fast : serialize(value, '$', new Set(), 0);
}

/** The common case: plain JSON data. Returns undefined at the first thing that needs an error message. */
function fastSerialize(value: unknown, depth: number): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'string':
      return isWellFormed(value) ? JSON.stringify(value) : undefined;
    case 'object': {
      // Deeper than the careful walk allows, or a cycle (which always ends here): let it report which.
      if (depth >= MAX_DEPTH) return undefined;
      let out = '';
      let separator = '';
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          // A hole or undefined is null, as in JSON.
          const text = fastSerialize(value[i] ?? null, depth + 1);
          if (text === undefined) return undefined;
          out += separator + text;
          separator = ',';
        }
        return `[${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      sortKeys(keys);
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        const name = memberName(key);
        const text = name && fastSerialize(member, depth + 1);
        if (text === undefined) return undefined;
        out += separator + name + text;
        separator = ',';
      }
      return `{${out}}`;
    }
    default:
      return undefined;
  }
}

/**
 * A member name as JCS writes it (quoted, with its colon), or undefined for a lone surrogate. Credentials use a few
 * dozen names over and over, so the written forms are kept (bounded, refilled when full): checking and quoting the
 * same names again was a fifth of JCS time (seed credential 36 → 28 µs, measured in one process).
 */
const memberNames = new Map<string, string>();
function memberName(key: string): string | undefined {
  let name = memberNames.get(key);
  if (name === undefined) {
    if (!isWellFormed(key)) return undefined;
    name = `${JSON.stringify(key)}:`;
    if (memberNames.size >= 4096) memberNames.clear();
    memberNames.set(key, name);
  }
  return name;
}

/**
 * Sorts member names in place by UTF-16 code units, as Array#sort's default comparison does (`<` on strings compares
 * code units too). A credential's objects have a handful of members, and for so few an insertion sort costs a
 * fraction of Array#sort's set-up per call (with the names above, a quarter of the seed credential's JCS time).
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) keys.sort();
  else
    for (let i = 1; i < keys.length; i++) {
      const key = keys[i]!;
      let j = i;
      for (; j > 0 && keys[j - 1]! > key; j--) keys[j] = keys[j - 1]!;
      keys[j] = key;
    }
}

/** String.prototype.isWellFormed (ES2024, in Node 20 and evergreen browsers), with the regex where it is missing. */
const isWellFormed: (value: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (value) => (value as string & { isWellFormed(): boolean }).isWellFormed()
    : (value) => !LONE_SURROGATE.test(value);

function serialize(value: unknown, path: string, ancestors: Set<object>, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      if (!Number.isFinite(value)) throw new MicrocredError('INVALID_INPUT', `JCS cannot encode ${value}`, { path });
      return JSON.stringify(value); // -0 → "0", 1e21 → "1e+21", as RFC 8785 §3.2.2.3 requires
    case 'string':
      if (LONE_SURROGATE.test(value))
        throw new MicrocredError('INVALID_INPUT', 'JCS cannot encode a string with a lone surrogate', { path });
      return JSON.stringify(value);
    case 'object':
      return serializeContainer(value, path, ancestors, depth);
    default:
      throw new MicrocredError('INVALID_INPUT', `JCS cannot encode a ${typeof value}`, { path });
  }
}

function serializeContainer(value: object, path: string, ancestors: Set<object>, depth: number): string {
  if (depth >= MAX_DEPTH)
    throw new MicrocredError('INVALID_INPUT', `JCS input nests deeper than ${MAX_DEPTH} levels`, { path });
  if (ancestors.has(value)) throw new MicrocredError('INVALID_INPUT', 'JCS input contains a cycle', { path });
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      // An index loop, not map(): map skips holes, which would print `[1,,2]`. A hole or undefined is null, as in JSON.
      for (let i = 0; i < value.length; i++) {
        items.push(serialize(value[i] ?? null, childPath(path, i), ancestors, depth + 1));
      }
      return `[${items.join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `JCS encodes plain JSON objects only, not a ${value.constructor?.name ?? 'non-plain object'}`,
        { path },
      );
    }
    const record = value as Record<string, unknown>;
    const entries: string[] = [];
    // Members whose value is undefined are absent, exactly as JSON.stringify treats them.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      const keyPath = childPath(path, key);
      entries.push(`${serialize(key, keyPath, ancestors, depth)}:${serialize(member, keyPath, ancestors, depth + 1)}`);
    }
    return `{${entries.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
