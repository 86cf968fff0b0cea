import { isMicrocredError } from '../errors';
import { createDocumentLoader } from '../jsonld/loader';
import { EU_MICROCREDENTIAL_VCT, SD_JWT_CLAIMS, viewFromSdJwtClaims } from '../proof/sd-jwt/claims';
import { splitSdJwt, unpackSdJwt, type SdJwtParts, type UnpackedClaims } from '../proof/sd-jwt/disclosures';
import { verifyKeyBindingJwt } from '../proof/sd-jwt/key-binding';
import { readTokenStatus } from '../proof/sd-jwt/status-list';
import { isRecord } from '../shared/json';
import { numericDateText } from '../shared/validity';
import { parseJwt } from './parse';
import { checkTypedJwtProof } from './steps/proof';
import { ReportBuilder, type SdJwtDisclosureReport, type VerificationReport } from './report';
import type { VerifyOptions } from './verify';
import { withVerdict } from './verdict';
import { confirmIssuer, type IssuerConfirmation } from './trust';

/**
 * Verifies an SD-JWT VC or an SD-JWT presentation (RFC 9901, draft-ietf-oauth-sd-jwt-vc): the issuer's signature and
 * key by the library's key-binding rules, the disclosures (refused when malformed, repeated or not signed), the Key
 * Binding JWT (nonce, audience, freshness, sd_hash), the validity period, the Token Status List, and the EU elements
 * read from what was disclosed. Never throws for a bad credential.
 */
