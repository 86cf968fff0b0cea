import { fromBase64url, importKey, toBase64url, type Ed25519Key } from '../keys/multikey';
import { textToBase64url } from '../shared/base64url';

/**
 * Compact JWS with EdDSA/Ed25519 through the library's own Ed25519 keys (node:crypto in Node), for the common VC-JWT
 * case. jose goes through WebCrypto, whose promise round trip through the thread pool and per-call key import cost
 * ~0.5 ms per verification where the signature itself takes ~0.1 ms. The bytes are jose's (Ed25519 is deterministic,
 * the encoding is RFC 7515's; tested against jose), and anything beyond the plain case — `crit`, `b64`, a
 * non-canonical segment, a JWK with other members — is left to jose so that its verdicts and messages stand.
 */

const encoder = new TextEncoder();
const base64urlOfText = textToBase64url;

/** RFC 7515 compact serialization signed with an Ed25519 key, as jose's CompactSign writes it. */
export async function signCompactEd25519(
  header: Record<string, unknown>,
  payload: string,
  key: Ed25519Key,
): Promise<string> {
  const signingInput = `${base64urlOfText(JSON.stringify(header))}.${base64urlOfText(payload)}`;
  return `${signingInput}.${toBase64url(await key.sign(encoder.encode(signingInput)))}`;
}

/** Members a public Ed25519 JWK may carry for the native path; jose judges anything else. */
const PLAIN_JWK_MEMBERS = new Set(['kty', 'crv', 'x', 'kid', 'alg', 'use', 'iss']);
/** Header members whose meaning jose enforces (critical extensions, unencoded payloads): jose's call. */
const JOSE_ONLY_HEADER_MEMBERS = ['crit', 'b64'];

export interface NativeJwsResult {
  valid: boolean;
  payload: Uint8Array;
}

/**
 * Verifies an EdDSA compact JWS against a public Ed25519 JWK, or returns undefined when the case is not the plain
 * one and jose must decide.
 */
export async function verifyCompactEd25519(
  compact: string,
  header: Record<string, unknown>,
  jwk: Record<string, unknown>,
): Promise<NativeJwsResult | undefined> {
  if (header.alg !== 'EdDSA' || JOSE_ONLY_HEADER_MEMBERS.some((m) => m in header)) return undefined;
  if (
    jwk.kty !== 'OKP' ||
    jwk.crv !== 'Ed25519' ||
    typeof jwk.x !== 'string' ||
    Object.keys(jwk).some((k) => !PLAIN_JWK_MEMBERS.has(k))
  )
    return undefined;
  if ((jwk.alg !== undefined && jwk.alg !== 'EdDSA') || (jwk.use !== undefined && jwk.use !== 'sig')) return undefined;
  const parts = compact.split('.');
  if (parts.length !== 3) return undefined;
  const [protectedHeader, payloadText, signatureText] = parts as [string, string, string];
  const payload = canonicalBase64url(payloadText);
  const signature = canonicalBase64url(signatureText);
  if (canonicalBase64url(protectedHeader) === undefined || payload === undefined || signature?.length !== 64)
    return undefined;
  let key: Ed25519Key;
  try {
    key = importKey({ jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } });
  } catch {
    return undefined;
  }
  return { valid: await key.verify(encoder.encode(`${protectedHeader}.${payloadText}`), signature), payload };
}

const BASE64URL_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The bytes of a base64url segment written the one canonical way, else undefined: no padding (the alphabet check
 * in fromBase64url), and no stray bits in the last character (2 or 4 of its bits are unused when the length is not
 * a multiple of 4 and must be zero), so that no two segments decode to the same bytes.
 */
function canonicalBase64url(text: string): Uint8Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(text);
  } catch {
    return undefined;
  }
  const unusedBits = text.length % 4 === 2 ? 0b1111 : text.length % 4 === 3 ? 0b11 : 0;
  return (BASE64URL_DIGITS.indexOf(text.charAt(text.length - 1)) & unusedBits) === 0 ? bytes : undefined;
}
