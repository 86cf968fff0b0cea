import { CompactSign, EmbeddedJWK, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { MicrocredError } from '../errors';
import type { JwtKey } from '../keys/jwt-keys';

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

export interface SignJwtOptions {
  key: JwtKey;
  /** Identify the key by `kid` (resolved by the verifier through the issuer's JWKS) or embed the public `jwk`. Default 'kid' when the key has one. */
  header?: 'kid' | 'jwk';
}

/**
 * VC-JWT as Open Badges 3.0 specifies it (VC 2.0 form): a compact JWS with `typ: JWT` whose payload is the credential
 * itself plus `iss` (issuer id), `jti` (credential id), `sub` (subject id), `nbf` (validFrom) and `exp` (validUntil).
 */
export async function signJwt(credential: Record<string, unknown>, options: SignJwtOptions): Promise<string> {
  const { key } = options;
  if (!key?.privateKey) throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing a JWT needs a private key');
  if ('proof' in credential) {
    // OB 3.0: an embedded proof, if any, is created before the JWT; we keep it inside the payload untouched.
  }
  const issuer = credential.issuer;
  const iss = typeof issuer === 'string' ? issuer : (issuer as { id?: string } | undefined)?.id;
  const subject = Array.isArray(credential.credentialSubject) ? credential.credentialSubject[0] : credential.credentialSubject;
  const sub = (subject as { id?: unknown } | undefined)?.id;
  const seconds = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined);
  const payload: Record<string, unknown> = {
    ...credential,
    ...(iss ? { iss } : {}),
    ...(typeof credential.id === 'string' ? { jti: credential.id } : {}),
    ...(typeof sub === 'string' ? { sub } : {}),
    ...(seconds(credential.validFrom) !== undefined ? { nbf: seconds(credential.validFrom) } : {}),
    ...(seconds(credential.validUntil) !== undefined ? { exp: seconds(credential.validUntil) } : {}),
  };
  const mode = options.header ?? (key.kid ? 'kid' : 'jwk');
  if (mode === 'kid' && !key.kid) throw new MicrocredError('PROOF_GENERATION_ERROR', 'header "kid" needs a key with a kid');
  const { kid: _k, d: _d, ...publicJwk } = key.publicJwk as JWK & { d?: string };
  void _k; void _d;
  const header = { alg: key.alg, typ: 'JWT', ...(mode === 'kid' ? { kid: key.kid } : { jwk: publicJwk }) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key.privateKey);
}

export interface VerifyJwtOptions {
  /** The issuer's JWKS, for a `kid` header (and to bind an embedded `jwk` to the issuer). */
  jwks?: { keys: Record<string, unknown>[] };
  /** Resolves a `kid` to a public JWK when it is not in `jwks` (e.g. a DID URL). */
  resolveKey?: (kid: string) => Promise<Record<string, unknown>>;
}

export interface JwtVerification {
  verified: boolean;
  code?: 'INVALID_SIGNATURE' | 'UNSUPPORTED_PROOF' | 'INVALID_KEY' | 'RESOLVER_ERROR' | 'INVALID_INPUT' | 'KEY_BINDING_MISMATCH';
  message: string;
  algorithm?: string;
  claims?: Record<string, unknown>;
  /** Whether the key is shown to be the issuer's: true (JWKS or resolver), false (contradiction), undefined (a self-asserted header jwk). */
  keyBound?: boolean;
  keyBindingMessage?: string;
}

/**
 * Verifies a VC-JWT's signature (RS256, ES256 or EdDSA) and that its registered claims agree with the credential.
 * Time claims (nbf/exp) are left to the verifier's validity step, which has an injectable clock. Never throws.
 */
