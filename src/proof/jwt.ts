import { isCanonicalBase64url } from '../shared/base64url';
import type { JWK } from 'jose';
import { loadJose } from '../platform/jose';
import { MicrocredError, type ErrorCode } from '../errors';
import { ed25519SourceOf, type JwtKey } from '../keys/jwt-keys';
import { signCompactEd25519, verifyCompactEd25519, type NativeJwsResult } from './jws-ed25519';
import { show } from '../keys/show';
import { toBase64url, tryDecodePublicKeyMultibase } from '../keys/multikey';
import { isRecord } from '../shared/json';
import { issuerIdOf } from '../shared/credential';

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** Options of `signJwt`: the JWT key, extra header fields and the `typ`. */
export interface SignJwtOptions {
  key: JwtKey;
  /** Identify the key by `kid` (resolved by the verifier through the issuer's JWKS) or embed the public `jwk`. Default 'kid' when the key has one. */
  header?: 'kid' | 'jwk';
  /**
   * `JWT` (default): OB 3.0's VC-JWT. `vc+jwt`: a VC-JOSE-COSE secured credential (header `typ: vc+jwt`, `cty: vc`;
   * the payload is the credential, the same registered claims are added).
   */
  typ?: 'JWT' | 'vc+jwt';
}

/**
 * VC-JWT as Open Badges 3.0 specifies it (VC 2.0 form): a compact JWS with `typ: JWT` whose payload is the credential
 * itself plus `iss` (issuer id), `jti` (credential id), `sub` (subject id), `nbf` (validFrom) and `exp` (validUntil).
 */
export async function signJwt(credential: Record<string, unknown>, options: SignJwtOptions): Promise<string> {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'The credential must be a JSON object');
  const key = options?.key;
  if (!key?.privateKey) throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing a JWT needs a private key');
  // OB 3.0: an embedded proof, if any, was created before the JWT; it stays inside the payload untouched.
  const iss = issuerIdOf(credential);
  const subject = Array.isArray(credential.credentialSubject)
    ? credential.credentialSubject[0]
    : credential.credentialSubject;
  const sub = (subject as { id?: unknown } | undefined)?.id;
  const seconds = (v: unknown) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined;
  const payload: Record<string, unknown> = {
    ...credential,
    ...(iss ? { iss } : {}),
    ...(typeof credential.id === 'string' ? { jti: credential.id } : {}),
    ...(typeof sub === 'string' ? { sub } : {}),
    // VC 2.0 names first; a VC 1.1 credential's issuanceDate / expirationDate otherwise (what verifyJwt compares).
    ...(seconds(credential.validFrom ?? credential.issuanceDate) !== undefined
      ? { nbf: seconds(credential.validFrom ?? credential.issuanceDate) }
      : {}),
    ...(seconds(credential.validUntil ?? credential.expirationDate) !== undefined
      ? { exp: seconds(credential.validUntil ?? credential.expirationDate) }
      : {}),
  };
  return signJwtPayload(payload, options.typ === 'vc+jwt' ? { typ: 'vc+jwt', cty: 'vc' } : { typ: 'JWT' }, options);
}

/**
 * Signs any JWT payload (a VC-JWT's, a VP-JWT's) as a compact JWS with `alg` and the key's `kid` or public `jwk` in
 * the header, plus `extraHeader` (`typ`, `cty`).
 */
