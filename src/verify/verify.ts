import { MicrocredError, isMicrocredError } from '../errors';
import { createDocumentLoader, type DocumentLoader } from '../jsonld/loader';
import type { CheckStatusOptions } from '../status/check';
import { parseInput, type ParsedInput, type VerifiableInput } from './parse';
import { isEnvelopedCredential, openEnvelope } from './envelope';
import { checkProofs, type ProofOptions, type ProofOutcome } from './proof-step';
import { isPrivateHostUrl } from '../proof/host-guard';
import { withTimeout } from '../proof/resolver';
import { checkValueConsistency } from './consistency-step';
import { ReportBuilder, type CheckCode, type VerificationReport } from './report';
import { checkRelatedResources } from './related-resource-step';
import { checkSchema } from './schema-step';
import { checkSignedForm } from './signed-form';
import { checkContexts, checkCredentialStatus, checkEuElements, checkValidity } from './steps';
import { unbakeForVerify } from './unbake-step';
import { issuerIdOf } from '../shared/credential';
import { decodeBase64url } from '../shared/base64url';
import { fetchOnce } from '../shared/fetch-once';
import { MAX_FETCHED_RELATED_RESOURCES } from '../vcdm/related-resource';

/** Options of `verify`: the clock, the status list fetcher, extra contexts, how many documents it may fetch, and what may be loosened. */
export interface VerifyOptions extends ProofOptions {
  /** The time to check validity against (default: now). Inject it for reproducible verdicts. */
  now?: Date;
  /** Tolerated clock difference in seconds (default 300, as @digitalbazaar/vc). */
  clockSkewSeconds?: number;
  /** Extra JSON-LD contexts by URL; anything else not bundled is UNKNOWN_CONTEXT. Nothing is fetched. */
  contexts?: Readonly<Record<string, unknown>>;
  /** Fetches a status list (BitstringStatusListCredential, StatusList2021Credential or 1EdTech list). Without it, status is skipped. */
  fetchStatusList?: CheckStatusOptions['fetchStatusList'];
  /** Status lists shorter than the spec's 131,072 entries fail instead of warning. */
  strictStatusListLength?: boolean;
  /**
   * Who may sign the status lists the credential points to: 'same' (default) the credential's issuer, as
   * @digitalbazaar/vc requires; or a list of trusted list issuers (a separate status service); or 'any' signed list.
   */
  statusListIssuers?: 'same' | 'any' | readonly string[];
  /** Verify embedded endorsements too (default true). */
  verifyEndorsements?: boolean;
  /**
   * Distinct documents `resolveDocument` may be asked for in one verify call, endorsements and status lists
   * included (default 8); each is asked for once. With `resolverTimeoutMs` this bounds how long one credential can
   * keep a verifier waiting on hosts it names: proofs and endorsements could otherwise name hundreds.
   */
  maxResolvedDocuments?: number;
  /** The same bound for `fetchStatusList`: distinct status list URLs fetched in one verify call (default 8). */
  maxFetchedStatusLists?: number;
  /**
   * Fetches a related resource's bytes (VC DM 2.0 `relatedResource`) so its digests can be compared. Without it the
   * digests are not compared and the report says so.
   */
  fetchResource?: (url: string) => Promise<Uint8Array>;
  /**
   * 'required' (default): a credential with a status entry whose status could not be established (no
   * fetchStatusList, network error, budget spent, a list that does not verify, is signed by someone else, has
   * expired, has another purpose or is malformed) is not verified. 'optional': those become warnings that say the
   * status was not checked. Revoked and suspended always fail.
   */
  statusCheck?: 'required' | 'optional';
}

const MAX_ENDORSEMENT_DEPTH = 2;
/**
 * Endorsements verified per credential (on the credential, its achievement and its issuer together). Each is a full
 * verification, with proofs whose keys may have to be resolved over the network: with depth 2, this bounds one
 * credential at 16 + 16 × 16 of them. 200,000 endorsementJwt strings used to overflow the stack and throw.
 */
