import { childPath, MicrocredError } from '../errors';
import { protoKeyPath, protoKeyRefusal } from '../shared/proto-key';

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
  if (parsed !== undefined && cannotRepeatNames(text, countKeys(parsed, 0, { proto: false }))) return undefined;
  return scanForDuplicate(text);
}

/** A reason to refuse a parsed JSON text for its member names, with the JSON path where it was found. */
export interface RefusedName {
  /** `duplicate`: a name written twice in one object (see findDuplicateKey); `proto`: a member named `__proto__`. */
  kind: 'duplicate' | 'proto';
  path: string;
}

/**
 * The first reason to refuse `parsed` (what JSON.parse made of `text`) for its member names: a name repeated in one
 * object, as {@link findDuplicateKey} finds it, else a member named `__proto__`, as `protoKeyPath` finds it
 * (../shared/proto-key.ts). The count of keys that usually settles the first also notes whether any object has the
 * second, so a text with neither is walked once; a path is spelled only when there is one.
 */
export function refusedName(text: string, parsed: unknown): RefusedName | undefined {
  const seen = { proto: false };
  const keys = countKeys(parsed, 0, seen);
  if (!cannotRepeatNames(text, keys)) {
    const duplicate = scanForDuplicate(text);
    if (duplicate !== undefined) return { kind: 'duplicate', path: duplicate };
  }
  // Nested too deep to count, the walk stopped before it saw everything: the iterative walk looks.
  if (!seen.proto && keys >= 0) return undefined;
  const path = protoKeyPath(parsed);
  return path === undefined ? undefined : { kind: 'proto', path };
}

/** The refusal of `what` (e.g. "The credential") for the reason {@link refusedName} found. */
export function nameRefusal(what: string, refused: RefusedName): MicrocredError {
  const { path } = refused;
  if (refused.kind === 'proto') return protoKeyRefusal(what, path);
  return new MicrocredError(
    'DUPLICATE_KEY',
    `${what} names ${path} twice; JSON with a repeated name can be read two ways, so it is not accepted`,
    { path },
  );
}

/** The scan behind {@link findDuplicateKey}, over the whole text. */
function scanForDuplicate(text: string): string | undefined {
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
 * `keys` is countKeys of the parsed value.
 */
function cannotRepeatNames(text: string, keys: number): boolean {
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

/**
 * Own keys of every object in a parsed JSON value; -1 when nested too deep to count here (the scan is iterative).
 * Sets `seen.proto` when it meets a key `__proto__` (an own member of parsed JSON; see ../shared/proto-key.ts).
 */
function countKeys(value: unknown, depth: number, seen: { proto: boolean }): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > 256) return -1;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const n = countKeys(item, depth + 1, seen);
      if (n < 0) return -1;
      total += n;
    }
    return total;
  }
  const keys = Object.keys(value);
  total = keys.length;
  for (const key of keys) {
    if (key === '__proto__') seen.proto = true;
    const n = countKeys((value as Record<string, unknown>)[key], depth + 1, seen);
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