export async function signJwtPayload(
  payload: Record<string, unknown>,
  extraHeader: Record<string, string>,
  options: Pick<SignJwtOptions, 'key' | 'header'>,
): Promise<string> {
  const key = options?.key;
  if (!key?.privateKey) throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing a JWT needs a private key');
  const mode = options.header ?? (key.kid ? 'kid' : 'jwk');
  if (mode === 'kid' && !key.kid)
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'header "kid" needs a key with a kid');
  const { kid: _k, d: _d, ...publicJwk } = key.publicJwk as JWK & { d?: string };
  const header = { alg: key.alg, ...extraHeader, ...(mode === 'kid' ? { kid: key.kid } : { jwk: publicJwk }) };
  let json: string;
  try {
    json = JSON.stringify(payload);
  } catch (e) {
    throw new MicrocredError('PROOF_GENERATION_ERROR', `The credential is not JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    // An issuer's Ed25519 Multikey signs natively (same bytes as jose, tested); other keys go through jose.
    const source = key.alg === 'EdDSA' ? ed25519SourceOf(key) : undefined;
    if (source) return await signCompactEd25519(header, json, source);
    const { CompactSign } = await loadJose();
    return await new CompactSign(new TextEncoder().encode(json)).setProtectedHeader(header).sign(key.privateKey);
  } catch (e) {
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Cannot sign the JWT with ${key.alg}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Options of `verifyJwt`: how to find the key (a JWKS, a resolver, or the issuer's known keys). */
export interface VerifyJwtOptions {
  /** The issuer's JWKS, for a `kid` header (and to bind an embedded `jwk` to the issuer). */
  jwks?: { keys: Record<string, unknown>[] };
  /** Resolves a `kid` to a public JWK when it is not in `jwks` (e.g. a DID URL). */
  resolveKey?: (kid: string) => Promise<Record<string, unknown>>;
  /**
   * The public JWKs the credential's issuer is known to control (e.g. the keys its DID or controller document lists
   * under assertionMethod). A header `jwk` counts only when it is one of these, one of `jwks`, or the issuer's own
   * did:key (decoded locally, no need for this).
   */
  issuerKeys?: (issuerId: string) => Promise<Record<string, unknown>[]>;
  /**
   * The header `typ` the JWT must have when it is not a VC-JWT: an SD-JWT VC's issuer-signed JWT (`dc+sd-jwt`) or a
   * Token Status List (`statuslist+jwt`). Its payload is then not a credential, and the issuer is its `iss`.
   */
  typ?: 'dc+sd-jwt' | 'statuslist+jwt';
}

/** Why a VC-JWT did not verify (a part of the library's one vocabulary, {@link ErrorCode}). */
export type JwtFailureCode = Extract<
  ErrorCode,
  | 'INVALID_SIGNATURE'
  | 'UNSUPPORTED_PROOF'
  | 'INVALID_KEY'
  | 'RESOLVER_ERROR'
  | 'INVALID_INPUT'
  | 'KEY_BINDING_MISMATCH'
>;

/** The outcome of verifying a VC-JWT: verified with its payload, or a code and message. */
export interface JwtVerification {
  verified: boolean;
  code?: JwtFailureCode;
  message: string;
  algorithm?: string;
  /** The credential: the payload itself (VC 2.0 / OB 3.0) or its `vc` claim (VC 1.1). Present once the signature holds. */
  credential?: Record<string, unknown>;
  /** The whole JWT payload. */
  claims?: Record<string, unknown>;
  /** The protected header (never contains private key material: a header `jwk` with `d` is refused). */
  header?: Record<string, unknown>;
  /**
   * Whether the key is shown to be the issuer's: true (the caller's JWKS, the issuer's did:key or its listed keys),
   * false (a contradiction, or a header jwk that nothing ties to the issuer). Undefined only when the caller must
   * decide (a `kid` resolved through `resolveKey`: compare its controller with the issuer).
   */
  keyBound?: boolean;
  /**
   * With `keyBound: false`: nothing contradicts the header key, but nothing confirms it either (no JWKS, and the
   * issuer's document could not be read). Still not the issuer's key as far as anyone can tell.
   */
  keyUnconfirmed?: boolean;
  keyBindingMessage?: string;
}

/**
 * Verifies a VC-JWT's signature (RS256, ES256 or EdDSA) and that its registered claims agree with the credential:
 * `iss` = issuer id, `jti` = id, `sub` = credentialSubject.id, `nbf` = validFrom (or VC 1.1 issuanceDate) and `exp` =
 * validUntil (expirationDate), each only when both sides are present — the official VC 2.0 examples omit `nbf` and
 * 1EdTech's validator fixtures carry `aud` instead of `sub` (research-ob3.md §6.6). Whether nbf/exp lie in the past
 * or future is the verifier's validity step, which has an injectable clock. Never throws.
 */
export async function verifyJwt(jwt: unknown, options: VerifyJwtOptions = {}): Promise<JwtVerification> {
  try {
    return await verifyJwtUnguarded(jwt, options ?? {});
  } catch (e) {
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `Cannot verify the JWT: ${e instanceof Error ? e.message : show(e)}`,
    };
  }
}

async function verifyJwtUnguarded(jwt: unknown, options: VerifyJwtOptions): Promise<JwtVerification> {
  if (typeof jwt !== 'string') return { verified: false, code: 'INVALID_INPUT', message: 'A VC-JWT is a string' };
  const compact = jwt.trim();
  const { EmbeddedJWK, compactVerify, decodeProtectedHeader, importJWK } = await loadJose();
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compact);
  } catch (e) {
    return { verified: false, code: 'INVALID_INPUT', message: `Not a JWS: ${(e as Error).message}` };
  }
  const segments = compact.split('.');
  if (segments.length !== 3)
    return { verified: false, code: 'INVALID_INPUT', message: 'Not a compact JWS (three dot-separated parts)' };
  // One token, one encoding: jose decodes a last character with stray low bits to the same bytes, so two texts
  // would verify as one token (and a replay cache keyed on the text would see two).
  const stray = segments.findIndex((segment) => !isCanonicalBase64url(segment));
  if (stray >= 0)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `The JWT's ${['header', 'payload', 'signature'][stray]} is not canonical base64url (stray bits in its last character, or padding)`,
    };
  const alg = header.alg;
  if (!ALGORITHMS.includes(alg as (typeof ALGORITHMS)[number]))
    return {
      verified: false,
      code: 'UNSUPPORTED_PROOF',
      message: `Algorithm ${show(alg)} is not accepted (RS256, ES256, EdDSA)`,
    };
  // VC-JOSE-COSE §3.1: an enveloped credential's typ SHOULD be vc+jwt (a presentation's vp+jwt; vc-ld+jwt / vp-ld+jwt
  // in its drafts), its cty, when present, vc (vp).
  if (options.typ !== undefined && header.typ !== options.typ)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `typ must be "${options.typ}", got ${show(header.typ)}`,
      algorithm: alg!,
    };
  const envelope =
    options.typ !== undefined
      ? undefined
      : header.typ === 'vc+jwt' || header.typ === 'vc-ld+jwt'
        ? 'vc'
        : header.typ === 'vp+jwt' || header.typ === 'vp-ld+jwt'
          ? 'vp'
          : undefined;
  if (options.typ === undefined && header.typ !== undefined && header.typ !== 'JWT' && !envelope)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `typ must be "JWT", "vc+jwt" or "vp+jwt", got ${show(header.typ)}`,
      algorithm: alg!,
    };
  if (envelope && header.cty !== undefined && header.cty !== envelope)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `A ${envelope}+jwt's cty must be "${envelope}", got ${show(header.cty)}`,
      algorithm: alg!,
    };
  let keyBound: boolean | undefined;
  let keyBindingMessage: string | undefined;
  /** OB 3.0 impl guide: a JWK in the issuer's set may name its issuer (`iss`), which must then be the credential's. */
  let keyIssuer: unknown;
  let verificationKey: CryptoKey | Uint8Array | typeof EmbeddedJWK | undefined;
  /** The plain EdDSA case verifies natively; undefined means jose decides. */
  let native: NativeJwsResult | undefined;
  let embeddedJwk: Record<string, unknown> | undefined;
  let keyUnconfirmed = false;
  // A header jwk with private parts is refused whatever else the header says.
  if (
    header.jwk !== undefined &&
    (typeof header.jwk !== 'object' || header.jwk === null || (header.jwk as { d?: unknown }).d !== undefined)
  ) {
    return { verified: false, code: 'INVALID_KEY', message: 'The header jwk contains a private key', algorithm: alg! };
  }
  // A kid names a key the issuer publishes; a header jwk is only the signer's say-so. With both, the kid decides (an
  // attacker who copies the issuer's real kid beside their own jwk must not get their jwk used).
  if (typeof header.kid !== 'string' && header.jwk) {
    verificationKey = EmbeddedJWK;
    native = await verifyCompactEd25519(
      compact,
      header as Record<string, unknown>,
      header.jwk as Record<string, unknown>,
    );
    // Whether the issuer controls this key is decided once the payload (and so the issuer) is known.
    embeddedJwk = header.jwk as Record<string, unknown>;
  } else if (typeof header.kid === 'string') {
    let jwk: Record<string, unknown> | undefined;
    try {
      jwk =
        options.jwks?.keys?.find((k) => k.kid === header.kid) ??
        (options.resolveKey ? await options.resolveKey(header.kid) : undefined);
    } catch (e) {
      return {
        verified: false,
        code: 'RESOLVER_ERROR',
        message: `Cannot resolve kid ${header.kid}: ${e instanceof Error ? e.message : show(e)}`,
        algorithm: alg!,
      };
    }
    if (!jwk)
      return {
        verified: false,
        code: 'RESOLVER_ERROR',
        message: `No key for kid ${header.kid} (pass the issuer's JWKS)`,
        algorithm: alg!,
      };
    keyIssuer = isRecord(jwk) ? jwk.iss : undefined;
    const { d: _d, ...publicJwk } = jwk as JWK;
    native = isRecord(jwk)
      ? await verifyCompactEd25519(compact, header as Record<string, unknown>, publicJwk as Record<string, unknown>)
      : undefined;
    try {
      verificationKey = native ? undefined : await importJWK(publicJwk, alg);
    } catch (e) {
      return {
        verified: false,
        code: 'INVALID_KEY',
        message: `The key for kid ${header.kid} does not fit ${show(alg)}: ${(e as Error).message}`,
        algorithm: alg!,
      };
    }
    if (header.jwk && !sameKey(publicJwk as Record<string, unknown>, header.jwk as Record<string, unknown>)) {
      return {
        verified: false,
        code: 'KEY_BINDING_MISMATCH',
        message: `The header's jwk is not the key its kid ${header.kid} names`,
        algorithm: alg!,
      };
    }
    keyBound = true;
    keyBindingMessage = `Key ${header.kid} taken from the issuer's key set`;
  } else
    return { verified: false, code: 'INVALID_KEY', message: 'The JWT header has neither kid nor jwk', algorithm: alg! };
  let payloadBytes: Uint8Array;
  if (native) {
    // jose's own message for a signature that does not verify, so that reports read the same either way.
    if (!native.valid)
      return {
        verified: false,
        code: 'INVALID_SIGNATURE',
        message: 'Signature check failed: signature verification failed',
        algorithm: alg!,
      };
    payloadBytes = native.payload;
  } else
    try {
      ({ payload: payloadBytes } = await compactVerify(compact, verificationKey as never, { algorithms: [alg!] }));
    } catch (e) {
      const code = (e as { code?: string }).code;
      const signature = code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWS_INVALID';
      return {
        verified: false,
        code: signature ? 'INVALID_SIGNATURE' : 'INVALID_KEY',
        message: `Signature check failed: ${(e as Error).message}`,
        algorithm: alg!,
      };
    }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return { verified: false, code: 'INVALID_INPUT', message: 'The JWT payload is not JSON', algorithm: alg! };
  }
  if (!isRecord(claims))
    return { verified: false, code: 'INVALID_INPUT', message: 'The JWT payload is not a JSON object', algorithm: alg! };
  // VC-JOSE-COSE §3.1.3: the payload of a vc+jwt is the credential itself; the vc and vp claims MUST NOT be present.
  if (envelope && (claims.vc !== undefined || claims.vp !== undefined))
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `A ${envelope}+jwt payload is the ${envelope === 'vc' ? 'credential' : 'presentation'} itself: it must not carry a vc or vp claim`,
      algorithm: alg!,
    };
  const credential = isRecord(claims.vc) ? claims.vc : claims;
  const common = { algorithm: alg!, credential, claims, header: header as Record<string, unknown> };
  const issuerId =
    options.typ !== undefined ? (typeof claims.iss === 'string' ? claims.iss : undefined) : issuerIdOf(credential);
  if (embeddedJwk) {
    const binding = await embeddedKeyBinding(embeddedJwk, issuerId, options);
    keyBound = binding.bound;
    keyUnconfirmed = binding.unconfirmed === true;
    keyBindingMessage = binding.message;
    keyIssuer = binding.keyIssuer;
  }
  const mismatches = options.typ !== undefined ? [] : claimMismatches(claims, credential);
  if (options.typ === undefined && isRecord(claims.vc)) mismatches.push(...claimsBesideVc(claims, claims.vc));
  if (keyIssuer !== undefined && keyIssuer !== issuerId)
    mismatches.push(`the key's iss ${show(keyIssuer)} is not the issuer ${show(issuerId)}`);
  if (mismatches.length)
    return {
      verified: false,
      code: 'KEY_BINDING_MISMATCH',
      message: `JWT claims disagree with the credential: ${mismatches.join('; ')}`,
      ...common,
    };
  return {
    verified: true,
    message: `${alg} signature valid`,
    ...common,
    ...(keyBound !== undefined ? { keyBound } : {}),
    ...(keyUnconfirmed ? { keyUnconfirmed } : {}),
    ...(keyBindingMessage ? { keyBindingMessage } : {}),
  };
}

