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
  return serialize(value, '$', new Set(), 0);
}

function serialize(value: unknown, path: string, ancestors: Set<object>, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new MicrocredError('INVALID_INPUT', `JCS cannot encode ${value}`, { path });
      return JSON.stringify(value); // -0 → "0", 1e21 → "1e+21", as RFC 8785 §3.2.2.3 requires
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new MicrocredError('INVALID_INPUT', 'JCS cannot encode a string with a lone surrogate', { path });
      return JSON.stringify(value);
    case 'object':
      return serializeContainer(value, path, ancestors, depth);
    default:
      throw new MicrocredError('INVALID_INPUT', `JCS cannot encode a ${typeof value}`, { path });
  }
}

function serializeContainer(value: object, path: string, ancestors: Set<object>, depth: number): string {
  if (depth >= MAX_DEPTH) throw new MicrocredError('INVALID_INPUT', `JCS input nests deeper than ${MAX_DEPTH} levels`, { path });
  if (ancestors.has(value)) throw new MicrocredError('INVALID_INPUT', 'JCS input contains a cycle', { path });
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      // An index loop, not map(): map skips holes, which would print `[1,,2]`. A hole or undefined is null, as in JSON.
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        items.push(serialize(item === undefined ? null : item, childPath(path, i), ancestors, depth + 1));
      }
      return `[${items.join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new MicrocredError('INVALID_INPUT', `JCS encodes plain JSON objects only, not a ${value.constructor?.name ?? 'non-plain object'}`, { path });
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
