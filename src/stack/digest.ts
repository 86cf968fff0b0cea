import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalizeJcs } from '../proof/jcs';
import { decodeBase58btcBody, decodeBase64urlBody, encodeBase64urlMultibase } from './multibase';
import type { ParsedInput } from '../verify/parse';

/** Multihash header of a SHA-256 digest: code 0x12, length 32. */
const SHA2_256 = [0x12, 0x20] as const;

/**
 * The bytes a part credential's `digestMultibase` covers (VC Data Model 2.0 §5.3, `relatedResource`):
 * - a VC-JWT (alone or baked in an image): the UTF-8 bytes of the compact JWS, exactly as issued;
 * - a credential with an embedded proof (alone, as JSON text or baked): the UTF-8 bytes of its JCS (RFC 8785)
 *   serialization, `proof` included, so re-formatting the JSON does not change the digest and any change to the
 *   signed credential or its proof does.
 */
export function digestedBytes(parsed: Pick<ParsedInput, 'format' | 'credential' | 'jwt'>): Uint8Array {
  const text = parsed.format === 'vc-jwt' && parsed.jwt !== undefined ? parsed.jwt : canonicalizeJcs(parsed.credential);
  return new TextEncoder().encode(text);
}

/**
 * `digestMultibase` of a credential: a multibase (base64url, no padding: prefix `u`, as the VC 2.0 examples)
 * encoded multihash (sha2-256) of {@link digestedBytes}.
 */
export function credentialDigest(parsed: Pick<ParsedInput, 'format' | 'credential' | 'jwt'>): string {
  return digestMultibaseOf(digestedBytes(parsed));
}

/** `digestMultibase` (sha2-256 multihash, base64url multibase) of some bytes. */
export function digestMultibaseOf(bytes: Uint8Array): string {
  return encodeSha256Multihash(sha256(bytes));
}

function encodeSha256Multihash(digest: Uint8Array): string {
  const multihash = new Uint8Array(2 + digest.length);
  multihash.set(SHA2_256, 0);
  multihash.set(digest, 2);
  return encodeBase64urlMultibase(multihash);
}

/**
 * Whether `digestMultibase` is the sha2-256 multihash of `bytes`, in any of the two multibase encodings a
 * `digestMultibase` is written in (`u` base64url, `z` base58btc). Anything else (another hash, a malformed value) is
 * not a match: a digest the verifier cannot check does not count as checked.
 */
export function digestMatches(digestMultibase: unknown, bytes: Uint8Array): boolean {
  if (typeof digestMultibase !== 'string' || digestMultibase.length < 2) return false;
  const decoded =
    digestMultibase[0] === 'u'
      ? decodeBase64urlBody(digestMultibase.slice(1))
      : digestMultibase[0] === 'z'
        ? decodeBase58btcBody(digestMultibase.slice(1))
        : undefined;
  if (decoded === undefined || decoded.length !== 34 || decoded[0] !== SHA2_256[0] || decoded[1] !== SHA2_256[1])
    return false;
  const expected = sha256(bytes);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= decoded[i + 2]! ^ expected[i]!;
  return diff === 0;
}
