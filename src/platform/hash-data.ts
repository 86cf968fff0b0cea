import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { nodeCrypto, sha256OfText, utf8Bytes } from './node-crypto';
import { countSha256 } from './paths-taken';
import { webCryptoSha256Works } from './webcrypto';

/**
 * A Data Integrity proof's hashData, SHA-256(canonical proof configuration) ‖ SHA-256(canonical document), each a text
 * (hashed as UTF-8) or its bytes already. In Node,
 * node:crypto hashes synchronously (no promise round trip). Elsewhere WebCrypto's digest, which is native but
 * asynchronous: it fits here, where the proof step already awaits, while RDFC-1.0's many small inner hashes stay
 * synchronous. noble where WebCrypto's SHA-256 is missing or wrong (detected once). Same bytes on every path (tested
 * in Chromium against Node's on the W3C vectors).
 */
export function hashData(
  canonicalConfig: string | Uint8Array<ArrayBuffer>,
  canonicalDoc: string | Uint8Array<ArrayBuffer>,
): Uint8Array | Promise<Uint8Array> {
  if (nodeCrypto()) {
    countSha256('node');
    countSha256('node');
    return joined(sha256OfText(canonicalConfig), sha256OfText(canonicalDoc));
  }
  return webCryptoSha256Works().then(async (works) => {
    if (!works) {
      countSha256('noble');
      countSha256('noble');
      return joined(nobleSha256(bytesOf(canonicalConfig)), nobleSha256(bytesOf(canonicalDoc)));
    }
    const subtle = globalThis.crypto.subtle;
    const [config, doc] = await Promise.all([
      subtle.digest('SHA-256', bytesOf(canonicalConfig)),
      subtle.digest('SHA-256', bytesOf(canonicalDoc)),
    ]);
    countSha256('webcrypto');
    countSha256('webcrypto');
    return joined(new Uint8Array(config), new Uint8Array(doc));
  });
}

/**
 * hashData of two parts that `written` hands over one at a time, each valid only while the hash reads it (the JCS
 * writer's reused buffer): with node:crypto each is hashed at once, synchronously; undefined elsewhere, where the
 * caller gives hashData copies instead (WebCrypto reads its input later).
 */
export function hashDataOfWritten<T>(
  config: T,
  doc: T,
  written: (part: T, use: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array) => Uint8Array,
): Uint8Array | undefined {
  if (!nodeCrypto()) return undefined;
  const digest = joined(written(config, sha256OfText), written(doc, sha256OfText));
  countSha256('node');
  countSha256('node');
  return digest;
}

/** A text's UTF-8 bytes (lone surrogates become U+FFFD, as node:crypto encodes them); bytes as they are. */
function bytesOf(data: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? utf8Bytes(data) : data;
}

function joined(config: Uint8Array, doc: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(config, 0);
  out.set(doc, 32);
  return out;
}
