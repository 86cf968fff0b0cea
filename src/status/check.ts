import { MicrocredError, childPath, describeThrown, isMicrocredError, type ErrorCode } from '../errors';
import { MIN_STATUS_LIST_ENTRIES, decodeBitstring, type Bitstring } from './bitstring';
import { isRecord } from '../shared/json';
import { fetchOnce } from '../shared/fetch-once';
import { instantOf, windowPosition } from '../shared/validity';
import { readOnce } from '../shared/read-once';
import { protoKeyPath } from '../shared/proto-key';

/**
 * Status checking for the three `credentialStatus` types met with Open Badges 3.0:
 *
 * - `BitstringStatusListEntry` — W3C Bitstring Status List v1.0 (Recommendation, May 2025), §3.2 "Validate".
 * - `StatusList2021Entry` — its VC 1.1 predecessor: same bit layout, list credential type
 *   `StatusList2021Credential` / subject `StatusList2021`, `encodedList` without the multibase `u`.
 * - `1EdTechRevocationList` — 1EdTech VCRL 1.0: a JSON list of revoked credential ids.
 *
 * Network access is the caller's: `fetchStatusList` returns the parsed document for a URL. Nothing here
 * throws for a problem with a status entry or its list; each entry gets a result, and problems are
 * `status: 'error'` with code STATUS_ERROR so the caller's policy decides what an unreadable list means.
 */

export type StatusOutcome =
  /** Entry read and its value is 0: not revoked / not suspended / no flag. */
  | 'ok'
  | 'revoked'
  | 'suspended'
  /** Non-zero value for another purpose (`refresh`, `message`, custom); see `statusMessage`. */
  | 'set'
  /** Status type not supported, or nothing to look up; the caller decides whether that matters. */
  | 'unchecked'
  /** The status could not be determined; see `code` and `message`. */
  | 'error';

/**
 * Why a status could not be established, one code per kind of problem (the same code the verification report's
 * `status` check carries): no supported entry to look up, the list could not be fetched, is signed by a party the
 * caller does not trust, does not verify (tampered, unsigned, another list), has expired or is too old, serves
 * another purpose, or the entry or list is malformed (a bad index, an undecodable or oversized list, too short under
 * strict length checking). The message ends with the Bitstring Status List spec's error name, for readers of the spec.
 */
export type StatusCode = Extract<
  ErrorCode,
  | 'STATUS_UNCHECKED'
  | 'STATUS_RETRIEVAL_ERROR'
  | 'STATUS_LIST_UNTRUSTED'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_LIST_EXPIRED'
  | 'STATUS_PURPOSE_MISMATCH'
  | 'STATUS_MALFORMED'
>;

/** Which kind of problem a failure is, as the checks below name it; each is one StatusCode and one spec error name. */
type Problem =
  | 'retrieval'
  | 'untrusted-signer'
  | 'invalid-list'
  | 'expired-list'
  | 'purpose-mismatch'
  | 'malformed'
  | 'range'
  | 'length';

const PROBLEMS: Record<Problem, { code: StatusCode; spec: string }> = {
  retrieval: { code: 'STATUS_RETRIEVAL_ERROR', spec: 'STATUS_RETRIEVAL_ERROR' },
  'untrusted-signer': { code: 'STATUS_LIST_UNTRUSTED', spec: 'STATUS_VERIFICATION_ERROR' },
  'invalid-list': { code: 'STATUS_LIST_INVALID', spec: 'STATUS_VERIFICATION_ERROR' },
  'expired-list': { code: 'STATUS_LIST_EXPIRED', spec: 'STATUS_VERIFICATION_ERROR' },
  'purpose-mismatch': { code: 'STATUS_PURPOSE_MISMATCH', spec: 'STATUS_VERIFICATION_ERROR' },
  malformed: { code: 'STATUS_MALFORMED', spec: 'MALFORMED_VALUE_ERROR' },
  range: { code: 'STATUS_MALFORMED', spec: 'RANGE_ERROR' },
  length: { code: 'STATUS_MALFORMED', spec: 'STATUS_LIST_LENGTH_ERROR' },
};

