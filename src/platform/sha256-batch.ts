import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256Hex, utf8Bytes } from './node-crypto';
import { webCryptoSha256Works } from './webcrypto';

/**
 * Lowercase hex SHA-256 of each text's UTF-8 bytes, all at once: through WebCrypto's digest where it works (detected
 * once), its promises in flight together, so a batch costs one round trip to the browser's crypto thread; otherwise
 * one by one with sha256Hex (node:crypto or noble). Same hex either way (tested in Chromium against Node).
 */
export async function sha256HexAll(texts: readonly string[]): Promise<string[]> {
  if (!(await webCryptoSha256Works())) return texts.map(sha256Hex);
  const subtle = globalThis.crypto.subtle;
  const digests = await Promise.all(texts.map((text) => subtle.digest('SHA-256', utf8Bytes(text))));
  return digests.map((digest) => bytesToHex(new Uint8Array(digest)));
}