const MAX_ENDORSEMENTS = 16;

/** A presentation (JSON-LD type VerifiablePresentation, or a JWT with a `vp` claim) rather than a credential. */
function isPresentation(parsed: ParsedInput): boolean {
  const type = parsed.credential.type;
  const types = Array.isArray(type) ? type : [type];
  return types.includes('VerifiablePresentation') || types.includes('EnvelopedVerifiablePresentation') || parsed.jwtClaims?.vp !== undefined;
}

/** Whether a JWT's header says it is a VC-JOSE-COSE secured credential (typ vc+jwt). */
function isEnvelopeJwt(jwt: string | undefined): boolean {
  try {
    const header = JSON.parse(new TextDecoder().decode(decodeBase64url((jwt ?? '').split('.')[0]) ?? new Uint8Array())) as { typ?: unknown };
    return header.typ === 'vc+jwt' || header.typ === 'vc-ld+jwt';
  } catch {
    return false;
  }
}

const PROOF_KEYS = new Set(['type', 'cryptosuite', 'created', 'expires', 'verificationMethod', 'proofPurpose', 'proofValue', 'id', 'previousProof', 'domain', 'challenge', 'nonce', '@context']);

/**
 * Whether checking safe mode can ride on the proof check: some proof canonicalizes the document (without its proofs)
 * with RDFC-1.0 in safe mode, and every proof is of a known type with only the Data Integrity terms, so nothing in
 * the `proof` property can hide an undefined term. Otherwise the whole document is expanded separately.
 */
function hasRdfcProof(credential: Record<string, unknown>): boolean {
  const list = Array.isArray(credential.proof) ? credential.proof : credential.proof === undefined ? [] : [credential.proof];
  const known = list.every((p) => typeof p === 'object' && p !== null && (p as { type?: unknown }).type !== undefined && ['DataIntegrityProof', 'Ed25519Signature2020'].includes((p as { type: string }).type) && Object.keys(p).every((k) => PROOF_KEYS.has(k)));
  return known && list.some((p) => {
    const proof = p as { type?: unknown; cryptosuite?: unknown };
    return proof.type === 'Ed25519Signature2020' || (proof.type === 'DataIntegrityProof' && (proof.cryptosuite === 'eddsa-rdfc-2022' || proof.cryptosuite === 'eddsa-2022'));
  });
}

/**
 * Verifies a credential: a credential object, JSON text, a compact JWS (VC-JWT) or a baked PNG/SVG badge.
 * Runs every check in order — parse, contexts & safe mode, schema, proof(s), key binding, validity period, status,
 * EU elements, endorsements — and returns a report. It never throws for a bad credential; it throws only when the
 * options themselves are unusable.
 */
export async function verify(input: VerifiableInput, options: VerifyOptions = {}): Promise<VerificationReport> {
  // An unusable clock would silently turn every date check off (NaN compares false): that is misuse, not a verdict.
  // (A Date from another realm is still a Date: check the value, not instanceof.)
  const now = options?.now as unknown;
  if (now !== undefined && (Object.prototype.toString.call(now) !== '[object Date]' || Number.isNaN((now as Date).getTime()))) {
    throw new MicrocredError('INVALID_INPUT', `options.now is not a valid Date: ${String(now)}`);
  }
  const skew = options?.clockSkewSeconds as unknown;
  if (skew !== undefined && (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0)) {
    throw new MicrocredError('INVALID_INPUT', `options.clockSkewSeconds must be a non-negative number of seconds, got ${String(skew)}`);
  }
  return verifyAt(input, withResolutionBudget(options), 0, false);
}

/**
 * `resolveDocument` and `fetchStatusList` each asked once per URL, and for at most `maxResolvedDocuments` /
 * `maxFetchedStatusLists` URLs, across the whole call (endorsements and status list credentials included).
 */