/** What `verifyStatusListCredential` may answer: a boolean, or a verdict saying why a list does not count. */
export interface StatusListVerdict {
  verified: boolean;
  /** The list is signed, but not by a party the caller trusts for this credential. */
  untrustedSigner?: boolean;
  /** Why not, in plain words. */
  message?: string;
}

/** The outcome of checking one status entry: its purpose, index and status, or a code and the reason in plain words. */
export interface StatusCheckResult {
  /** `credentialStatus.type` as written ('' when absent). */
  type: string;
  /** The entry's `statusPurpose` (`revocation` for 1EdTech lists). */
  purpose?: string;
  status: StatusOutcome;
  /** `statusListIndex` as a number, when readable. */
  index?: number;
  /** Set when `status` is 'error' or 'unchecked': which kind of problem it is. */
  code?: StatusCode;
  message: string;
  /** JSON path of the entry in the credential, e.g. `$.credentialStatus[1]`. */
  path: string;
  /** URL of the list that was consulted. */
  statusListCredential?: string;
  /** Raw entry value (bitstring lists). */
  value?: number;
  /** `statusMessage[].message` for the value, when the entry defines messages. */
  statusMessage?: string;
  /** 1EdTech lists: the `revocationReason` given for this credential. */
  revocationReason?: string;
  /** Things that did not change the verdict but a careful verifier wants to know. */
  warnings?: string[];
}

