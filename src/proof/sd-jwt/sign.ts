import { sha256 } from '@noble/hashes/sha2.js';
import { MicrocredError } from '../../errors';
import { ed25519SourceOf, type JwtKey } from '../../keys/jwt-keys';
import { toBase64url } from '../../shared/base64url';

/**
 * The hash function of SD-JWT disclosures. Only `sha-256` is produced and accepted (RFC 9901 §4.1.1 makes it the
 * default every implementation supports; accepting others would let a holder pick the weakest one a verifier knows).
 */
export const SD_ALG = 'sha-256';

/** SHA-256 over the ASCII of a disclosure (or of the SD-JWT for `sd_hash`), as @sd-jwt's Hasher. */
export function sdHasher(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg.toLowerCase() !== SD_ALG)
    throw new MicrocredError('SD_ALG_UNSUPPORTED', `Hash algorithm ${alg} is not supported for SD-JWT (sha-256 only)`);
  return sha256(typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));
}

/** 128-bit salts from the platform's cryptographic random source (RFC 9901 §9.3), base64url. */
export function sdSaltGenerator(length: number): string {
  const bytes = new Uint8Array(Math.max(16, length));
  globalThis.crypto.getRandomValues(bytes);
  return toBase64url(bytes);
}

/** The WebCrypto parameters of a JWS algorithm (JWS signatures are the raw forms WebCrypto produces). */
function webCryptoAlgorithm(alg: JwtKey['alg']): AlgorithmIdentifier | EcdsaParams {
  if (alg === 'ES256') return { name: 'ECDSA', hash: 'SHA-256' };
  if (alg === 'EdDSA') return { name: 'Ed25519' };
  return { name: 'RSASSA-PKCS1-v1_5' };
}

/**
 * A signer in @sd-jwt's shape (signing input in, base64url signature out) for a library JWT key: an issuer's
 * Ed25519 Multikey signs natively, other keys (ES256, EdDSA, RS256 CryptoKeys from generateJwtKey/importJwk) through
 * WebCrypto, whose ECDSA output is the r‖s form JWS uses.
 */
export function jwsSigner(key: JwtKey): (data: string) => Promise<string> {
  if (!key?.privateKey) throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing an SD-JWT needs a private key');
  const source = key.alg === 'EdDSA' ? ed25519SourceOf(key) : undefined;
  return async (data) => {
    const bytes = new TextEncoder().encode(data);
    if (source) return toBase64url(await source.sign(bytes));
    if (key.privateKey instanceof Uint8Array)
      throw new MicrocredError('INVALID_KEY', 'An SD-JWT is signed with an asymmetric key (ES256, EdDSA)');
    const signature = await globalThis.crypto.subtle.sign(
      webCryptoAlgorithm(key.alg),
      key.privateKey as CryptoKey,
      bytes,
    );
    return toBase64url(new Uint8Array(signature));
  };
}
