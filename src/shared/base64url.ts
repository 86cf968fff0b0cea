/**
 * base64url (RFC 4648 §5, no padding), the one codec for JWTs, JWKs and status lists (it was written out four times).
 * Node's Buffer where there is one: its codec is native, while the portable loops cost a character-by-character
 * string build (a 30 KB VC-JWT payload took ~0.2 ms each way). Same output either way.
 */

type BufferLike = {
  from(data: Uint8Array | string, encoding?: 'base64url'): Uint8Array & { toString(encoding: 'base64url'): string };
};
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** Bytes as base64url without padding. */
export function toBase64url(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64url');
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Text (UTF-8) as base64url without padding. */
export function textToBase64url(text: string): string {
  return toBase64url(new TextEncoder().encode(text));
}

/**
 * The bytes of unpadded base64url text, or undefined when it is not that (another alphabet, padding, or a length no
 * encoding has). Callers throw with their own code: a bad key is INVALID_KEY, a bad JWT INVALID_INPUT.
 */
export function decodeBase64url(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64url'));
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether base64url text is written the one canonical way: the alphabet, no padding, a length some encoding has, and
 * no stray bits in the last character (2 or 4 of its bits are unused when the length is not a multiple of 4 and must
 * be zero). Otherwise two texts decode to the same bytes: one token, two encodings.
 */
export function isCanonicalBase64url(text: unknown): text is string {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return false;
  const unusedBits = text.length % 4 === 2 ? 0b1111 : text.length % 4 === 3 ? 0b11 : 0;
  return (DIGITS.indexOf(text.charAt(text.length - 1)) & unusedBits) === 0;
}