/** Options of `checkStatus`: how to fetch and verify status list credentials, the clock, and the list-length rules. */
export interface CheckStatusOptions {
  /** Returns the parsed JSON document at `url`; throw or reject if it cannot be retrieved. */
  fetchStatusList: (url: string) => Promise<unknown>;
  /**
   * Verifies the proof of a fetched status list credential. Without it the list is used unverified and
   * the result carries a warning — the spec requires proofs to be checked (§3.2 step 4).
   */
  verifyStatusListCredential?: (vc: unknown) => Promise<boolean | StatusListVerdict>;
  /** Reference time for the list credential's validity window; defaults to now. */
  now?: Date;
  /**
   * Seconds a list's `validFrom` may lie ahead of `now` (default 0): a list published a moment after the
   * verification started (a service that publishes on demand, a publisher whose clock runs ahead) is not refused as
   * not yet valid. Expiry and `maxStatusListAgeSeconds` get no tolerance.
   */
  clockSkewSeconds?: number;
  /**
   * Minimum number of entries a bitstring list must have; defaults to the spec's 131,072. The spec lets
   * an ecosystem set a lower bound, and lists of 100,000 entries are in real use (Digital Credentials
   * Consortium), so by default a shorter list is only a warning. Set `strictListLength` to make it an error.
   */
  minimumEntries?: number;
  /** Make a list shorter than `minimumEntries` an error (STATUS_LIST_LENGTH_ERROR) instead of a warning. */
  strictListLength?: boolean;
  /**
   * The oldest status list accepted, in seconds since its `validFrom` (or `issuanceDate`). A list older than this, or
   * one with no `validFrom` to tell its age by, is refused as stale ('expired-list'): without a bound, a copy saved
   * before a revocation (by a cache, a mirror, a wallet) would un-revoke the credential for as long as it is served.
   * Default: no bound beyond the list's own `validUntil`.
   */
  maxStatusListAgeSeconds?: number;
  /**
   * Lists the caller knows to be served at another URL than their own `id` (a mirror, a moved host, stored test
   * fixtures): entry URL → the `id` the list there carries. Each pair is the caller's statement; a list's own claim
   * is never enough. Default none: a list counts only when its `id` is the entry's `statusListCredential`.
   */
  statusListMirrors?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

/**
 * Status entries checked per credential. Each may name another list to fetch: without a bound, one credential could
 * make a verifier fetch thousands of URLs of the holder's choosing. Real credentials carry one or two.
 */
const MAX_STATUS_ENTRIES = 16;

/**
 * Checks every `credentialStatus` entry of a credential (object or array form) and returns one result per
 * entry, in order. Returns `[]` when the credential has no `credentialStatus`. More than 16 entries are refused
 * (INVALID_INPUT) before anything is fetched.
 */
export async function checkStatus(credential: unknown, options: CheckStatusOptions): Promise<StatusCheckResult[]> {
  if (!isRecord(credential)) {
    throw new MicrocredError('INVALID_INPUT', 'checkStatus needs a credential object', { path: '$' });
  }
  if (typeof options?.fetchStatusList !== 'function') {
    throw new MicrocredError('INVALID_INPUT', 'checkStatus needs options.fetchStatusList');
  }
  const skew = options.clockSkewSeconds;
  // An unreadable tolerance would switch the not-yet-valid check off: refuse it.
  if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0))
    throw new MicrocredError('INVALID_INPUT', 'clockSkewSeconds must be a number of seconds, 0 or more', {
      path: '$.clockSkewSeconds',
    });
  // What this reads of a caller's credential (its id and entries) is read once, into plain data: a getter must not show
  // one check an entry and the next another, and one that throws is bad input, not a crash.
  let raw: unknown;
  let id: unknown;
  try {
    ({ credentialStatus: raw, id } = readOnce({
      credentialStatus: credential['credentialStatus'],
      id: credential['id'],
    }));
  } catch (e) {
    if (isMicrocredError(e)) throw e;
    throw new MicrocredError('INVALID_INPUT', `The credential's status entries cannot be read: ${describeThrown(e)}`, {
      path: '$.credentialStatus',
    });
  }
  if (raw === undefined || raw === null) return [];
  const entries = Array.isArray(raw) ? raw : [raw];
  if (entries.length > MAX_STATUS_ENTRIES) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `The credential has ${entries.length} credentialStatus entries; at most ${MAX_STATUS_ENTRIES} are checked`,
      { path: '$.credentialStatus' },
    );
  }
  // One fetch per URL per call: a credential often has a revocation and a suspension entry on one list.
  const context: Context = {
    options,
    now: options.now ?? new Date(),
    credentialId: typeof id === 'string' ? id : undefined,
    fetchOnce: fetchOnce((url) => options.fetchStatusList(url)),
  };
  const results: StatusCheckResult[] = [];
  for (let i = 0; i < entries.length; i++) {
    const path = Array.isArray(raw) ? childPath('$.credentialStatus', i) : '$.credentialStatus';
    results.push(await checkEntry(entries[i], path, context));
  }
  return results;
}

interface Context {
  options: CheckStatusOptions;
  now: Date;
  credentialId: string | undefined;
  fetchOnce: (url: string) => Promise<unknown>;
}

async function checkEntry(entry: unknown, path: string, ctx: Context): Promise<StatusCheckResult> {
  if (!isRecord(entry)) {
    return fail({ type: '', path }, 'malformed', 'credentialStatus entry is not an object');
  }
  const type = typeOf(entry);
  try {
    switch (type) {
      case 'BitstringStatusListEntry':
        return await checkBitstringEntry(entry, path, ctx, BITSTRING_FLAVOUR);
      case 'StatusList2021Entry':
        return await checkBitstringEntry(entry, path, ctx, STATUS_LIST_2021_FLAVOUR);
      case '1EdTechRevocationList':
        return await checkRevocationList(entry, path, ctx);
      default:
        return {
          type,
          path,
          status: 'unchecked',
          code: 'STATUS_UNCHECKED',
          message: type ? `Unsupported credentialStatus type "${type}"` : 'credentialStatus has no type',
        };
    }
  } catch (e) {
    // Safety net: the checks above report problems as results, but a caller-supplied verifier or an
    // unforeseen input must still not turn into a throw from checkStatus.
    return fail({ type, path }, 'invalid-list', `Status check failed: ${errorMessage(e)}`);
  }
}