/**
 * Whether the issuer is known to control a key the JWT carries in its header: it is in the caller's JWKS, it is the
 * issuer's own did:key, or it is among `issuerKeys(issuer)` (its DID / controller document). Anything else is an
 * unbound key: whoever signed, nothing says it was the issuer.
 */
async function embeddedKeyBinding(
  jwk: Record<string, unknown>,
  issuerId: unknown,
  options: VerifyJwtOptions,
): Promise<{ bound: boolean; unconfirmed?: boolean; message: string; keyIssuer?: unknown }> {
  const match = options.jwks?.keys?.find((k) => isRecord(k) && sameKey(k, jwk));
  if (match) return { bound: true, message: "The embedded key is in the issuer's JWKS", keyIssuer: match.iss };
  if (typeof issuerId === 'string' && issuerId.startsWith('did:key:')) {
    const multibase = issuerId.slice('did:key:'.length).split('#')[0]!;
    const own = tryDecodePublicKeyMultibase(multibase);
    const matches = own !== undefined && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x === toBase64url(own);
    return matches
      ? { bound: true, message: `The embedded key is the issuer's did:key ${issuerId}` }
      : {
          bound: false,
          message: `The JWT was signed with a key of its own header, not the issuer's did:key ${issuerId}`,
        };
  }
  if (typeof issuerId === 'string' && options.issuerKeys) {
    let keys: Record<string, unknown>[];
    try {
      keys = await options.issuerKeys(issuerId);
    } catch (e) {
      return {
        bound: false,
        unconfirmed: true,
        message: `The JWT carries its own key; the issuer's keys could not be read to compare it: ${e instanceof Error ? e.message : show(e)}`,
      };
    }
    if (Array.isArray(keys) && keys.some((k) => isRecord(k) && sameKey(k, jwk)))
      return { bound: true, message: `The embedded key is listed in ${issuerId}'s document` };
    return { bound: false, message: `The JWT carries its own key, and ${issuerId}'s document does not list it` };
  }
  return {
    bound: false,
    unconfirmed: !options.jwks,
    message: `The JWT carries its own key in the header; nothing shows that the issuer ${show(issuerId)} controls it (pass the issuer's JWKS, or a resolveDocument for its DID)`,
  };
}

