import { MicrocredError } from '../errors';
import type { DocumentLoader } from '../jsonld/loader';
import { withTimeout } from '../proof/resolver';
import { fetchOnce } from '../shared/fetch-once';
import { onDemand } from '../shared/on-demand';
import { assertUsableClock } from '../shared/validity';
import type { CheckStatusOptions } from '../status/check';
import type { TrustOptions } from './trust';
import { MAX_FETCHED_RELATED_RESOURCES } from '../vcdm/related-resource-limits';

/** The `verify` options about proofs and keys: document loader, controller-document fetcher and timeout, JWKS, and the opt-outs for fragment keys and private hosts. */
export interface ProofOptions {
  documentLoader?: DocumentLoader;
  /**
   * Resolves a DID document (did:web, …) or an HTTPS controller document, for verification methods that cannot be
   * decoded locally. Nothing is fetched unless the caller passes this. Only did:key is decoded locally.
   */
  resolveDocument?: (url: string) => Promise<unknown>;
  /** Milliseconds a resolveDocument, fetchStatusList or fetchResource call may take (default 5,000); then it counts as failed. */
  resolverTimeoutMs?: number;
  /** Public keys for VC-JWTs whose header names a `kid` (a JWKS, e.g. the issuer's `/.well-known/jwks.json`). */
  jwks?: { keys: Record<string, unknown>[] };
  /**
   * Accept 1EdTech's `https://issuer.example/x#z6Mk…` convention, where the key is read from the verification
   * method's fragment and nothing confirms that the URL before `#` controls it. Off by default: then such a proof's
   * signature may be valid but key binding fails (KEY_UNCONFIRMED), because anyone can sign as any https issuer that
   * way. On, key binding is a warning with the same code: "signature valid, issuer's identity unconfirmed". When
   * `resolveDocument` is given, the controller document is asked first and a key it lists counts as confirmed.
   */
  acceptUnconfirmedFragmentKeys?: boolean;
  /**
   * Let `resolveDocument` (and `fetchStatusList`) be handed loopback, private and link-local hosts (127.0.0.0/8,
   * 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10, localhost…). Off by default: a credential names
   * these URLs, and a verifier's server must not be made to call its own network.
   */
  allowPrivateHosts?: boolean;
}

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
  /**
   * SD-JWT presentations: the nonce and audience the verifier gave the wallet (the Key Binding JWT must carry them),
   * how old it may be (default 300 s), and whether a KB-JWT is required even without them. With a nonce or audience
   * an SD-JWT without a KB-JWT fails (KEY_BINDING_JWT_MISSING).
   */
  keyBinding?: { nonce?: string; audience?: string; maxAgeSeconds?: number; required?: boolean };
}

/**
 * Refuses options that would silently change the verdict: a clock that is not a date (every date check would pass,
 * NaN compares false) or a negative or non-numeric clock skew. Misuse by the caller, so it throws (INVALID_INPUT),
 * the same in `verify`, `verifyPresentation`, `verifyProof`, `verifyStack` and `verifyClr`.
 */
export function checkVerifyOptions(
  options: { now?: unknown; clockSkewSeconds?: unknown; maxStatusListAgeSeconds?: unknown } | undefined,
): void {
  assertUsableClock(options?.now, options?.clockSkewSeconds);
  const maxAge = options?.maxStatusListAgeSeconds;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `options.maxStatusListAgeSeconds must be a non-negative number of seconds, got ${String(maxAge)}`,
    );
  }
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
  const timed =
    <T>(load: (url: string) => Promise<T>) =>
    (url: string) =>
      withTimeout(
        Promise.resolve().then(() => load(url)),
        timeoutMs,
        `fetching ${url}`,
      );
  return {
    ...options,
    ...(typeof resolveDocument === 'function'
      ? {
          resolveDocument: budgeted(
            resolveDocument,
            options.maxResolvedDocuments ?? 8,
            'RESOLVER_ERROR',
            'maxResolvedDocuments',
            options.allowPrivateHosts === true,
          ),
        }
      : {}),
    ...(typeof fetchStatusList === 'function'
      ? {
          fetchStatusList: budgeted(
            timed(fetchStatusList),
            options.maxFetchedStatusLists ?? 8,
            'STATUS_ERROR',
            'maxFetchedStatusLists',
            options.allowPrivateHosts === true,
          ),
        }
      : {}),
    // Related resources are URLs the credentials choose too: a presentation or CLR of 32 credentials must not mean
    // 32 × 8 fetches. Each URL once, at most MAX_FETCHED_RELATED_RESOURCES per call.
    ...(typeof options.fetchResource === 'function'
      ? {
          fetchResource: fetchOnce(timed(options.fetchResource), (url, fetched) =>
            fetched >= MAX_FETCHED_RELATED_RESOURCES
              ? new MicrocredError(
                  'INVALID_INPUT',
                  `Not fetching ${url}: this verification already fetched ${MAX_FETCHED_RELATED_RESOURCES} related resources`,
                )
              : undefined,
          ),
        }
      : {}),
  };
}

function budgeted(
  load: (url: string) => Promise<unknown>,
  max: number,
  code: 'RESOLVER_ERROR' | 'STATUS_ERROR',
  option: string,
  allowPrivateHosts: boolean,
): (url: string) => Promise<unknown> {
  let guard: HostGuard | undefined;
  const once = fetchOnce(load, (url, fetched) => {
    // A credential names these URLs: the caller's fetcher is never handed its own network (refused before the budget).
    if (!allowPrivateHosts && guard!.isPrivateHostUrl(url))
      return new MicrocredError(
        code,
        `Not fetching ${url}: it names a loopback, private or link-local host (allowPrivateHosts)`,
      );
    if (fetched >= max)
      return new MicrocredError(
        code,
        `Not fetching ${url}: this verification already asked for ${max} documents (${option})`,
      );
    return undefined;
  });
  // The host guard loads with the first fetch (a verification that fetches nothing never needs it). Every call waits
  // for it before asking `once`, so calls reach it in the order they were made and each URL is still asked once.
  return async (url) => {
    guard ??= await loadHostGuard();
    return once(url);
  };
}

type HostGuard = typeof import('../proof/host-guard');
const loadHostGuard = onDemand(() => import('../proof/host-guard'));