/** What differs between Bitstring Status List and StatusList2021; everything else is shared. */
interface Flavour {
  listCredentialType: string;
  subjectType: string;
  /** StatusList2021 has no statusSize/statusMessage; entries there are single bits. */
  multiBit: boolean;
}
const BITSTRING_FLAVOUR: Flavour = {
  listCredentialType: 'BitstringStatusListCredential',
  subjectType: 'BitstringStatusList',
  multiBit: true,
};
const STATUS_LIST_2021_FLAVOUR: Flavour = {
  listCredentialType: 'StatusList2021Credential',
  subjectType: 'StatusList2021',
  multiBit: false,
};

async function checkBitstringEntry(
  entry: Json,
  path: string,
  ctx: Context,
  flavour: Flavour,
): Promise<StatusCheckResult> {
  const type = typeOf(entry);
  const base: EntryBase = { type, path };
  const warnings: string[] = [];
  const fields = readBitstringEntry(entry, base, warnings, flavour);
  if ('status' in fields) return fields;
  const list = await fetchListCredential(fields, base, warnings, ctx, flavour);
  if ('status' in list) return list;
  return readEntryValue(fields, list.encoded, base, warnings, ctx);
}

/** What a result carries before it has a status; the sections below fill it in as they read. */
type EntryBase = Partial<StatusCheckResult> & { type: string; path: string };

/** A bitstring entry's own members, read and checked. */
interface BitstringEntryFields {
  purpose: string;
  index: number;
  url: string;
  statusSize: number;
  messages: Array<{ status: number; message: string }> | undefined;
}

/** The entry itself (spec §2.1): its purpose, index, list URL and (multi-bit lists) size and messages. */
function readBitstringEntry(
  entry: Json,
  base: EntryBase,
  warnings: string[],
  flavour: Flavour,
): BitstringEntryFields | StatusCheckResult {
  const purpose = entry['statusPurpose'];
  if (typeof purpose !== 'string' || purpose.length === 0) {
    return fail(base, 'malformed', 'statusPurpose is missing or not a string');
  }
  base.purpose = purpose;
  const index = parseIndex(entry['statusListIndex']);
  if (index === undefined) {
    return fail(base, 'malformed', 'statusListIndex must be a non-negative base-10 integer string');
  }
  base.index = index;
  if (typeof entry['statusListIndex'] === 'number') {
    warnings.push('statusListIndex is a JSON number; the spec requires a base-10 string');
  }
  const url = entry['statusListCredential'];
  if (typeof url !== 'string' || !isAbsoluteUrl(url)) {
    return fail(base, 'malformed', 'statusListCredential is missing or not a URL');
  }
  base.statusListCredential = url;
  if (entry['id'] === url) {
    // Spec §2.1: the entry id MUST NOT be the list URL. It plays no part in validation, so only note it.
    warnings.push('credentialStatus.id equals the status list URL, which the spec forbids');
  }

  let statusSize = 1;
  let messages: Array<{ status: number; message: string }> | undefined;
  if (flavour.multiBit) {
    const size = entry['statusSize'];
    if (size !== undefined) {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
        return fail(base, 'malformed', 'statusSize must be an integer greater than zero');
      }
      if (size > 8) return fail(base, 'malformed', `statusSize ${size} is not supported (at most 8)`);
      statusSize = size;
    }
    const parsed = parseStatusMessages(entry['statusMessage'], statusSize);
    if (typeof parsed === 'string') return fail(base, 'malformed', parsed);
    messages = parsed;
  }
  return { purpose, index, url, statusSize, messages };
}

