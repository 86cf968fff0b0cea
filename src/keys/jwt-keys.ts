import type { JWK } from 'jose';
import { loadJose } from '../platform/jose';
import { MicrocredError } from '../errors';
import type { Ed25519Key } from './multikey';
import { show } from './show';

/** The JWS algorithms the library signs and verifies VC-JWTs with. */
export type JwtAlgorithm = 'RS256' | 'ES256' | 'EdDSA';
const ALGORITHMS: readonly string[] = ['RS256', 'ES256', 'EdDSA'];

/** A key for VC-JWT (compact JWS): RS256 is what OB 3.0 requires at minimum; ES256 and EdDSA are allowed. */
export interface JwtKey {
  readonly alg: JwtAlgorithm;
  readonly kid?: string;
  readonly publicJwk: JWK;
  /** Present when the key can sign. */
  readonly privateKey?: CryptoKey | Uint8Array;
  readonly publicKey: CryptoKey | Uint8Array;
}

/** Generates a key pair for VC-JWT signing (RS256, ES256 or EdDSA), with a `kid` for the JWKS you publish. */
export async function generateJwtKey(alg: JwtAlgorithm, options: { kid?: string } = {}): Promise<JwtKey> {
  if (!ALGORITHMS.includes(alg))
    throw new MicrocredError('INVALID_KEY', `Unsupported JWT key algorithm ${show(alg)} (RS256, ES256, EdDSA)`);
  const { exportJWK, generateKeyPair } = await loadJose();
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
  });
  const publicJwk = { ...(await exportJWK(publicKey)), alg, use: 'sig', ...(options.kid ? { kid: options.kid } : {}) };
  return { alg, ...(options.kid ? { kid: options.kid } : {}), publicJwk, privateKey, publicKey };
}

/** Imports a public or private JWK. The algorithm comes from `alg`, the JWK's `alg`, or its key type. */
export async function importJwk(jwk: JWK, alg?: JwtAlgorithm): Promise<JwtKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw new MicrocredError('INVALID_KEY', 'A JWK is a JSON object');
  const algorithm = alg ?? (jwk.alg as JwtAlgorithm | undefined) ?? inferAlg(jwk);
  if (!algorithm || !ALGORITHMS.includes(algorithm))
    throw new MicrocredError('INVALID_KEY', `Unsupported JWT key algorithm ${show(algorithm)}`);
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  const isPrivate = d !== undefined;
  try {
    const { importJWK } = await loadJose();
    const publicKey = await importJWK({ ...pub, alg: algorithm }, algorithm, { extractable: true });
    const privateKey = isPrivate ? await importJWK({ ...jwk, alg: algorithm }, algorithm) : undefined;
    void p;
    void q;
    void dp;
    void dq;
    void qi;
    return {
      alg: algorithm,
      ...(jwk.kid ? { kid: jwk.kid } : {}),
      publicJwk: { ...pub, alg: algorithm },
      publicKey,
      ...(privateKey ? { privateKey } : {}),
    };
  } catch (e) {
    throw new MicrocredError('INVALID_KEY', `Cannot import JWK: ${(e as Error).message}`, { cause: e });
  }
}

/** The issuer's Ed25519 Multikey as an EdDSA JWT key (same key, `kid` = its verification method id). */
export async function jwtKeyFromEd25519(key: Ed25519Key): Promise<JwtKey> {
  // Keys are frozen, so the conversion (a JWK import in jose) is done once per key, not once per credential.
  let converted = jwtKeys.get(key);
  if (!converted) {
    const jwk = key.hasSecret ? key.toSecretJwk() : key.toPublicJwk();
    jwtKeys.set(
      key,
      (converted = importJwk({ ...jwk, kid: key.id }, 'EdDSA').then(
        (jwtKey) => (ed25519Sources.set(jwtKey, key), jwtKey),
      )),
    );
    converted.catch(() => jwtKeys.delete(key));
  }
  return converted;
}
const jwtKeys = new WeakMap<Ed25519Key, Promise<JwtKey>>();
/** JWT keys made from an Ed25519 Multikey, with that key: VC-JWT signing then uses its native Ed25519. */
const ed25519Sources = new WeakMap<JwtKey, Ed25519Key>();

/** The Ed25519 Multikey a JWT key was made from by jwtKeyFromEd25519, if any (and only if it can sign). */
export function ed25519SourceOf(key: JwtKey): Ed25519Key | undefined {
  const source = ed25519Sources.get(key);
  return source?.hasSecret ? source : undefined;
}

/** A JWKS document (`/.well-known/jwks.json`) with the public keys only. */
export function exportJwks(keys: readonly JwtKey[]): { keys: JWK[] } {
  if (!Array.isArray(keys)) throw new MicrocredError('INVALID_INPUT', 'exportJwks expects a list of keys');
  // Private members never leave, even from a hand-built JwtKey whose publicJwk carries them.
  const strip = ({
    d: _d,
    p: _p,
    q: _q,
    dp: _dp,
    dq: _dq,
    qi: _qi,
    k: _k,
    ...pub
  }: JWK & Record<string, unknown>): JWK => (void [_d, _p, _q, _dp, _dq, _qi, _k], pub);
  return { keys: keys.map((k) => ({ ...strip(k.publicJwk), ...(k.kid ? { kid: k.kid } : {}) })) };
}

function inferAlg(jwk: JWK): JwtAlgorithm | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}
