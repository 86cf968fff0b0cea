import { MicrocredError, isMicrocredError } from '../errors';
import { createDocumentLoader, type DocumentLoader } from '../jsonld/loader';
import type { CheckStatusOptions } from '../status/check';
import { parseInput, type ParsedInput, type VerifiableInput } from './parse';
import { checkValueConsistency } from './consistency-step';
import { checkProofs, type ProofOptions } from './proof-step';
import { ReportBuilder, type CheckCode, type VerificationReport } from './report';
import { checkSchema } from './schema-step';
import { checkContexts, checkCredentialStatus, checkEuElements, checkValidity } from './steps';
import { unbakeForVerify } from './unbake-step';

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
}

const MAX_ENDORSEMENT_DEPTH = 2;
/**
 * Endorsements verified per credential (on the credential, its achievement and its issuer together). Each is a full
 * verification, with proofs whose keys may have to be resolved over the network: with depth 2, this bounds one
 * credential at 16 + 16 × 16 of them. 200,000 endorsementJwt strings used to overflow the stack and throw.
 */
const MAX_ENDORSEMENTS = 16;

function issuerIdOf(vc: Record<string, unknown>): string | undefined {
  const issuer = vc?.issuer;
  const id = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
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
  return verifyAt(input, withResolutionBudget(options), 0, false);
}

/**
 * `resolveDocument` and `fetchStatusList` each asked once per URL, and for at most `maxResolvedDocuments` /
 * `maxFetchedStatusLists` URLs, across the whole call (endorsements and status list credentials included).
 */
function withResolutionBudget(options: VerifyOptions): VerifyOptions {
  if (typeof options !== 'object' || options === null) return options;
  const { resolveDocument, fetchStatusList } = options;
  return {
    ...options,
    ...(typeof resolveDocument === 'function' ? { resolveDocument: budgeted(resolveDocument, options.maxResolvedDocuments ?? 8, 'RESOLVER_ERROR', 'maxResolvedDocuments') } : {}),
    ...(typeof fetchStatusList === 'function' ? { fetchStatusList: budgeted(fetchStatusList, options.maxFetchedStatusLists ?? 8, 'STATUS_ERROR', 'maxFetchedStatusLists') } : {}),
  };
}

function budgeted(load: (url: string) => Promise<unknown>, max: number, code: 'RESOLVER_ERROR' | 'STATUS_ERROR', option: string): (url: string) => Promise<unknown> {
  const asked = new Map<string, Promise<unknown>>();
  return (url: string) => {
    let pending = asked.get(url);
    if (pending === undefined) {
      if (asked.size >= max) return Promise.reject(new MicrocredError(code, `Not fetching ${url}: this verification already asked for ${max} documents (${option})`));
      // Promise.resolve().then: a fetcher that throws synchronously still ends as a rejection.
      pending = Promise.resolve().then(() => load(url));
      asked.set(url, pending);
    }
    return pending;
  };
}

async function verifyAt(input: unknown, options: VerifyOptions, depth: number, isEndorsement: boolean): Promise<VerificationReport> {
  const report = new ReportBuilder();
  let parsed: ParsedInput;
  try {
    parsed = await parseInput(input, unbakeForVerify);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('parse', e.code === 'INVALID_IMAGE' ? 'INVALID_IMAGE' : 'INVALID_INPUT', e.message, e.path);
    return { verified: false, proofs: [], checks: report.checks };
  }
  report.pass('parse', `Read ${parsed.format === 'vc-jwt' ? 'a VC-JWT' : 'a JSON-LD credential'} from ${parsed.source === 'object' ? 'an object' : `${parsed.source.toUpperCase()} input`}`);
  const credential = parsed.credential;
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  // An EndorsementCredential (or any VC that is not an Open Badge) is checked as a VC: no OB schema, no EU elements.
  const isOpenBadge = types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
  isEndorsement = isEndorsement || !isOpenBadge;
  const documentLoader: DocumentLoader = options.documentLoader ?? createDocumentLoader({ contexts: options.contexts ?? {} });

  let proofs: string[] = [];
  try {
    const deferSafeMode = parsed.format === 'json-ld' && hasRdfcProof(credential);
    const contextsOk = await checkContexts(credential, report, { contexts: options.contexts, documentLoader, deferSafeMode });
    checkSchema(credential, report, isEndorsement);
    // An unknown context makes the proof meaningless (its terms cannot be read), so the proof is not attempted.
    if (contextsOk || parsed.format === 'vc-jwt') {
      const outcome = await checkProofs(parsed, report, { ...options, documentLoader });
      proofs = outcome.held;
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
    checkValidity(credential, report, { now: options.now ?? new Date(), clockSkewSeconds: options.clockSkewSeconds ?? 300 });
    await checkCredentialStatus(credential, report, {
      ...(options.fetchStatusList ? { fetchStatusList: options.fetchStatusList } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.strictStatusListLength ? { strictListLength: true } : {}),
      // A status list counts only when it is signed, and signed by the credential's own issuer (as @digitalbazaar/vc's
      // verifyMatchingIssuers does): otherwise anyone could publish a list that "revokes" or "un-revokes" it.
      verifyStatusListCredential: async (list) => {
        const listIssuer = issuerIdOf(list as Record<string, unknown>);
        const allowed = options.statusListIssuers ?? 'same';
        if (listIssuer === undefined) return false;
        if (allowed === 'same' && listIssuer !== issuerIdOf(credential)) return false;
        if (Array.isArray(allowed) && !allowed.includes(listIssuer)) return false;
        const r = await verifyAt(list, { ...options, fetchStatusList: undefined, verifyEndorsements: false }, depth + 1, true);
        return r.checks.some((c) => c.check === 'proof' && c.status === 'pass') && r.checks.filter((c) => c.check === 'proof' || c.check === 'keyBinding').every((c) => c.status !== 'fail');
      },
    });
  } catch (e) {
    // A bug or a resolver that throws must not turn a verdict into an exception: report it.
    const code: CheckCode = isMicrocredError(e) ? (e.code as CheckCode) : 'INVALID_INPUT';
    report.fail('proof', code, `Verification stopped: ${(e as Error).message}`);
  }
  const euElements = isEndorsement ? undefined : checkEuElements(credential, report);
  if (!isEndorsement) checkValueConsistency(credential, report);
  const endorsements = await verifyEndorsements(credential, report, options, depth);
  return {
    verified: !report.failed,
    format: parsed.format,
    source: parsed.source,
    credential,
    proofs,
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
