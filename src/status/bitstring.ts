import { MicrocredError } from '../errors';
import { base64urlDecode, base64urlEncode } from './base64url';

/**
 * A W3C Bitstring Status List (v1.0 Recommendation, 2025-05-15) held in memory.
 *
 * Layout rules from the spec (§2.2 `encodedList`, §7.1): entry 0 is the left-most bit, i.e. the most
 * significant bit of the first byte; an entry of `statusSize` bits starts at bit `index * statusSize`.
 * Multi-bit values are read left to right, most significant bit first (so `0x2` with statusSize 2 is `10`).
 */

/** Spec minimum: 131,072 entries (16 KB of 1-bit entries) — the herd-privacy floor (§3.2 step 2, §6.1). */
export const MIN_STATUS_LIST_ENTRIES = 131_072;

/**
 * Largest list we will inflate. A 16 MiB bitstring is 134 million 1-bit entries, far above any real list,
 * and the cap is what stops a few hundred bytes of gzip from expanding into gigabytes (a "zip bomb").
 */
export const MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

/** Encoded lists longer than this cannot be legitimate: even random data does not exceed the cap by much. */
const MAX_ENCODED_CHARS = Math.ceil((MAX_DECOMPRESSED_BYTES * 4) / 3) + 1024;

/** Options of a new `Bitstring`: its number of entries and the bits per entry. */
export interface BitstringOptions {
  /** Number of entries; at least {@link MIN_STATUS_LIST_ENTRIES} (the default). */
  entries?: number;
  /** Bits per entry, 1 (default) to 8 (spec allows more; we cap at 8 so values fit comfortably in a number). */
  statusSize?: number;
}

/** The bits of a Bitstring Status List: set and read a credential's bit, encode as the list's `encodedList`. */
export class Bitstring {
  /** Raw bytes, entry 0 in the high bit of byte 0. Exposed for encoding; mutate through set/setValue. */
  readonly bytes: Uint8Array;
  /** Bits per entry. */
  readonly statusSize: number;
  /** Number of whole entries the bytes hold. */
  readonly entries: number;

  constructor(options: BitstringOptions = {}) {
    const statusSize = checkStatusSize(options.statusSize ?? 1);
    const entries = options.entries ?? MIN_STATUS_LIST_ENTRIES;
    if (!Number.isSafeInteger(entries) || entries < MIN_STATUS_LIST_ENTRIES) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `A status list needs at least ${MIN_STATUS_LIST_ENTRIES} entries for group privacy; got ${String(entries)}`,
      );
    }
    const bytes = Math.ceil((entries * statusSize) / 8);
    if (bytes > MAX_DECOMPRESSED_BYTES) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `A status list of ${entries} entries exceeds the ${MAX_DECOMPRESSED_BYTES}-byte limit`,
      );
    }
    this.statusSize = statusSize;
    this.entries = entries;
    this.bytes = new Uint8Array(bytes);
  }

  /**
   * Wraps existing bytes (e.g. a decoded list) without the minimum-size check: verifiers must be able to
   * read short lists and decide for themselves (see `checkStatus`'s `minimumEntries`).
   */
  static fromBytes(bytes: Uint8Array, statusSize = 1): Bitstring {
    const size = checkStatusSize(statusSize);
    const bs: Bitstring = Object.create(Bitstring.prototype) as Bitstring;
    // Object.create skips the constructor, so assign the readonly fields directly (the only place that does).
    Object.assign(bs, { bytes, statusSize: size, entries: Math.floor((bytes.length * 8) / size) });
    return bs;
  }

  /** Total number of bits. */
  get bitLength(): number {
    return this.bytes.length * 8;
  }

  /** True when the entry's value is non-zero ("set"). */
  get(index: number): boolean {
    return this.getValue(index) !== 0;
  }

  /** Sets the entry to 1 (true) or 0 (false). */
  set(index: number, value: boolean): void {
    this.setValue(index, value ? 1 : 0);
  }

  /** Reads an entry as an unsigned integer of `statusSize` bits. */
  getValue(index: number): number {
    const start = this.bitOffset(index);
    let value = 0;
    for (let b = 0; b < this.statusSize; b++) {
      const bit = start + b;
      value = (value << 1) | ((this.bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
    }
    return value;
  }

  /** Writes an entry as an unsigned integer of `statusSize` bits. */
  setValue(index: number, value: number): void {
    const start = this.bitOffset(index);
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** this.statusSize) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `Status value ${String(value)} does not fit in ${this.statusSize} bit(s)`,
      );
    }
    for (let b = 0; b < this.statusSize; b++) {
      const bit = start + b;
      const mask = 1 << (7 - (bit & 7));
      const on = (value >> (this.statusSize - 1 - b)) & 1;
      const byte = bit >> 3;
      this.bytes[byte] = on ? this.bytes[byte]! | mask : this.bytes[byte]! & ~mask;
    }
  }

  private bitOffset(index: number): number {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.entries) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `Status list index ${String(index)} is outside 0..${this.entries - 1} (RANGE_ERROR)`,
      );
    }
    return index * this.statusSize;
  }
}

