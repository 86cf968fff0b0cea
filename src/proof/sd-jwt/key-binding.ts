import type { ErrorCode } from '../../errors';
import { loadJose } from '../../platform/jose';
import { decodeBase64url } from '../../shared/base64url';
import { isRecord } from '../../shared/json';
import { findDuplicateKey } from '../../verify/duplicate-keys';
import { sdDigest } from './disclosures';

/** What a verifier expects of a Key Binding JWT: its nonce, its audience, and how old it may be. */
export interface KeyBindingExpectations {
  /** The nonce the verifier gave the wallet; the KB-JWT's `nonce` must equal it. */
  nonce?: string;
  /** The verifier's identifier; the KB-JWT's `aud` must equal it. */
  audience?: string;
  /** Oldest `iat` accepted, in seconds before `now` (default 300). */
  maxAgeSeconds?: number;
  now: Date;
  clockSkewSeconds: number;
}

/** The outcome of checking a KB-JWT: held (with its claims), or the first thing that failed, with its code. */
export type KeyBindingResult =
  | { verified: true; iat: number; nonce: string; aud: string; message: string }
  | {
      verified: false;
      code: Extract<
        ErrorCode,
        | 'HOLDER_BINDING_MISMATCH'
        | 'SD_HASH_MISMATCH'
        | 'CHALLENGE_MISMATCH'
        | 'DOMAIN_MISMATCH'
        | 'STALE_PRESENTATION'
        | 'INVALID_INPUT'
        | 'DUPLICATE_KEY'
      >;
      message: string;
    };

const KB_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'];

function readJson(part: string): { value?: Record<string, unknown>; duplicate?: string } {
  const bytes = decodeBase64url(part);
  if (!bytes) return {};
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const value = JSON.parse(text) as unknown;
    const duplicate = findDuplicateKey(text, value);
    return isRecord(value) ? { value, ...(duplicate !== undefined ? { duplicate } : {}) } : {};
  } catch {
    return {};
  }
}

/**
 * Checks an SD-JWT's Key Binding JWT (RFC 9901 §7.3): `typ: kb+jwt`, signed by the holder key the issuer put in
 * `cnf.jwk`, `sd_hash` over exactly the presented SD-JWT, and `nonce`, `aud` and `iat` as the verifier expects.
 * Never throws.
 */
export async function verifyKeyBindingJwt(
  kbJwt: string,
  cnf: unknown,
  withoutKb: string,
  expect: KeyBindingExpectations,
): Promise<KeyBindingResult> {
  const [h = '', p = ''] = kbJwt.split('.');
  const header = readJson(h);
  const payload = readJson(p);
  if (!header.value || !payload.value)
    return { verified: false, code: 'INVALID_INPUT', message: 'The Key Binding JWT is not a readable JWS' };
  if (header.duplicate ?? payload.duplicate)
    return {
      verified: false,
      code: 'DUPLICATE_KEY',
      message: `The Key Binding JWT names ${header.duplicate ?? payload.duplicate} twice`,
    };
  if (header.value.typ !== 'kb+jwt')
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `The Key Binding JWT's typ must be "kb+jwt", got ${JSON.stringify(header.value.typ)}`,
    };
  const alg = header.value.alg;
  if (typeof alg !== 'string' || !KB_ALGORITHMS.includes(alg))
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `The Key Binding JWT's algorithm ${JSON.stringify(alg)} is not accepted (ES256, EdDSA, RS256)`,
    };
  const jwk = isRecord(cnf) && isRecord(cnf.jwk) ? cnf.jwk : undefined;
  if (!jwk)
    return {
      verified: false,
      code: 'HOLDER_BINDING_MISMATCH',
      message: 'The credential names no holder key (cnf.jwk), so its Key Binding JWT cannot be checked',
    };
  if (jwk.d !== undefined)
    return {
      verified: false,
      code: 'HOLDER_BINDING_MISMATCH',
      message: "The credential's cnf.jwk contains a private key",
    };
  const { compactVerify, importJWK } = await loadJose();
  try {
    await compactVerify(kbJwt, await importJWK(jwk as never, alg), { algorithms: [alg] });
  } catch (e) {
    return {
      verified: false,
      code: 'HOLDER_BINDING_MISMATCH',
      message: `The Key Binding JWT is not signed by the holder key the issuer bound (cnf.jwk): ${(e as Error).message}`,
    };
  }
  const claims = payload.value;
  if (claims.sd_hash !== sdDigest(withoutKb))
    return {
      verified: false,
      code: 'SD_HASH_MISMATCH',
      message: 'The Key Binding JWT was made for another SD-JWT (its sd_hash does not match these disclosures)',
    };
  if (typeof claims.nonce !== 'string' || (expect.nonce !== undefined && claims.nonce !== expect.nonce))
    return {
      verified: false,
      code: 'CHALLENGE_MISMATCH',
      message: `The Key Binding JWT answers nonce ${JSON.stringify(claims.nonce)}, not the one asked for`,
    };
  if (typeof claims.aud !== 'string' || (expect.audience !== undefined && claims.aud !== expect.audience))
    return {
      verified: false,
      code: 'DOMAIN_MISMATCH',
      message: `The Key Binding JWT was made for ${JSON.stringify(claims.aud)}, not for this verifier`,
    };
  const iat = claims.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    return { verified: false, code: 'STALE_PRESENTATION', message: 'The Key Binding JWT has no readable iat' };
  const now = expect.now.getTime() / 1000;
  if (iat > now + expect.clockSkewSeconds)
    return {
      verified: false,
      code: 'STALE_PRESENTATION',
      message: `The Key Binding JWT was made in the future (iat ${iat})`,
    };
  const maxAge = expect.maxAgeSeconds ?? 300;
  // NaN compares false: an unusable bound would accept a key binding JWT of any age.
  if (typeof maxAge !== 'number' || Number.isNaN(maxAge) || maxAge < 0)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `keyBinding.maxAgeSeconds must be a number of seconds, 0 or more, got ${String(maxAge)}`,
    };
  if (iat < now - maxAge - expect.clockSkewSeconds)
    return {
      verified: false,
      code: 'STALE_PRESENTATION',
      message: `The Key Binding JWT is ${Math.round(now - iat)} s old; at most ${maxAge} s is accepted`,
    };
  return {
    verified: true,
    iat,
    nonce: claims.nonce,
    aud: claims.aud,
    message: `Presented by the holder (key binding JWT for ${claims.aud})`,
  };
}
