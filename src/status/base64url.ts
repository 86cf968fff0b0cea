import { MicrocredError } from '../errors';

/**
 * The status lists' base64url decoder (RFC 4648 §5); encoding is the shared one. Hand-written rather than pulled from a
 * library because decoding must be *lenient* in one specific way: StatusList2021 lists seen in the wild are
 * sometimes standard base64 (`+`, `/`, `=` padding), and we want those to decode instead of failing.
 * Anything outside both alphabets is a malformed list.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const DECODE_TABLE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table['+'.charCodeAt(0)] = 62;
  table['/'.charCodeAt(0)] = 63;
  return table;
})();

/** Encodes bytes as base64url without padding (the library's one encoder). */
export { toBase64url as base64urlEncode } from '../shared/base64url';

/** Decodes base64url (or standard base64), with or without padding. Throws STATUS_ERROR on bad input. */
export function base64urlDecode(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) {
    throw new MicrocredError('STATUS_ERROR', 'encodedList is not valid base64url (impossible length)');
  }
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : -1;
    if (value < 0) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `encodedList is not valid base64url (character ${JSON.stringify(body[i])} at ${i})`,
      );
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}