/** The list credential (§3.2 steps 4–5): fetched, its proof verified, its type, dates, subject and purpose checked. */
async function fetchListCredential(
  fields: BitstringEntryFields,
  base: EntryBase,
  warnings: string[],
  ctx: Context,
  flavour: Flavour,
): Promise<{ encoded: string } | StatusCheckResult> {
  const { url, purpose } = fields;
  let list: unknown;
  try {
    list = parseIfText(await ctx.fetchOnce(url));
  } catch (e) {
    return fail(base, 'retrieval', `Could not retrieve status list ${url}: ${errorMessage(e)}`);
  }
  if (!isRecord(list)) return fail(base, 'retrieval', `Status list ${url} is not a JSON object`);
  // The list must be the one the entry names: another list of the same issuer (its next list, a list for another
  // purpose), or a list with no id, is validly signed too and would report another credential's bit.
  const mirrors = ctx.options.statusListMirrors;
  const expectedId = mirrors !== undefined && Object.hasOwn(mirrors, url) ? mirrors[url] : url;
  if (list['id'] !== expectedId) {
    const named = typeof list['id'] === 'string' ? `is ${list['id']}` : 'has no id';
    return fail(
      base,
      'invalid-list',
      `The status list served for ${url} ${named}: a list counts only at the URL it names`,
    );
  }

  const verify = ctx.options.verifyStatusListCredential;
  if (verify) {
    let verdict: boolean | StatusListVerdict;
    try {
      verdict = await verify(list);
    } catch (e) {
      return fail(base, 'invalid-list', `Status list credential proof could not be verified: ${errorMessage(e)}`);
    }
    if (verdict !== true && !(isRecord(verdict) && verdict.verified === true)) {
      const v = isRecord(verdict) ? (verdict as StatusListVerdict) : undefined;
      return fail(
        base,
        v?.untrustedSigner ? 'untrusted-signer' : 'invalid-list',
        v?.message ?? 'Status list credential proof does not verify',
      );
    }
  } else {
    warnings.push('The status list credential proof was not verified (no verifyStatusListCredential given)');
  }

  if (!typesOf(list).includes(flavour.listCredentialType)) {
    return fail(base, 'invalid-list', `Status list credential type does not include ${flavour.listCredentialType}`);
  }
  const windowProblem =
    validityProblem(list, ctx.now, (ctx.options.clockSkewSeconds ?? 0) * 1000) ??
    ageProblem(list, ctx.now, ctx.options.maxStatusListAgeSeconds);
  if (windowProblem) return fail(base, 'expired-list', windowProblem);

  const subject = pickSubject(list['credentialSubject'], flavour.subjectType);
  if (!subject) {
    return fail(base, 'invalid-list', `Status list credentialSubject is not of type ${flavour.subjectType}`);
  }
  const listPurposes = stringsOf(subject['statusPurpose']);
  if (!listPurposes.includes(purpose)) {
    return fail(
      base,
      'purpose-mismatch',
      `Entry purpose "${purpose}" does not match the list's statusPurpose (${listPurposes.map((p) => `"${p}"`).join(', ') || 'none'})`,
    );
  }
  const encoded = subject['encodedList'];
  if (typeof encoded !== 'string') return fail(base, 'malformed', 'Status list has no encodedList string');
  if (flavour === BITSTRING_FLAVOUR && !encoded.startsWith('u')) {
    warnings.push('encodedList lacks the multibase "u" prefix required by Bitstring Status List');
  }
  return { encoded };
}