export async function verifySdJwtVc(text: string, options: VerifyOptions): Promise<VerificationReport> {
  const report = new ReportBuilder();
  const now = options.now ?? new Date();
  const skew = options.clockSkewSeconds ?? 300;
  const fail = (): VerificationReport =>
    withVerdict({ verified: false, format: 'dc+sd-jwt', source: 'jwt', proofs: [], checks: report.checks });

  let parts: SdJwtParts;
  let payload: Record<string, unknown>;
  try {
    parts = splitSdJwt(text);
    payload = parseJwt(parts.issuerJwt).jwtClaims!;
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('parse', e.code, e.message, e.path);
    return fail();
  }
  report.pass(
    'parse',
    `Read an SD-JWT ${parts.kbJwt ? 'presentation with a key binding JWT' : parts.disclosures.length ? 'VC' : 'with no disclosures'} (${parts.disclosures.length} disclosure${parts.disclosures.length === 1 ? '' : 's'})`,
  );

  let unpacked: UnpackedClaims;
  try {
    unpacked = unpackSdJwt(payload, parts.disclosures);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('disclosures', e.code, e.message, e.path);
    return fail();
  }
  const claims = unpacked.claims;
  report.pass(
    'disclosures',
    `${unpacked.disclosed.length} claim${unpacked.disclosed.length === 1 ? '' : 's'} disclosed, each signed by the issuer; ${unpacked.undisclosedDigests} digest${unpacked.undisclosedDigests === 1 ? '' : 's'} not opened (withheld claims or decoys)`,
  );

  const iss = typeof payload.iss === 'string' ? payload.iss : undefined;
  const proofOptions = {
    ...options,
    documentLoader: options.documentLoader ?? createDocumentLoader({ contexts: {} }),
    now,
    clockSkewSeconds: skew,
  };
  const proof = await checkTypedJwtProof(parts.issuerJwt, 'dc+sd-jwt', iss, report, proofOptions);
  if (iss === undefined)
    report.fail('keyBinding', 'MISSING_ELEMENT', 'The SD-JWT VC has no iss: nothing names its issuer', '$.iss');
  const vct = payload.vct;
  if (typeof vct !== 'string')
    report.fail('schema', 'MISSING_ELEMENT', 'An SD-JWT VC must have a vct (its type)', '$.vct');
  else
    report.pass(
      'schema',
      vct === EU_MICROCREDENTIAL_VCT ? 'An EU micro-credential (vct of this library)' : `Credential type ${vct}`,
    );

  const issuerTrust = confirmIssuerOf(iss, report, options);
  await checkHolderBinding(parts, payload, report, options, now, skew);
  checkTimes(payload, report, now, skew);
  await checkTokenStatus(payload, iss, report, proofOptions);

  const ours = vct === EU_MICROCREDENTIAL_VCT;
  const topLevel = new Set(unpacked.disclosed.filter((p) => /^\$\.[^.[]+$/.test(p)).map((p) => p.slice(2)));
  const sdJwt: SdJwtDisclosureReport = {
    vct: typeof vct === 'string' ? vct : '',
    disclosed: unpacked.disclosed,
    withheld: ours ? SD_JWT_CLAIMS.map((c) => c.claim).filter((c) => !topLevel.has(c)) : [],
    undisclosedDigests: unpacked.undisclosedDigests,
    keyBinding: parts.kbJwt ? 'presented' : isRecord(payload.cnf) ? 'bound, not presented' : 'none',
  };
  if (ours) {
    const view = viewFromSdJwtClaims(claims);
    report.pass(
      'euElements',
      `EU elements disclosed: ${view.elements.filter((e) => e.present).length} of 16${view.missingMandatory.length ? ` (withheld or absent: ${view.missingMandatory.join(', ')})` : ''}`,
    );
    return withVerdict({
      verified: !report.failed,
      format: 'dc+sd-jwt',
      source: 'jwt',
      credential: claims,
      proofs: proof.held,
      checks: report.checks,
      euElements: view,
      sdJwt,
      ...(issuerTrust ? { issuerTrust } : {}),
    });
  }
  report.skip('euElements', 'Not an EU micro-credential type: no EU elements read');
  return withVerdict({
    verified: !report.failed,
    format: 'dc+sd-jwt',
    source: 'jwt',
    credential: claims,
    proofs: proof.held,
    checks: report.checks,
    sdJwt,
    ...(issuerTrust ? { issuerTrust } : {}),
  });
}

/**
 * The issuer identity check of a VC, for the SD-JWT's `iss`: with the `trust` option, and only once its key is shown
 * to be the issuer's. Trust lists and registries only (the web-domain linkage reads an issuer `url` an SD-JWT VC does
 * not carry).
 */
function confirmIssuerOf(
  iss: string | undefined,
  report: ReportBuilder,
  options: VerifyOptions,
): IssuerConfirmation | undefined {
  const trust = options.trust;
  if (!trust) return undefined;
  const keyBound =
    report.checks.some((c) => c.check === 'keyBinding' && c.status === 'pass') &&
    !report.checks.some((c) => c.check === 'keyBinding' && c.status !== 'pass');
  if (iss === undefined || !keyBound) {
    report.skip(
      'issuerIdentity',
      "Not checked: the signing key is not shown to be the issuer's, so no trust source can vouch for this credential",
    );
    return { confirmed: false, ...(iss ? { issuer: iss } : {}) };
  }
  const confirmation = confirmIssuer(iss, trust);
  if (confirmation.confirmed) report.pass('issuerIdentity', `The issuer ${iss} is confirmed by ${confirmation.by}`);
  else
    report.warn(
      'issuerIdentity',
      `The issuer's identity is not confirmed: no trust source given confirms ${iss}, so the name it gives is its own claim`,
      { code: 'ISSUER_UNCONFIRMED' },
    );
  return confirmation;
}

async function checkHolderBinding(
  parts: SdJwtParts,
  payload: Record<string, unknown>,
  report: ReportBuilder,
  options: VerifyOptions,
  now: Date,
  skew: number,
): Promise<void> {
  const expect = options.keyBinding ?? {};
  const asked = expect.nonce !== undefined || expect.audience !== undefined || expect.required === true;
  if (!parts.kbJwt) {
    if (asked)
      report.fail(
        'holderBinding',
        'KEY_BINDING_JWT_MISSING',
        'No key binding JWT: nothing shows that the holder presented this credential (the verifier asked for one)',
      );
    else
      report.skip(
        'holderBinding',
        isRecord(payload.cnf)
          ? 'Not presented with a key binding JWT (the credential is bound to a holder key; pass keyBinding: { nonce, audience } to require one)'
          : 'The credential is not bound to a holder key',
      );
    return;
  }
  const result = await verifyKeyBindingJwt(parts.kbJwt, payload.cnf, parts.withoutKb, {
    ...(expect.nonce !== undefined ? { nonce: expect.nonce } : {}),
    ...(expect.audience !== undefined ? { audience: expect.audience } : {}),
    ...(expect.maxAgeSeconds !== undefined ? { maxAgeSeconds: expect.maxAgeSeconds } : {}),
    now,
    clockSkewSeconds: skew,
  });
  if (!result.verified) return report.fail('holderBinding', result.code, result.message);
  report.pass('holderBinding', result.message);
  // Without the verifier's own nonce and audience, any nonce and audience pass: say so rather than imply a check.
  if (expect.nonce === undefined || expect.audience === undefined)
    report.warn(
      'challenge',
      `The key binding JWT's ${expect.nonce === undefined ? 'nonce' : 'audience'} was not compared with the verifier's (pass keyBinding: { nonce, audience })`,
    );
}

function checkTimes(payload: Record<string, unknown>, report: ReportBuilder, now: Date, skew: number): void {
  const t = now.getTime() / 1000;
  const unreadable = (['iat', 'nbf', 'exp'] as const).find(
    (name) => payload[name] !== undefined && (typeof payload[name] !== 'number' || !Number.isFinite(payload[name])),
  );
  const nbf = payload.nbf as number | undefined;
  const exp = payload.exp as number | undefined;
  if (unreadable) report.fail('validity', 'INVALID_INPUT', `${unreadable} is not a NumericDate`, `$.${unreadable}`);
  else if (nbf !== undefined && nbf > t + skew)
    report.fail('validity', 'NOT_YET_VALID', `Not valid before ${numericDateText(nbf)}`, '$.nbf');
  else if (exp !== undefined && exp < t - skew)
    report.fail('validity', 'EXPIRED', `Expired on ${numericDateText(exp)}`, '$.exp');
  else report.pass('validity', exp !== undefined ? `Valid until ${numericDateText(exp)}` : 'Valid (no expiry)');
}

/**
 * The IETF Token Status List the credential names (`status.status_list`): fetched through the caller's
 * fetchStatusList, signed (`statuslist+jwt`) by a key of the credential's own issuer, for the very URL the
 * credential names (`sub`), not expired, and the entry's status read from it.
 */
async function checkTokenStatus(
  payload: Record<string, unknown>,
  iss: string | undefined,
  report: ReportBuilder,
  options: VerifyOptions & Parameters<typeof checkTypedJwtProof>[4],
): Promise<void> {
  const status = payload.status;
  // No entry is the issuer's choice, as a credential without credentialStatus: nothing to check, and it cannot be revoked.
  if (status === undefined)
    return report.pass('status', 'The credential has no status entry from its issuer: it cannot be revoked');
  const entry = isRecord(status) && isRecord(status.status_list) ? status.status_list : undefined;
  const uri = entry?.uri;
  const idx = entry?.idx;
  if (typeof uri !== 'string' || typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0)
    return report.fail(
      'status',
      'STATUS_MALFORMED',
      'status.status_list must have a uri and a non-negative integer idx',
      '$.status.status_list',
    );
  const unchecked = (
    code:
      | 'STATUS_UNCHECKED'
      | 'STATUS_RETRIEVAL_ERROR'
      | 'STATUS_LIST_INVALID'
      | 'STATUS_LIST_EXPIRED'
      | 'STATUS_MALFORMED',
    message: string,
  ) =>
    options.statusCheck === 'optional'
      ? report.warn('status', `Status not checked: ${message}`, { code })
      : report.fail('status', code, message, '$.status.status_list');
  if (typeof options.fetchStatusList !== 'function')
    return unchecked('STATUS_UNCHECKED', `The status list ${uri} was not fetched (no fetchStatusList)`);
  let token: unknown;
  try {
    token = await options.fetchStatusList(uri);
  } catch (e) {
    return unchecked('STATUS_RETRIEVAL_ERROR', `Cannot fetch the status list ${uri}: ${(e as Error).message}`);
  }
  if (token instanceof Uint8Array) token = new TextDecoder().decode(token);
  if (typeof token !== 'string')
    return unchecked('STATUS_RETRIEVAL_ERROR', `The status list ${uri} is not a JWT (statuslist+jwt)`);
  const listToken = token.trim();
  let claims: Record<string, unknown>;
  try {
    claims = parseJwt(listToken).jwtClaims!;
  } catch (e) {
    return unchecked('STATUS_MALFORMED', (e as Error).message);
  }
  if (claims.sub !== uri)
    return unchecked('STATUS_LIST_INVALID', `The status list served at ${uri} is for ${JSON.stringify(claims.sub)}`);
  // Whoever answers the URL (a wallet, a mirror) could otherwise sign a list of its own that names itself as issuer.
  if (claims.iss !== undefined && claims.iss !== iss)
    return unchecked(
      'STATUS_LIST_INVALID',
      `The status list ${uri} is issued by ${JSON.stringify(claims.iss)}, not by the credential's issuer ${String(iss)}`,
    );
  const scratch = new ReportBuilder();
  await checkTypedJwtProof(listToken, 'statuslist+jwt', iss, scratch, options);
  // Only a pass counts: a key the report would merely warn about (unconfirmed) is not shown to be the issuer's, and
  // this report is not shown to anyone.
  const problem =
    scratch.checks.find((c) => c.status === 'fail') ??
    scratch.checks.find((c) => c.check === 'keyBinding' && c.status !== 'pass');
  if (problem || !scratch.checks.some((c) => c.check === 'keyBinding'))
    return unchecked(
      'STATUS_LIST_INVALID',
      `The status list ${uri} does not verify as the issuer's: ${problem?.message ?? "its key is not shown to be the issuer's"}`,
    );
  const stale = listTimeProblem(claims, options);
  if (stale) return unchecked(stale.code, `The status list ${uri} ${stale.message}`);
  let value: number;
  try {
    value = await readTokenStatus(claims.status_list, idx);
  } catch (e) {
    return unchecked('STATUS_MALFORMED', (e as Error).message);
  }
  if (value === 0) return report.pass('status', 'Not revoked (Token Status List)');
  if (value === 1)
    return report.fail('status', 'REVOKED', 'The issuer has revoked this credential', '$.status.status_list');
  if (value === 2)
    return report.fail('status', 'SUSPENDED', 'The issuer has suspended this credential', '$.status.status_list');
  return report.fail(
    'status',
    'STATUS_MALFORMED',
    `The status list gives status ${value}, which this verifier does not know`,
    '$.status.status_list',
  );
}

/**
 * Why a Token Status List's times rule it out, if they do: `iat` is required (draft-ietf-oauth-status-list §5.1), and
 * with `exp` and `nbf` must be NumericDates; the list must not be expired, not yet valid, nor (with
 * maxStatusListAgeSeconds) issued longer ago than that, as a Bitstring Status List is held to its validFrom.
 */
function listTimeProblem(
  claims: Record<string, unknown>,
  options: VerifyOptions & { now: Date; clockSkewSeconds: number },
): { code: 'STATUS_MALFORMED' | 'STATUS_LIST_EXPIRED'; message: string } | undefined {
  const unreadable = (['iat', 'nbf', 'exp'] as const).find(
    (name) =>
      (claims[name] !== undefined || name === 'iat') &&
      (typeof claims[name] !== 'number' || !Number.isFinite(claims[name])),
  );
  if (unreadable) return { code: 'STATUS_MALFORMED', message: `has no readable ${unreadable} (a NumericDate)` };
  const t = options.now.getTime() / 1000;
  const skew = options.clockSkewSeconds;
  const at = numericDateText;
  const { iat, nbf, exp } = claims as { iat: number; nbf?: number; exp?: number };
  if (exp !== undefined && exp < t - skew) return { code: 'STATUS_LIST_EXPIRED', message: `expired on ${at(exp)}` };
  const from = Math.max(iat, nbf ?? iat);
  if (from > t + skew) return { code: 'STATUS_LIST_EXPIRED', message: `is not valid before ${at(from)}` };
  const maxAge = options.maxStatusListAgeSeconds;
  if (maxAge !== undefined && iat < t - maxAge)
    return {
      code: 'STATUS_LIST_EXPIRED',
      message: `is stale: issued ${at(iat)}, more than the ${maxAge} s allowed ago (maxStatusListAgeSeconds); fetch a fresh copy from the issuer`,
    };
  return undefined;
}