function checkStatusSize(statusSize: number): number {
  if (!Number.isInteger(statusSize) || statusSize < 1 || statusSize > 8) {
    throw new MicrocredError('STATUS_ERROR', `statusSize must be an integer from 1 to 8; got ${String(statusSize)}`);
  }
  return statusSize;
}

/** GZIP-compresses the bitstring and multibase-encodes it as base64url without padding (prefix `u`). */
export async function encodeBitstring(bs: Bitstring): Promise<string> {
  const compressed = await pipeThrough(bs.bytes, new CompressionStream('gzip'), Number.POSITIVE_INFINITY);
  return 'u' + base64urlEncode(compressed);
}

/** Options of `decodeBitstring`: the bits per entry and the most bytes it may inflate to. */
export interface DecodeOptions {
  /** Bits per entry of the list being read (from the entry's `statusSize`). */
  statusSize?: number;
  /** Decompressed-size cap in bytes; defaults to {@link MAX_DECOMPRESSED_BYTES}. */
  maxBytes?: number;
}

/**
 * Expands an `encodedList` (spec §3.4). Accepts the multibase `u` prefix (Bitstring Status List) or no
 * prefix (StatusList2021, whose lists are bare base64url). Every failure is a STATUS_ERROR, including
 * output beyond `maxBytes`, which is detected while streaming so a bomb never fully inflates.
 */
export async function decodeBitstring(encoded: string, options: DecodeOptions = {}): Promise<Bitstring> {
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw new MicrocredError('STATUS_ERROR', 'encodedList must be a non-empty string');
  }
  if (encoded.length > MAX_ENCODED_CHARS) {
    throw new MicrocredError('STATUS_ERROR', `encodedList is longer than ${MAX_ENCODED_CHARS} characters`);
  }
  // A gzip stream always starts 1f 8b, which base64url-encodes as "H4" — so a leading 'u' is never data.
  const body = encoded.startsWith('u') ? encoded.slice(1) : encoded;
  const compressed = base64urlDecode(body);
  const maxBytes = options.maxBytes ?? MAX_DECOMPRESSED_BYTES;
  let bytes: Uint8Array;
  try {
    bytes = await pipeThrough(compressed, new DecompressionStream('gzip'), maxBytes);
  } catch (e) {
    if (e instanceof MicrocredError) throw e;
    throw new MicrocredError(
      'STATUS_ERROR',
      `encodedList is not valid GZIP data: ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }
  if (bytes.length === 0) throw new MicrocredError('STATUS_ERROR', 'encodedList expands to an empty bitstring');
  return Bitstring.fromBytes(bytes, options.statusSize ?? 1);
}

/**
 * Runs bytes through a (de)compression stream, stopping as soon as the output exceeds `maxBytes`.
 * Write/close rejections are swallowed here because the same error surfaces on the reader, and an
 * unobserved rejection would otherwise crash Node with "unhandled rejection".
 */
export async function pipeThrough(
  input: Uint8Array,
  stream: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
  maxBytes: number,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new MicrocredError(
        'STATUS_ERROR',
        `Status list expands beyond ${maxBytes} bytes; refusing to decompress it`,
      );
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