/** Registered claims that contradict the credential. A claim or a credential field that is absent is not a contradiction. */
function claimMismatches(claims: Record<string, unknown>, credential: Record<string, unknown>): string[] {
  const out: string[] = [];
  const issuerId = issuerIdOf(credential);
  const subjects = Array.isArray(credential.credentialSubject)
    ? credential.credentialSubject
    : [credential.credentialSubject];
  const subjectIds = subjects.map((s) => (isRecord(s) ? s.id : undefined)).filter((id) => id !== undefined);
  if (claims.iss !== undefined && issuerId !== undefined && claims.iss !== issuerId)
    out.push(`iss ${show(claims.iss)} ≠ issuer ${show(issuerId)}`);
  if (claims.jti !== undefined && credential.id !== undefined && claims.jti !== credential.id)
    out.push(`jti ${show(claims.jti)} ≠ id ${show(credential.id)}`);
  if (claims.sub !== undefined && subjectIds.length > 0 && !subjectIds.includes(claims.sub))
    out.push(`sub ${show(claims.sub)} ≠ credentialSubject.id`);
  const timeClaim = (name: 'nbf' | 'exp', fields: string[]) => {
    const claim = claims[name];
    if (claim === undefined) return;
    if (typeof claim !== 'number' || !Number.isFinite(claim)) {
      out.push(`${name} is not a NumericDate`);
      return;
    }
    const field = fields.find((f) => credential[f] !== undefined);
    if (!field) return;
    const ms = typeof credential[field] === 'string' ? Date.parse(credential[field] as string) : NaN;
    if (Number.isNaN(ms) || Math.floor(ms / 1000) !== Math.floor(claim))
      out.push(`${name} ${claim} ≠ ${field} ${show(credential[field])}`);
  };
  timeClaim('nbf', ['validFrom', 'issuanceDate']);
  timeClaim('exp', ['validUntil', 'expirationDate']);
  return out;
}

