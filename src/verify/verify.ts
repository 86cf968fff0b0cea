import { MicrocredError, isMicrocredError } from '../errors';
import type { CheckStatusOptions } from '../status/check';
import type { VerifiableInput } from './parse';
import type { ProofOptions } from './proof-step';
import { isPrivateHostUrl } from '../proof/host-guard';
import { withTimeout } from '../proof/resolver';
import { MAX_FETCHED_RELATED_RESOURCES } from '../vcdm/related-resource';
import type { CheckCode, VerificationReport } from './report';
import { fetchOnce } from '../shared/fetch-once';
import { VerifyContext, type VerifyStep } from './steps/context';
import { parseStep } from './steps/parse';
import { signedFormStep } from './steps/signed-form';
import { contextsStep, contextsVerdictStep, dropContextsVerdict } from './steps/contexts';
import { schemaStep } from './steps/schema';
import { proofStep } from './steps/proof';
import { validityStep } from './steps/validity';
import { relatedResourceStep } from './steps/related-resource';
import { statusStep } from './steps/status';
import { finishProofsStep } from './steps/finish-proofs';
import { euElementsStep } from './steps/eu-elements';
import { consistencyStep } from './steps/consistency';
import { endorsementsStep } from './steps/endorsements';
import { issuerIdentityStep } from './steps/issuer-identity';
import type { TrustOptions } from './trust';

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
   * The oldest status list accepted, in seconds since its `validFrom`. An older list, or one without `validFrom`,
   * fails the status check (STATUS_LIST_EXPIRED): a copy from before a revocation, kept by a cache, a mirror or a
   * wallet, cannot un-revoke the credential for longer than this. Default: no bound beyond the list's `validUntil`.
   * Lists from `microcred status publish` are valid for 48 hours and republished on a schedule (docs/cli.md).
   */
  maxStatusListAgeSeconds?: number;
  /**
   * Status lists served at another URL than their own `id` that the caller vouches for: entry URL → the list's `id`
   * (a mirror it runs, stored copies). Without an entry here, a list whose `id` is not the entry's
   * `statusListCredential` fails (STATUS_LIST_INVALID): another list of the same issuer is validly signed too.
   */
  statusListMirrors?: Readonly<Record<string, string>>;
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
  /**
   * Who may confirm the issuer's identity: trust lists and known-issuer registries (see parseTrustSource), and
   * whether a did:web / https issuer's own web domain counts. The report's `issuerTrust`, its `issuerIdentity` check
   * and its verdict say whether and by what the issuer is confirmed. Without it, every issuer is unconfirmed.
   * Confirmation never makes a credential fail: an unconfirmed issuer is a warning.
   */
  trust?: TrustOptions;
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
  const maxAge = options?.maxStatusListAgeSeconds as unknown;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0)) {
    throw new MicrocredError('INVALID_INPUT', `options.maxStatusListAgeSeconds must be a non-negative number of seconds, got ${String(maxAge)}`);
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

/** Reads the input as a credential; either step may end the verification (unreadable, a presentation, a rewritten form). */
const READ: readonly VerifyStep[] = [parseStep, signedFormStep];
/**
 * The checks, in report order. A step that throws (a bug, a resolver that throws) ends this part and is reported as
 * a failed proof check: a verdict, never an exception.
 */
const CHECKS: readonly VerifyStep[] = [contextsStep, schemaStep, proofStep, contextsVerdictStep, validityStep, relatedResourceStep, statusStep, finishProofsStep];
/** What is checked even when a check above threw. */
const CONCLUDE: readonly VerifyStep[] = [finishProofsStep, dropContextsVerdict, issuerIdentityStep, euElementsStep, consistencyStep, endorsementsStep];

/** Runs steps in order until one ends the verification (sets `ctx.done`); false then. */
async function run(steps: readonly VerifyStep[], ctx: VerifyContext): Promise<boolean> {
  for (const step of steps) {
    // Synchronous steps are not awaited: no promise per step on the hot path.
    const pending = step(ctx);
    if (pending) await pending;
    if (ctx.done) return false;
  }
  return true;
}

async function verifyAt(input: unknown, options: VerifyOptions, depth: number, isEndorsement: boolean): Promise<VerificationReport> {
  const ctx = new VerifyContext(input, options, depth, isEndorsement, verifyAt);
  if (!(await run(READ, ctx))) return ctx.done!;
  try {
    await run(CHECKS, ctx);
  } catch (e) {
    const code: CheckCode = isMicrocredError(e) ? e.code : 'INVALID_INPUT';
    ctx.report.fail('proof', code, `Verification stopped: ${(e as Error).message}`);
  }
  await run(CONCLUDE, ctx);
  return ctx.result();
}