export function withResolutionBudget(options: VerifyOptions): VerifyOptions {
  if (typeof options !== 'object' || options === null) return options;
  const { resolveDocument, fetchStatusList } = options;
  // A host the credential names may never answer: status lists and related resources are abandoned after the same
  // resolverTimeoutMs as documents (a timed-out status list is STATUS_RETRIEVAL_ERROR, a failure), not awaited forever.
  const timeoutMs = options.resolverTimeoutMs ?? 5000;
  const timed = <T>(load: (url: string) => Promise<T>) => (url: string) => withTimeout(Promise.resolve().then(() => load(url)), timeoutMs, `fetching ${url}`);
  return {
    ...options,
    ...(typeof resolveDocument === 'function' ? { resolveDocument: budgeted(resolveDocument, options.maxResolvedDocuments ?? 8, 'RESOLVER_ERROR', 'maxResolvedDocuments', options.allowPrivateHosts === true) } : {}),
    ...(typeof fetchStatusList === 'function' ? { fetchStatusList: budgeted(timed(fetchStatusList), options.maxFetchedStatusLists ?? 8, 'STATUS_ERROR', 'maxFetchedStatusLists', options.allowPrivateHosts === true) } : {}),
    // Related resources are URLs the credentials choose too: a presentation or CLR of 32 credentials must not mean
    // 32 × 8 fetches. Each URL once, at most MAX_FETCHED_RELATED_RESOURCES per call.
    ...(typeof options.fetchResource === 'function' ? { fetchResource: fetchOnce(timed(options.fetchResource), (url, fetched) => (fetched >= MAX_FETCHED_RELATED_RESOURCES ? new MicrocredError('INVALID_INPUT', `Not fetching ${url}: this verification already fetched ${MAX_FETCHED_RELATED_RESOURCES} related resources`) : undefined)) } : {}),
  };
}

function budgeted(load: (url: string) => Promise<unknown>, max: number, code: 'RESOLVER_ERROR' | 'STATUS_ERROR', option: string, allowPrivateHosts: boolean): (url: string) => Promise<unknown> {
  return fetchOnce(load, (url, fetched) => {
    // A credential names these URLs: the caller's fetcher is never handed its own network (refused before the budget).
    if (!allowPrivateHosts && isPrivateHostUrl(url)) return new MicrocredError(code, `Not fetching ${url}: it names a loopback, private or link-local host (allowPrivateHosts)`);
    if (fetched >= max) return new MicrocredError(code, `Not fetching ${url}: this verification already asked for ${max} documents (${option})`);
    return undefined;
  });
}