export async function verifyJwt(jwt: string, options: VerifyJwtOptions = {}): Promise<JwtVerification> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (e) {
    return { verified: false, code: 'INVALID_INPUT', message: `Not a JWS: ${(e as Error).message}` };
  }
  const alg = header.alg;
  if (!ALGORITHMS.includes(alg as (typeof ALGORITHMS)[number])) return { verified: false, code: 'UNSUPPORTED_PROOF', message: `Algorithm ${String(alg)} is not accepted (RS256, ES256, EdDSA)` };
  if (header.typ !== undefined && header.typ !== 'JWT') return { verified: false, code: 'INVALID_INPUT', message: `typ must be "JWT", got ${String(header.typ)}` };
  let keyBound: boolean | undefined;
  let keyBindingMessage: string | undefined;
  let payloadBytes: Uint8Array;
  try {
    if (header.jwk) {
      if ((header.jwk as { d?: unknown }).d !== undefined) return { verified: false, code: 'INVALID_KEY', message: 'The header jwk contains a private key' };
      ({ payload: payloadBytes } = await compactVerify(jwt, EmbeddedJWK, { algorithms: [alg!] }));
      const inJwks = options.jwks?.keys.some((k) => sameKey(k, header.jwk as Record<string, unknown>));
      keyBound = options.jwks ? Boolean(inJwks) : undefined;
      keyBindingMessage = options.jwks ? (inJwks ? 'The embedded key is in the issuer\'s JWKS' : 'The embedded key is not in the issuer\'s JWKS') : 'The key is embedded in the JWT header; no JWKS was given to bind it to the issuer';
    } else if (header.kid) {
      const jwk = options.jwks?.keys.find((k) => k.kid === header.kid) ?? (options.resolveKey ? await options.resolveKey(header.kid) : undefined);
      if (!jwk) return { verified: false, code: 'RESOLVER_ERROR', message: `No key for kid ${header.kid} (pass the issuer's JWKS)` };
      const key = await importJWK(jwk as JWK, alg);
      ({ payload: payloadBytes } = await compactVerify(jwt, key, { algorithms: [alg!] }));
      keyBound = true;
      keyBindingMessage = `Key ${header.kid} taken from the issuer's key set`;
    } else return { verified: false, code: 'INVALID_KEY', message: 'The JWT header has neither kid nor jwk' };
  } catch (e) {
    const code = (e as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'INVALID_SIGNATURE' : 'INVALID_SIGNATURE';
    return { verified: false, code, message: `Signature check failed: ${(e as Error).message}`, algorithm: alg! };
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes)) as Record<string, unknown>;
  } catch {
    return { verified: false, code: 'INVALID_INPUT', message: 'The JWT payload is not JSON', algorithm: alg! };
  }
  const credential = (typeof claims.vc === 'object' && claims.vc !== null ? claims.vc : claims) as Record<string, unknown>;
  const issuer = credential.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  const subject = Array.isArray(credential.credentialSubject) ? credential.credentialSubject[0] : credential.credentialSubject;
  const mismatches: string[] = [];
  if (claims.iss !== undefined && claims.iss !== issuerId) mismatches.push(`iss ${String(claims.iss)} ≠ issuer ${String(issuerId)}`);
  if (claims.jti !== undefined && credential.id !== undefined && claims.jti !== credential.id) mismatches.push(`jti ≠ id`);
  if (claims.sub !== undefined && (subject as { id?: unknown } | undefined)?.id !== undefined && claims.sub !== (subject as { id?: unknown }).id) mismatches.push('sub ≠ credentialSubject.id');
  if (mismatches.length) return { verified: false, code: 'KEY_BINDING_MISMATCH', message: `JWT claims disagree with the credential: ${mismatches.join('; ')}`, algorithm: alg!, claims };
  return { verified: true, message: `${alg} signature valid`, algorithm: alg!, claims, ...(keyBound !== undefined ? { keyBound } : {}), ...(keyBindingMessage ? { keyBindingMessage } : {}) };
}

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ['kty', 'crv', 'x', 'y', 'n', 'e'].every((k) => a[k] === b[k]);
}
