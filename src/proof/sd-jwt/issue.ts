import type { JWK } from 'jose';
import { MicrocredError } from '../../errors';
import type { JwtKey } from '../../keys/jwt-keys';
import { loadSdJwtCore } from '../../platform/sd-jwt';
import { readMicroCredential } from '../../read/read';
import { issuerIdOf } from '../../shared/credential';
import { isRecord } from '../../shared/json';
import { EU_MICROCREDENTIAL_VCT, sdJwtVcClaims } from './claims';
import { SD_ALG, jwsSigner, sdHasher, sdSaltGenerator } from './sign';
import { tokenStatusListUri } from './status-list';

/** Options of `issueSdJwtVc` (and of `issue(…, { format: 'dc+sd-jwt' })`). */
export interface SdJwtVcIssueOptions {
  key: JwtKey;
  /** Identify the issuer's key by `kid` (default when it has one) or embed the public `jwk`. */
  jwtHeader?: 'kid' | 'jwk';
  /** The holder's public key (the learner's wallet key): bound through `cnf.jwk`, so that presentations need its KB-JWT. */
  holderKey?: JWK;
  /** Decoy digests at the top level and among the learner's identifiers (default 2; 0 for none). */
  decoys?: number;
  /** Issued-at time (`iat`); default now. */
  issuedAt?: Date;
  /**
   * Where the Token Status List of a status list credential is served. Default: the list's URL with `.jwt` appended
   * (what publishing writes beside the bitstring list).
   */
  statusListUri?: (statusListCredential: string) => string;
}

const seconds = (v: unknown): number | undefined =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined;

/** A public JWK with only its public members (a `cnf.jwk` must never carry private parts). */
function publicJwkOf(jwk: JWK): JWK {
  if (!isRecord(jwk) || typeof jwk.kty !== 'string')
    throw new MicrocredError('INVALID_KEY', 'holderKey must be a public JWK');
  if ((jwk as Record<string, unknown>).d !== undefined)
    throw new MicrocredError('INVALID_KEY', "holderKey contains a private key: pass the holder's public JWK");
  const out: Record<string, unknown> = {};
  for (const member of ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid'])
    if (typeof (jwk as Record<string, unknown>)[member] === 'string')
      out[member] = (jwk as Record<string, unknown>)[member];
  return out as JWK;
}

/**
 * The Token Status List reference of a credential's status entry (`status.status_list`), from the same allocation as
 * its BitstringStatusListEntry: its revocation entry, or else its suspension entry (a workspace that suspends gives
 * its credentials that one entry; its token list is 2-bit, SUSPENDED). A credential with neither has no `status`.
 */
function statusClaim(
  credential: Record<string, unknown>,
  uriOf: (list: string) => string,
): Record<string, unknown> | undefined {
  const entries = Array.isArray(credential.credentialStatus)
    ? credential.credentialStatus
    : credential.credentialStatus === undefined
      ? []
      : [credential.credentialStatus];
  const entryFor = (purpose: string): unknown =>
    entries.find((e) => isRecord(e) && e.statusPurpose === purpose && typeof e.statusListCredential === 'string');
  const entry = entryFor('revocation') ?? entryFor('suspension');
  if (!isRecord(entry)) return undefined;
  const idx = Number(entry.statusListIndex);
  if (!Number.isSafeInteger(idx) || idx < 0)
    throw new MicrocredError('INVALID_INPUT', `statusListIndex ${String(entry.statusListIndex)} is not a list index`, {
      path: '$.credentialStatus.statusListIndex',
    });
  return { status_list: { idx, uri: uriOf(entry.statusListCredential as string) } };
}

/**
 * Issues an Open Badges micro-credential as an IETF SD-JWT VC (`typ: dc+sd-jwt`, `vct` {@link EU_MICROCREDENTIAL_VCT}):
 * the claim set of {@link sdJwtVcClaims}, generated from the credential's EU view, every Annex I element, the grade
 * and every learner identifier selectively disclosable. The credential is expected to have been checked already
 * (`issue()` does that); this only maps and signs. Returns the compact SD-JWT (`<jwt>~<disclosure>~…~`).
 */
export async function issueSdJwtVc(credential: Record<string, unknown>, options: SdJwtVcIssueOptions): Promise<string> {
  const key = options?.key;
  if (!key || !('alg' in key)) throw new MicrocredError('INVALID_KEY', 'issueSdJwtVc needs a JWT key (ES256 or EdDSA)');
  const iss = issuerIdOf(credential);
  if (!iss) throw new MicrocredError('MISSING_ELEMENT', 'The credential has no issuer id', { path: '$.issuer' });
  const decoys = options.decoys ?? 2;
  if (!Number.isSafeInteger(decoys) || decoys < 0 || decoys > 16)
    throw new MicrocredError('INVALID_INPUT', `decoys must be 0 to 16, got ${String(options.decoys)}`);
  const { claims, frame } = sdJwtVcClaims(readMicroCredential(credential), { decoys });
  const issuedAt = options.issuedAt ?? new Date();
  if (Number.isNaN(issuedAt.getTime())) throw new MicrocredError('INVALID_INPUT', 'issuedAt is not a valid Date');
  const status = statusClaim(credential, options.statusListUri ?? tokenStatusListUri);
  const nbf = seconds(credential.validFrom ?? credential.issuanceDate);
  const exp = seconds(credential.validUntil ?? credential.expirationDate);
  const payload: Record<string, unknown> = {
    iss,
    iat: Math.floor(issuedAt.getTime() / 1000),
    ...(nbf !== undefined ? { nbf } : {}),
    ...(exp !== undefined ? { exp } : {}),
    vct: EU_MICROCREDENTIAL_VCT,
    ...(options.holderKey ? { cnf: { jwk: publicJwkOf(options.holderKey) } } : {}),
    ...(status ? { status } : {}),
    ...claims,
  };
  const mode = options.jwtHeader ?? (key.kid ? 'kid' : 'jwk');
  if (mode === 'kid' && !key.kid)
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'header "kid" needs a key with a kid');
  const header = { typ: 'dc+sd-jwt', ...(mode === 'kid' ? { kid: key.kid } : { jwk: publicJwkOf(key.publicJwk) }) };
  const { SDJwtInstance } = await loadSdJwtCore();
  const instance = new SDJwtInstance({
    hasher: sdHasher,
    hashAlg: SD_ALG,
    saltGenerator: sdSaltGenerator,
    signer: jwsSigner(key),
    signAlg: key.alg,
  });
  try {
    return await instance.issue(payload, frame as never, { header });
  } catch (e) {
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Cannot sign the SD-JWT VC: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