async function verifyAt(input: unknown, options: VerifyOptions, depth: number, isEndorsement: boolean): Promise<VerificationReport> {
  const report = new ReportBuilder();
  let parsed: ParsedInput;
  if (isEnvelopedCredential(input)) {
    // VC-JOSE-COSE: the envelope is a pointer to the secured credential, verified as the JWT it holds.
    const opened = openEnvelope(input);
    if ('error' in opened) {
      report.fail('parse', 'INVALID_INPUT', opened.error, '$.id');
      return { verified: false, proofs: [], checks: report.checks };
    }
    input = opened.jwt;
  }
  try {
    parsed = await parseInput(input, unbakeForVerify);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('parse', e.code === 'INVALID_IMAGE' || e.code === 'DUPLICATE_KEY' ? e.code : 'INVALID_INPUT', e.message, e.path);
    return { verified: false, proofs: [], checks: report.checks };
  }
  if (isPresentation(parsed)) {
    // A presentation has its own checks (holder binding, challenge, domain, freshness): verify() does not guess them.
    report.fail('parse', 'INVALID_INPUT', 'This is a verifiable presentation, not a credential: verify it with verifyPresentation (on the command line: microcred verify-presentation) giving your challenge and domain; it also verifies each credential in it', '$.type');
    return { verified: false, format: parsed.format, source: parsed.source, proofs: [], checks: report.checks };
  }
  report.pass('parse', `Read ${parsed.format === 'vc-jwt' ? (isEnvelopeJwt(parsed.jwt) ? 'a vc+jwt (VC-JOSE-COSE)' : 'a VC-JWT') : 'a JSON-LD credential'} from ${parsed.source === 'object' ? 'an object' : `${parsed.source.toUpperCase()} input`}`);
  const credential = parsed.credential;
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  // An EndorsementCredential (or any VC that is not an Open Badge) is checked as a VC: no OB schema, no EU elements.
  const isOpenBadge = types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
  isEndorsement = isEndorsement || !isOpenBadge;
  const documentLoader: DocumentLoader = options.documentLoader ?? createDocumentLoader({ contexts: options.contexts ?? {} });
  if (!(await checkSignedForm(credential, report, { documentLoader, contexts: options.contexts }))) {
    return { verified: false, format: parsed.format, source: parsed.source, credential, proofs: [], checks: report.checks };
  }

  let proofs: string[] = [];
  let proofResults: ProofOutcome['results'] | undefined;
  let finishProofs: ProofOutcome['finish'] | undefined;
  let jwtTimes: ProofOutcome['jwtTimes'];
  const now = options.now ?? new Date();
  const clockSkewSeconds = options.clockSkewSeconds ?? 300;
  try {
    const deferSafeMode = parsed.format === 'json-ld' && hasRdfcProof(credential);
    const contextsOk = await checkContexts(credential, report, { contexts: options.contexts, documentLoader, deferSafeMode });
    checkSchema(credential, report, isEndorsement);
    // An unknown context makes the proof meaningless (its terms cannot be read), so the proof is not attempted.
    if (contextsOk || parsed.format === 'vc-jwt') {
      const outcome = await checkProofs(parsed, report, { ...options, documentLoader, now, clockSkewSeconds });
      // The issuer's proofs are checked; the others wait for finishProofs, after the status lists (budget order).
      proofs = outcome.held;
      proofResults = outcome.results;
      finishProofs = outcome.finish;
      jwtTimes = outcome.jwtTimes;
      if (contextsOk === 'deferred') {
        if (outcome.safeMode === 'proven') {
          report.insertAfter('parse', { check: 'contexts', status: 'pass', message: 'All contexts known; the credential canonicalizes in JSON-LD safe mode (no undefined terms)' });
        } else if (outcome.safeMode === 'violated') {
          report.insertAfter('parse', { check: 'contexts', status: 'fail', code: outcome.safeModeFailure!.code, message: outcome.safeModeFailure!.message, path: '$' });
        } else {
          const sub = new ReportBuilder();
          await checkContexts(credential, sub, { contexts: options.contexts, documentLoader });
          for (const c of sub.checks) report.insertAfter('parse', c);
        }
      }
    } else {
      report.skip('proof', 'Not checked: the credential cannot be processed with known contexts');
      report.skip('keyBinding', 'Not checked');
    }
    checkValidity(credential, report, { now, clockSkewSeconds, ...(jwtTimes ? { jwtTimes } : {}) });
    await checkRelatedResources(credential, report, options.fetchResource, options.allowPrivateHosts === true);
    await checkCredentialStatus(credential, report, {
      ...(options.fetchStatusList ? { fetchStatusList: options.fetchStatusList } : {}),
      ...(options.statusCheck ? { statusCheck: options.statusCheck } : {}),
      now,
      ...(options.strictStatusListLength ? { strictListLength: true } : {}),
      // A status list counts only when it is signed, and signed by the credential's own issuer (as @digitalbazaar/vc's
      // verifyMatchingIssuers does): otherwise anyone could publish a list that "revokes" or "un-revokes" it.
      verifyStatusListCredential: async (list) => {
        const listIssuer = issuerIdOf(list as Record<string, unknown>);
        const allowed = options.statusListIssuers ?? 'same';
        if (listIssuer === undefined) return { verified: false, message: 'The status list credential names no issuer' };
        if ((allowed === 'same' && listIssuer !== issuerIdOf(credential)) || (Array.isArray(allowed) && !allowed.includes(listIssuer))) {
          return { verified: false, untrustedSigner: true, message: `The status list is issued by ${listIssuer}, ${allowed === 'same' ? `not by the credential's issuer ${String(issuerIdOf(credential))}` : 'which is not among the trusted statusListIssuers'}` };
        }
        const r = await verifyAt(list, { ...options, fetchStatusList: undefined, verifyEndorsements: false }, depth + 1, true);
        const bad = r.checks.filter((c) => (c.check === 'proof' || c.check === 'keyBinding') && c.status === 'fail');
        if (r.checks.some((c) => c.check === 'proof' && c.status === 'pass') && bad.length === 0) return true;
        return { verified: false, message: `The status list's own proof does not hold: ${bad.map((c) => c.message).join('; ') || 'no valid proof'}` };
      },
    });
    await finishProofs?.();
  } catch (e) {
    // A bug or a resolver that throws must not turn a verdict into an exception: report it.
    const code: CheckCode = isMicrocredError(e) ? e.code : 'INVALID_INPUT';
    report.fail('proof', code, `Verification stopped: ${(e as Error).message}`);
  }
  // Normally done after the status step above; here when a step threw first (finish is idempotent and never throws).
  await finishProofs?.();
  const euElements = isEndorsement ? undefined : checkEuElements(credential, report);
  if (!isEndorsement) checkValueConsistency(credential, report);
  const endorsements = await verifyEndorsements(credential, report, options, depth);
  return {
    verified: !report.failed,
    format: parsed.format,
    source: parsed.source,
    credential,
    proofs,
    ...(proofResults?.length ? { proofResults } : {}),
    checks: report.checks,
    ...(euElements ? { euElements } : {}),
    ...(endorsements.length ? { endorsements } : {}),
  };
}

/** Embedded EndorsementCredentials (on the credential, the achievement and the issuer) and endorsementJwt strings. */
async function verifyEndorsements(credential: Record<string, unknown>, report: ReportBuilder, options: VerifyOptions, depth: number): Promise<VerificationReport[]> {
  const subject = credential.credentialSubject as Record<string, unknown> | undefined;
  const achievement = subject?.achievement as Record<string, unknown> | undefined;
  const issuer = typeof credential.issuer === 'object' ? (credential.issuer as Record<string, unknown>) : undefined;
  const holders = [credential, achievement, issuer].filter((h): h is Record<string, unknown> => typeof h === 'object' && h !== null);
  const embedded: unknown[] = [];
  for (const holder of holders) {
    for (const key of ['endorsement', 'endorsementJwt']) {
      const value = holder[key];
      if (Array.isArray(value)) for (const item of value) embedded.push(item);
      else if (value !== undefined) embedded.push(value);
    }
  }
  if (embedded.length === 0) return [];
  if (options.verifyEndorsements === false) {
    report.skip('endorsements', `${embedded.length} endorsement(s) not verified (verifyEndorsements: false)`);
    return [];
  }
  if (depth >= MAX_ENDORSEMENT_DEPTH) {
    report.skip('endorsements', 'Nested endorsements beyond depth 2 are not verified');
    return [];
  }
  if (embedded.length > MAX_ENDORSEMENTS) {
    report.fail('endorsements', 'INVALID_ENDORSEMENT', `${embedded.length} endorsements; a verifier checks at most ${MAX_ENDORSEMENTS}, and checked none`);
    return [];
  }
  const reports: VerificationReport[] = [];
  for (const e of embedded) reports.push(await verifyAt(e, options, depth + 1, true));
  const bad = reports.filter((r) => !r.verified).length;
  if (bad) report.fail('endorsements', 'INVALID_ENDORSEMENT', `${bad} of ${reports.length} endorsement(s) did not verify`);
  else report.pass('endorsements', `${reports.length} endorsement(s) verified`);
  return reports;
}
