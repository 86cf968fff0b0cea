import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { MicrocredError } from '../errors';
import type { Ed25519Key } from './multikey';

export type JwtAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/** A key for VC-JWT (compact JWS): RS256 is what OB 3.0 requires at minimum; ES256 and EdDSA are allowed. */
export interface JwtKey {
  readonly alg: JwtAlgorithm;
  readonly kid?: string;
  readonly publicJwk: JWK;
  /** Present when the key can sign. */
  readonly privateKey?: CryptoKey | Uint8Array;
  readonly publicKey: CryptoKey | Uint8Array;
}

export async function generateJwtKey(alg: JwtAlgorithm, options: { kid?: string } = {}): Promise<JwtKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const publicJwk = { ...(await exportJWK(publicKey)), alg, use: 'sig', ...(options.kid ? { kid: options.kid } : {}) };
  return { alg, ...(options.kid ? { kid: options.kid } : {}), publicJwk, privateKey, publicKey };
}

/** Imports a public or private JWK. The algorithm comes from `alg`, the JWK's `alg`, or its key type. */
export async function importJwk(jwk: JWK, alg?: JwtAlgorithm): Promise<JwtKey> {
  const algorithm = alg ?? (jwk.alg as JwtAlgorithm | undefined) ?? inferAlg(jwk);
  if (!algorithm || !['RS256', 'ES256', 'EdDSA'].includes(algorithm)) throw new MicrocredError('INVALID_KEY', `Unsupported JWT key algorithm ${String(algorithm)}`);
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  const isPrivate = d !== undefined;
  try {
    const publicKey = await importJWK({ ...pub, alg: algorithm }, algorithm, { extractable: true });
    const privateKey = isPrivate ? await importJWK({ ...jwk, alg: algorithm }, algorithm) : undefined;
    void p; void q; void dp; void dq; void qi;
    return { alg: algorithm, ...(jwk.kid ? { kid: jwk.kid } : {}), publicJwk: { ...pub, alg: algorithm }, publicKey, ...(privateKey ? { privateKey } : {}) };
  } catch (e) {
    throw new MicrocredError('INVALID_KEY', `Cannot import JWK: ${(e as Error).message}`, { cause: e });
  }
}

/** The issuer's Ed25519 Multikey as an EdDSA JWT key (same key, `kid` = its verification method id). */
export async function jwtKeyFromEd25519(key: Ed25519Key): Promise<JwtKey> {
  const jwk = key.hasSecret ? key.toSecretJwk() : key.toPublicJwk();
  return importJwk({ ...jwk, kid: key.id }, 'EdDSA');
}

/** A JWKS document (`/.well-known/jwks.json`) with the public keys only. */
export function exportJwks(keys: readonly JwtKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => ({ ...k.publicJwk, ...(k.kid ? { kid: k.kid } : {}) })) };
}

function inferAlg(jwk: JWK): JwtAlgorithm | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}
