import { toBase64url } from '../shared/base64url';

/**
 * The two multibase encodings a `digestMultibase` is written in, `u` (base64url, no padding) and `z` (base58btc),
 * decoded exactly as multiformats' `base64url` and `base58btc` codecs decode them: every text they accept gives the
 * same bytes here, and every text they refuse is refused (undefined). Written out so that loading the package does
 * not resolve and compile five multiformats modules for two small loops; test/multibase.test.ts holds both to
 * multiformats on generated and hostile texts.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE58BTC = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const BASE64URL_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  [...BASE64URL].map((c, i) => [c, i] as const),
);
const BASE58_MAP = (() => {
  const map = new Uint8Array(256).fill(255);
  for (let i = 0; i < BASE58BTC.length; i++) map[BASE58BTC.charCodeAt(i)] = i;
  return map;
})();
/** log(58) / log(256), rounded up: the bytes one base58 digit can need. */
const BASE58_FACTOR = Math.log(58) / Math.log(256);

/** `u` + base64url without padding: multiformats' `base64url.encode`. */
export function encodeBase64urlMultibase(bytes: Uint8Array): string {
  return `u${toBase64url(bytes)}`;
}

/**
 * The bytes of base64url text (the part after `u`), as multiformats' RFC 4648 decoder reads it: trailing `=` are
 * dropped, any other character outside the alphabet is refused, and so is a text whose last character leaves a whole
 * character's bits over or non-zero spare bits.
 */
export function decodeBase64urlBody(text: string): Uint8Array | undefined {
  let end = text.length;
  while (text[end - 1] === '=') --end;
  const out = new Uint8Array(((end * 6) / 8) | 0);
  let bits = 0;
  let buffer = 0;
  let written = 0;
  for (let i = 0; i < end; ++i) {
    const value = Object.hasOwn(BASE64URL_INDEX, text[i]!) ? BASE64URL_INDEX[text[i]!]! : undefined;
    if (value === undefined) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = 0xff & (buffer >> bits);
    }
  }
  if (bits >= 6 || (0xff & (buffer << (8 - bits))) !== 0) return undefined;
  return out;
}

/**
 * The bytes of base58btc text (the part after `z`), as multiformats' base-x decoder reads it, step for step: a
 * leading or trailing space, or a character of the Latin-1 range outside the alphabet, is refused. A UTF-16 code unit
 * above 0xFF is not in base-x's table (undefined, not its "invalid" 255): base-x then computes with NaN, which its
 * byte array stores as 0; this does the same rather than refuse what multiformats accepts.
 */
export function decodeBase58btcBody(source: string): Uint8Array | undefined {
  if (source.length === 0) return new Uint8Array();
  let psz = 0;
  if (source[psz] === ' ') return undefined;
  let zeroes = 0;
  let length = 0;
  while (source[psz] === '1') {
    zeroes++;
    psz++;
  }
  const size = ((source.length - psz) * BASE58_FACTOR + 1) >>> 0;
  const b256 = new Uint8Array(size);
  while (source[psz]) {
    let carry: number = BASE58_MAP[source.charCodeAt(psz)]!;
    if (carry === 255) return undefined;
    let i = 0;
    for (let it3 = size - 1; (carry !== 0 || i < length) && it3 !== -1; it3--, i++) {
      carry += (58 * b256[it3]!) >>> 0;
      b256[it3] = (carry % 256) >>> 0;
      carry = (carry / 256) >>> 0;
    }
    if (carry !== 0) return undefined;
    length = i;
    psz++;
  }
  if (source[psz] === ' ') return undefined;
  let it4 = size - length;
  while (it4 !== size && b256[it4] === 0) it4++;
  const out = new Uint8Array(zeroes + (size - it4));
  let j = zeroes;
  while (it4 !== size) out[j++] = b256[it4++]!;
  return out;
}
