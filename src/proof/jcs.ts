import { MicrocredError, childPath } from '../errors';

/** Deeper than any credential; shallow enough that a hostile document cannot exhaust the stack. */
const MAX_DEPTH = 200;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * JSON Canonicalization Scheme (RFC 8785). ECMAScript's own number and string serialization is what the RFC
 * specifies (§3.2.2.3 cites Number.prototype.toString, §3.2.2.2 the JSON.stringify escapes), and object keys are
 * sorted by UTF-16 code units, as Array#sort's default comparison does (§3.2.3).
 * Input must be JSON data (I-JSON): lone surrogates, non-finite numbers, cycles, class instances, functions and
 * other non-JSON values are INVALID_INPUT errors, never silently changed or dropped.
 */
export function canonicalizeJcs(value: unknown): string {
  return withJcsBytes(value, (bytes) => (utf8Decoder ??= new TextDecoder()).decode(bytes));
}

/**
 * The UTF-8 bytes of {@link canonicalizeJcs}, which a proof hashes, written straight from the value: a JCS text is
 * thousands of pieces, which hashing it would first join and then encode, and that took longer than writing the
 * bytes does (seed credential, JCS and its SHA-256: 86 → 57 µs, measured in one process). Same errors.
 */
export function canonicalizeJcsBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return withJcsBytes(value, (bytes) => bytes.slice());
}

/**
 * Hands `use` the value's JCS bytes where the writer wrote them, valid only until `use` returns (the next call writes
 * over them): a synchronous hash reads them there, without the copy that canonicalizeJcsBytes makes and the garbage
 * collector then frees. Same bytes and errors.
 */
export function withJcsBytes<T>(value: unknown, use: (bytes: Uint8Array<ArrayBuffer>) => T): T {
  // A caller's getter may itself ask for JCS in the middle of a walk: that call writes into a buffer of its own.
  const outer = writing ? { out, at } : undefined;
  if (outer) out = new Uint8Array(1024);
  writing = true;
  try {
    // The first walk keeps no paths and no ancestor set; anything it cannot encode is walked again with them, and
    // that walk names the problem and its JSON path. Both write valid input identically (they are the same code).
    at = 0;
    if (!write(value, 0)) {
      at = 0;
      write(value, 0, '$', new Set());
    }
    return use(out.subarray(0, at));
  } finally {
    if (outer) ({ out, at } = outer);
    else {
      writing = false;
      if (out.length > KEPT_BYTES) out = new Uint8Array(KEPT_BYTES);
    }
  }
}

let utf8Decoder: TextDecoder | undefined;
let utf8Encoder: TextEncoder | undefined;

/** The writer's buffer, kept between calls (a credential's JCS fits); a bigger one is dropped after its call. */
const KEPT_BYTES = 1 << 16;
let out = new Uint8Array(KEPT_BYTES);
let at = 0;
let writing = false;

/** Stops the walk: false for the fast walk (path undefined), a MicrocredError at `path` for the careful one. */
function refuse(path: string | undefined, message: string): false {
  if (path === undefined) return false;
  throw new MicrocredError('INVALID_INPUT', message, { path });
}

function write(value: unknown, depth: number, path?: string, ancestors?: Set<object>): boolean {
  if (value === null) return ascii('null');
  switch (typeof value) {
    case 'boolean':
      return ascii(value ? 'true' : 'false');
    case 'number':
      // -0 → "0", 1e21 → "1e+21", as RFC 8785 §3.2.2.3 requires.
      return Number.isFinite(value) ? ascii(JSON.stringify(value)) : refuse(path, `JCS cannot encode ${value}`);
    case 'string':
      return quoted(value) || refuse(path, 'JCS cannot encode a string with a lone surrogate');
    case 'object': {
      // A cycle always ends here in the fast walk; the careful one tells it apart.
      if (depth >= MAX_DEPTH) return refuse(path, `JCS input nests deeper than ${MAX_DEPTH} levels`);
      if (ancestors?.has(value)) return refuse(path, 'JCS input contains a cycle');
      ancestors?.add(value);
      if (Array.isArray(value)) {
        put(0x5b);
        for (let i = 0; i < value.length; i++) {
          // Read before writing: a caller's getter may run here. A hole or undefined is null, as in JSON.
          const item: unknown = value[i] ?? null;
          if (i > 0) put(0x2c);
          if (!write(item, depth + 1, path && childPath(path, i), ancestors)) return false;
        }
        put(0x5d);
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null)
          return refuse(
            path,
            `JCS encodes plain JSON objects only, not a ${value.constructor?.name ?? 'non-plain object'}`,
          );
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record);
        sortKeys(keys);
        put(0x7b);
        let first = true;
        for (const key of keys) {
          // Members whose value is undefined are absent, exactly as JSON.stringify treats them.
          const member = record[key];
          if (member === undefined) continue;
          if (!first) put(0x2c);
          first = false;
          const memberPath = path && childPath(path, key);
          if (!quoted(key)) return refuse(memberPath, 'JCS cannot encode a string with a lone surrogate');
          put(0x3a);
          if (!write(member, depth + 1, memberPath, ancestors)) return false;
        }
        put(0x7d);
      }
      ancestors?.delete(value);
      return true;
    }
    default:
      return refuse(path, `JCS cannot encode a ${typeof value}`);
  }
}

/** Makes room for `n` more bytes. */
function room(n: number): void {
  if (at + n <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, at + n));
  bigger.set(out.subarray(0, at));
  out = bigger;
}

function put(byte: number): void {
  room(1);
  out[at++] = byte;
}

function ascii(text: string): true {
  room(text.length);
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return true;
}

/**
 * A string as JSON.stringify quotes it, in UTF-8; false for a lone surrogate. Credentials' strings are mostly
 * printable ASCII, which is its own UTF-8 and needs no escape; any other string is quoted by JSON.stringify and
 * encoded by the platform.
 */
function quoted(given: string): boolean {
  // A process's strings come in many representations (flat, cons, sliced, thin, one- or two-byte), each with its own
  // map. `text.charCodeAt(i)` and `text.length` are property loads whose feedback records those maps: after five they
  // go megamorphic, and the loop runs ~3x slower for the rest of the process (as after jsonld.js's work in the same
  // process; bench/jcs-slow-state.ts). The template literal types `text` as a string for the optimising compiler,
  // which then reads its length directly, and `String.prototype.charCodeAt.call` names the builtin outright, so
  // neither depends on the strings the writer met before.
  const text = `${given}`;
  const length = text.length;
  room(length + 2);
  const bytes = out;
  let p = at;
  bytes[p++] = 0x22;
  for (let i = 0; i < length; i++) {
    const c = String.prototype.charCodeAt.call(text, i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      if (!wellFormed(text)) return false;
      const json = JSON.stringify(text);
      // At most 3 bytes of UTF-8 a UTF-16 code unit.
      room(json.length * 3);
      at += (utf8Encoder ??= new TextEncoder()).encodeInto(json, out.subarray(at)).written;
      return true;
    }
    bytes[p++] = c;
  }
  bytes[p++] = 0x22;
  at = p;
  return true;
}

/** A string without lone surrogates, which JCS can encode. */
export function wellFormed(text: string): boolean {
  // String#isWellFormed (ES2024) is native and much faster than the regex, which stays for older browsers.
  return (text as { isWellFormed?(): boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(text);
}

/**
 * Sorts member names in place by UTF-16 code units, as Array#sort's default comparison does (`<` on strings compares
 * code units too). A credential's objects have a handful of members, and for so few an insertion sort costs a
 * fraction of Array#sort's set-up per call.
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
