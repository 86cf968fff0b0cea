import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * node:crypto where the platform has it, reached through `process.getBuiltinModule` (Node ≥ 20.16) so that the
 * isomorphic core imports nothing Node-only and bundles for browsers unchanged. Its hashes and Ed25519 are native
 * and synchronous: several times faster than pure JS, and without WebCrypto's promise round trip.
 */

/** The subset of node:crypto the library uses, typed here so that the core needs no Node types. */
export interface NodeCryptoSubset {
  createHash(algorithm: 'sha256'): {
    update(data: Uint8Array | string, encoding?: 'utf8'): { digest(): Uint8Array; digest(encoding: 'hex'): string };
  };
  /** One-shot hash (Node ≥ 20.12): no Hash object per call, which is most of the cost of hashing a short text. */
  hash?(algorithm: 'sha256', data: string, outputEncoding: 'hex'): string;
  hash?(algorithm: 'sha256', data: string | Uint8Array, outputEncoding: 'buffer'): Uint8Array;
  createPrivateKey(input: { key: object; format: 'jwk' } | { key: Uint8Array; format: 'der'; type: 'pkcs8' }): unknown;
  createPublicKey(input: { key: object; format: 'jwk' } | object): {
    export(options: { format: 'jwk' }): { x?: unknown };
  };
  sign(algorithm: null, data: Uint8Array, key: unknown): Uint8Array;
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
}

let cached: NodeCryptoSubset | null | undefined;

export function nodeCrypto(): NodeCryptoSubset | undefined {
  if (cached === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    try {
      cached = (proc?.getBuiltinModule?.('node:crypto') as NodeCryptoSubset | undefined) ?? null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/** SHA-256, native where possible (same bytes either way: tested). */
export function sha256(data: Uint8Array): Uint8Array {
  const crypto = nodeCrypto();
  if (crypto) return new Uint8Array(crypto.createHash('sha256').update(data).digest());
  return nobleSha256(data);
}

/**
 * SHA-256 of a string's UTF-8 bytes, or of bytes. With node:crypto a string goes in as it is and is encoded natively,
 * which spares a TextEncoder copy of every canonical document (~0.01 ms for a seed credential). Lone surrogates
 * become U+FFFD either way, as TextEncoder does (tested).
 */
export function sha256OfText(text: string | Uint8Array): Uint8Array {
  const crypto = nodeCrypto();
  if (crypto) {
    // A view of the digest node:crypto made, as a plain Uint8Array (a Buffer is a subclass): no Hash object, no copy.
    const digest =
      crypto.hash !== undefined
        ? crypto.hash('sha256', text, 'buffer')
        : crypto.createHash('sha256').update(text, 'utf8').digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  }
  return nobleSha256(typeof text === 'string' ? utf8Bytes(text) : text);
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes (what RDFC-1.0 hashes), native where possible. */
export function sha256Hex(text: string): string {
  const crypto = nodeCrypto();
  if (crypto) {
    if (crypto.hash !== undefined) return crypto.hash('sha256', text, 'hex');
    return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  }
  return bytesToHex(nobleSha256(utf8Bytes(text)));
}

let utf8: TextEncoder | undefined;

/**
 * A text's UTF-8 bytes (lone surrogates become U+FFFD), from one encoder kept for the process: in a browser a
 * TextEncoder made per call, and noble's copy of what it encodes, cost about as much as encoding a short text.
 */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return (utf8 ??= new TextEncoder()).encode(text);
}