/** The JWT's own claims (RFC 7519 and the VC-JWT ones), which sit beside `vc` by design. */
const JWT_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'nonce', 'vc', 'vp', 'cnf', 'status']);

/** Members of a credential (VC data model 1.1 and 2.0) that a claim beside `vc` may not state on its own. */
const CREDENTIAL_MEMBERS = new Set([
  '@context',
  'id',
  'type',
  'issuer',
  'credentialSubject',
  'credentialStatus',
  'validFrom',
  'validUntil',
  'issuanceDate',
  'expirationDate',
  'evidence',
  'credentialSchema',
  'termsOfUse',
  'refreshService',
  'relatedResource',
  'proof',
  'name',
  'description',
]);

/**
 * Claims beside `vc` that contradict the credential: a member the credential carries with another value, or a
 * credential member it does not carry (a `credentialStatus` beside a `vc` without one). A reader that takes the
 * payload's top level (VC 1.1 processors merge it) would read another credential than the one verified.
 */
function claimsBesideVc(claims: Record<string, unknown>, vc: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (JWT_CLAIMS.has(name)) continue;
    if (!Object.hasOwn(vc, name)) {
      if (CREDENTIAL_MEMBERS.has(name)) out.push(`the claim ${show(name)} beside vc is not in the credential`);
    } else if (JSON.stringify(value) !== JSON.stringify(vc[name]))
      out.push(`the claim ${show(name)} beside vc differs from the credential's`);
  }
  return out;
}

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ['kty', 'crv', 'x', 'y', 'n', 'e'].every((k) => a[k] === b[k]);
}
