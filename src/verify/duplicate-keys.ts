import { childPath } from '../errors';

/**
 * The JSON path of the first member name that repeats within one object of a JSON text, or undefined.
 *
 * JSON.parse keeps the last of two equal names, while another reader (a signer, a wallet, a second verifier) may keep
 * the first: the same text then means two different credentials. RFC 8259 leaves it open; a verifier must refuse.
 * This is a scan over text that JSON.parse has already accepted, not a second parser: it only tracks where object
 * keys start and skips every string with indexOf, so a credential of a few KB costs microseconds. Names are compared
 * after unescaping (`"a"` and `"\u0061"` are the same name).
 *
 * With `parsed` (what JSON.parse made of `text`), a cheaper proof usually settles it first (see cannotRepeatNames):
 * about a third of the scan's time for a credential.
 */
export function findDuplicateKey(text: string, parsed?: unknown): string | undefined {
  if (parsed !== undefined && cannotRepeatNames(text, parsed)) return undefined;
  // One frame per open object or array: the names seen (objects), the index (arrays), the current member's name.
  const names: (Set<string> | null)[] = [];
  const indexes: number[] = [];
  const current: (string | undefined)[] = [];
  let expectKey = false;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const depth = names.length - 1;
      if (expectKey && depth >= 0) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const seen = names[depth]!;
        if (seen.has(name)) return pathOf(names, indexes, current, name);
        seen.add(name);
        current[depth] = name;
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      names.push(new Set());
      indexes.push(0);
      current.push(undefined);
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      names.push(null);
      indexes.push(0);
      current.push(undefined);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      names.pop();
      indexes.pop();
      current.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const depth = names.length - 1;
      if (names[depth] === null) indexes[depth]!++;
      else expectKey = true;
    }
    i++;
  }
  return undefined;
}

/**
 * True when `text` certainly names no member twice in one object. Every member name in JSON text is a string followed
 * by optional whitespace and a colon, so the colons whose previous non-blank character is a quote are at least as
 * many as the members written (a colon inside a string only adds to them); the parsed value holds one key per
 * distinct name in each object. If the two counts are equal, no name was written twice; otherwise the scan decides.
 */
function cannotRepeatNames(text: string, parsed: unknown): boolean {
  const keys = countKeys(parsed, 0);
  if (keys < 0) return false;
  let colons = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    let before = at - 1;
    let c = text.charCodeAt(before);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--before);
    if (c === 0x22 && ++colons > keys) return false;
  }
  return colons === keys;
}

/** Own keys of every object in a parsed JSON value; -1 when nested too deep to count here (the scan is iterative). */
function countKeys(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > 256) return -1;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const n = countKeys(item, depth + 1);
      if (n < 0) return -1;
      total += n;
    }
    return total;
  }
  const keys = Object.keys(value);
  total = keys.length;
  for (const key of keys) {
    const n = countKeys((value as Record<string, unknown>)[key], depth + 1);
    if (n < 0) return -1;
    total += n;
  }
  return total;
}

/** The index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length; // unreachable for text JSON.parse accepted
}

function pathOf(
  names: (Set<string> | null)[],
  indexes: number[],
  current: (string | undefined)[],
  duplicate: string,
): string {
  let path = '$';
  for (let d = 0; d < names.length - 1; d++) {
    path = names[d] === null ? childPath(path, indexes[d]!) : childPath(path, current[d] ?? '');
  }
  return childPath(path, duplicate);
}