/** Expand the list and read the entry's value (§3.2 steps 6–10). */
async function readEntryValue(
  fields: BitstringEntryFields,
  encoded: string,
  base: EntryBase,
  warnings: string[],
  ctx: Context,
): Promise<StatusCheckResult> {
  const { index, purpose, statusSize, messages } = fields;
  let bits: Bitstring;
  try {
    bits = await decodeBitstring(encoded, { statusSize });
  } catch (e) {
    return fail(base, 'malformed', `Could not decode encodedList: ${errorMessage(e)}`);
  }
  const minimum = ctx.options.minimumEntries ?? MIN_STATUS_LIST_ENTRIES;
  if (bits.entries < minimum) {
    const text = `Status list has ${bits.entries} entries, fewer than the ${minimum} required for group privacy`;
    if (ctx.options.strictListLength) return fail(base, 'length', text);
    warnings.push(`${text} (STATUS_LIST_LENGTH_ERROR tolerated)`);
  }
  if (index >= bits.entries) {
    return fail(base, 'range', `statusListIndex ${index} is outside the list (0..${bits.entries - 1})`);
  }
  const value = bits.getValue(index);
  const statusMessage = messages?.find((m) => m.status === value)?.message;
  const status: StatusOutcome =
    value === 0 ? 'ok' : purpose === 'revocation' ? 'revoked' : purpose === 'suspension' ? 'suspended' : 'set';
  const result: StatusCheckResult = {
    ...base,
    status,
    value,
    message: describe(status, purpose, value, statusMessage),
  };
  if (statusMessage !== undefined) result.statusMessage = statusMessage;
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

async function checkRevocationList(entry: Json, path: string, ctx: Context): Promise<StatusCheckResult> {
  const base: Partial<StatusCheckResult> & { type: string; path: string } = {
    type: typeOf(entry),
    path,
    purpose: 'revocation',
  };
  const url = entry['id'];
  if (typeof url !== 'string' || !isAbsoluteUrl(url)) {
    return fail(base, 'malformed', '1EdTechRevocationList needs the list URL in credentialStatus.id');
  }
  base.statusListCredential = url;
  if (ctx.credentialId === undefined) {
    // The list is keyed by credential id (VCRL 1.0): without one there is nothing to look up.
    return {
      ...base,
      status: 'unchecked',
      code: 'STATUS_UNCHECKED',
      message: 'The credential has no id, so it cannot be looked up in a 1EdTech revocation list',
    };
  }
  let list: unknown;
  try {
    list = parseIfText(await ctx.fetchOnce(url));
  } catch (e) {
    return fail(base, 'retrieval', `Could not retrieve revocation list ${url}: ${errorMessage(e)}`);
  }
  if (!isRecord(list)) return fail(base, 'retrieval', `Revocation list ${url} is not a JSON object`);
  // VCRL 1.0 names the array `revokedCredentials` (as 1EdTech's validator reads it); the singular is
  // accepted too because it appears in secondary descriptions of the format.
  const items = list['revokedCredentials'] ?? list['revokedCredential'];
  const warnings: string[] = [];
  if (items === undefined) warnings.push('The revocation list has no revokedCredentials array; treated as empty');
  else if (!Array.isArray(items)) return fail(base, 'malformed', 'revokedCredentials is not an array');
  const hit = (Array.isArray(items) ? items : []).find(
    (item): item is Json =>
      isRecord(item) &&
      item['id'] === ctx.credentialId &&
      (item['revoked'] === undefined || item['revoked'] === true || item['revoked'] === 'true'),
  );
  const result: StatusCheckResult = hit
    ? { ...base, status: 'revoked', message: 'The credential is listed as revoked by its issuer' }
    : { ...base, status: 'ok', message: "The credential is not on its issuer's revocation list" };
  if (hit && typeof hit['revocationReason'] === 'string') {
    result.revocationReason = hit['revocationReason'];
    result.message += `: ${hit['revocationReason']}`;
  }
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

// ---------------------------------------------------------------------------------------------------------

function fail(
  base: Partial<StatusCheckResult> & { type: string; path: string },
  problem: Problem,
  message: string,
): StatusCheckResult {
  const { code, spec } = PROBLEMS[problem];
  return { ...base, status: 'error', code, message: `${message} (${spec})` };
}

function describe(status: StatusOutcome, purpose: string, value: number, statusMessage: string | undefined): string {
  const suffix = statusMessage !== undefined ? ` — "${statusMessage}"` : '';
  switch (status) {
    case 'ok':
      return `Status "${purpose}" is not set${suffix}`;
    case 'revoked':
      return `The credential has been revoked${suffix}`;
    case 'suspended':
      return `The credential is suspended${suffix}`;
    default:
      return `Status "${purpose}" has value 0x${value.toString(16)}${suffix}`;
  }
}

/** statusListIndex: a base-10 string per spec; a JSON number is tolerated (1EdTech's own fixtures use one). */
function parseIndex(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Spec §2.1: required when statusSize > 1, with exactly 2^statusSize items of `{status: "0x…", message}`. */
function parseStatusMessages(
  value: unknown,
  statusSize: number,
): Array<{ status: number; message: string }> | string | undefined {
  if (value === undefined) {
    return statusSize > 1 ? `statusMessage is required when statusSize is ${statusSize}` : undefined;
  }
  const needed = 2 ** statusSize;
  if (!Array.isArray(value) || value.length !== needed) return `statusMessage must be an array of ${needed} items`;
  const out: Array<{ status: number; message: string }> = [];
  for (const item of value) {
    if (
      !isRecord(item) ||
      typeof item['status'] !== 'string' ||
      !/^0x[0-9a-f]+$/i.test(item['status']) ||
      typeof item['message'] !== 'string'
    ) {
      return 'each statusMessage item needs a "0x…" status and a message string';
    }
    out.push({ status: parseInt(item['status'].slice(2), 16), message: item['message'] });
  }
  return out;
}

/** validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC 1.1 lists, e.g. StatusList2021). */
function validityProblem(list: Json, now: Date, skewMs: number): string | undefined {
  const from = list['validFrom'] ?? list['issuanceDate'];
  const until = list['validUntil'] ?? list['expirationDate'];
  const t = now.getTime();
  const fromMs = instantOf(from);
  if (Number.isNaN(fromMs)) return 'Status list credential has an unreadable validFrom';
  if (windowPosition(t, fromMs, undefined, skewMs) === 'not-yet-valid')
    return `Status list credential is not valid until ${String(from)}`;
  const untilMs = instantOf(until);
  if (Number.isNaN(untilMs)) return 'Status list credential has an unreadable validUntil';
  if (windowPosition(t, undefined, untilMs) === 'expired') return `Status list credential expired at ${String(until)}`;
  return undefined;
}

/** The list is no older than the caller accepts; a list that gives no date cannot show its age and is refused. */
function ageProblem(list: Json, now: Date, maxAgeSeconds: number | undefined): string | undefined {
  if (maxAgeSeconds === undefined) return undefined;
  const from = list['validFrom'] ?? list['issuanceDate'];
  const fromMs = instantOf(from);
  if (fromMs === undefined || Number.isNaN(fromMs))
    return `Status list credential has no validFrom, so its age cannot be checked against the ${maxAgeSeconds} s allowed`;
  const ageSeconds = Math.floor((now.getTime() - fromMs) / 1000);
  if (ageSeconds > maxAgeSeconds)
    return `Status list credential is stale: published ${String(from)}, ${ageSeconds} s ago, more than the ${maxAgeSeconds} s allowed (maxStatusListAgeSeconds); fetch a fresh copy from the issuer`;
  return undefined;
}

function pickSubject(subject: unknown, wanted: string): Json | undefined {
  const candidates = Array.isArray(subject) ? subject : [subject];
  return candidates.find((s): s is Json => isRecord(s) && typesOf(s).includes(wanted));
}

/** Fetchers may hand back the response text; parse it so they need not care. */
/**
 * The fetcher's answer as plain data: JSON text parsed, an object read once (../shared/read-once.ts), so that the
 * list's proof and its bits are read from one reading (a getter could otherwise show the proof the signed list and
 * the bit check another). An object that cannot be read is not a list.
 */
function parseIfText(doc: unknown): unknown {
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return readOnce(doc);
  if (typeof doc !== 'string') return doc;
  try {
    const parsed = JSON.parse(doc) as unknown;
    // A member named __proto__ could make the list's fields read as something else (../shared/proto-key.ts): not a list.
    return protoKeyPath(parsed) === undefined ? parsed : doc;
  } catch {
    return doc;
  }
}

function typeOf(obj: Json): string {
  const t = obj['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string').join(',');
  return '';
}

function typesOf(obj: Json): string[] {
  return stringsOf(obj['type']);
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((x): x is string => typeof x === 'string');
  return [];
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
