import { isMicrocredError } from '../errors';
import { checkSafeMode } from '../jsonld/fast/index';
import { isKnownContext, type DocumentLoader } from '../jsonld/loader';
import { readMicroCredential, type MicroCredentialView } from '../read/read';
import { checkStatus, type CheckStatusOptions, type StatusProblem } from '../status/check';
import type { CheckCode, ReportBuilder } from './report';
import { VC_CONTEXT_V1 as VC_V1, VC_CONTEXT_V2 as VC_V2 } from '../shared/contexts';
import { instantOf, windowPosition } from '../shared/validity';

/** Which VC data model the credential follows, from its first context (OB 3.0 implementation guide's rule). */
export function vcVersion(credential: Record<string, unknown>): '1.1' | '2.0' | undefined {
  const ctx = credential['@context'];
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  return first === VC_V2 ? '2.0' : first === VC_V1 ? '1.1' : undefined;
}

/** Contexts check: every context is known (bundled or given by the caller) and the document expands in safe mode. */
export async function checkContexts(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  options: { contexts?: Readonly<Record<string, unknown>>; documentLoader: DocumentLoader },
): Promise<boolean> {
  const count = checkContextList(credential, report, options.contexts);
  return count !== undefined && (await checkSafeModeExpansion(credential, report, options.documentLoader, count));
}

/**
 * The first half of the contexts check: there are contexts, the first is the VC context, and every one is known.
 * Returns how many there are, or undefined after writing the failed check.
 */
export function checkContextList(credential: Record<string, unknown>, report: ReportBuilder, contexts: Readonly<Record<string, unknown>> | undefined): number | undefined {
  const ctx = credential['@context'];
  const list = Array.isArray(ctx) ? ctx : ctx === undefined ? [] : [ctx];
  if (list.length === 0) {
    report.fail('contexts', 'INVALID_INPUT', 'The credential has no @context', '$["@context"]');
    return undefined;
  }
  if (!vcVersion(credential)) {
    report.fail('contexts', 'INVALID_INPUT', `The first @context must be ${VC_V2} (or ${VC_V1})`, '$["@context"][0]');
    return undefined;
  }
  const unknown = list.filter((c): c is string => typeof c === 'string' && !isKnownContext(c, contexts));
  if (unknown.length) {
    report.fail('contexts', 'UNKNOWN_CONTEXT', `Unknown context(s), not fetched: ${unknown.join(', ')}`, '$["@context"]');
    return undefined;
  }
  return list.length;
}

/** The second half of the contexts check: the document expands in JSON-LD safe mode (no undefined terms). */
export async function checkSafeModeExpansion(credential: Record<string, unknown>, report: ReportBuilder, documentLoader: DocumentLoader, contextCount: number): Promise<boolean> {
  try {
    await checkSafeMode(credential, { documentLoader });
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('contexts', e.code, e.message, '$');
    return false;
  }
  report.pass('contexts', `${contextCount} known context(s); the credential expands in JSON-LD safe mode (no undefined terms)`);
  return true;
}

export interface ValidityOptions {
  now: Date;
  clockSkewSeconds: number;
  /** A VC-JWT's `nbf` / `exp` (seconds): honoured even when the credential has no dates of its own. */
  jwtTimes?: { nbf?: number; exp?: number };
}

/** Validity period: validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC 1.1), with clock skew. */
export function checkValidity(credential: Record<string, unknown>, report: ReportBuilder, options: ValidityOptions): void {
  const v1 = vcVersion(credential) === '1.1';
  const fromKey = v1 ? 'issuanceDate' : 'validFrom';
  const untilKey = v1 ? 'expirationDate' : 'validUntil';
  const from = credential[fromKey];
  const until = credential[untilKey];
  const now = options.now.getTime();
  const skew = options.clockSkewSeconds * 1000;
  const parse = (value: unknown, key: string): number | undefined | null => {
    const t = instantOf(value);
    if (t !== undefined && Number.isNaN(t)) {
      report.fail('validity', 'INVALID_INPUT', `${key} is not a date-time: ${JSON.stringify(value)}`, `$.${key}`);
      return null;
    }
    return t;
  };
  const fromT = parse(from, fromKey);
  const untilT = parse(until, untilKey);
  if (fromT === null || untilT === null) return;
  // The JWT's own window binds too: its exp/nbf are signed, and a credential without dates must not outlive them.
  const { nbf, exp } = options.jwtTimes ?? {};
  if (nbf !== undefined && now + skew < nbf * 1000) {
    report.fail('validity', 'NOT_YET_VALID', `The JWT is not valid before ${new Date(nbf * 1000).toISOString()} (nbf)`);
    return;
  }
  if (exp !== undefined && now - skew > exp * 1000) {
    report.fail('validity', 'EXPIRED', `The JWT expired on ${new Date(exp * 1000).toISOString()} (exp)`);
    return;
  }
  const position = windowPosition(now, fromT, untilT, skew);
  if (position === 'not-yet-valid') {
    report.fail('validity', 'NOT_YET_VALID', `Not valid before ${String(from)}`, `$.${fromKey}`);
    return;
  }
  if (position === 'expired') {
    report.fail('validity', 'EXPIRED', `Expired on ${String(until)}`, `$.${untilKey}`);
    return;
  }
  report.pass('validity', `Valid${from ? ` from ${String(from)}` : ''}${until ? ` until ${String(until)}` : ' with no end date'}`);
}

/** The report code for each kind of status problem (docs/security.md lists them). */
const STATUS_PROBLEM_CODES: Record<StatusProblem, CheckCode> = {
  unchecked: 'STATUS_UNCHECKED',
  retrieval: 'STATUS_RETRIEVAL_ERROR',
  'untrusted-signer': 'STATUS_LIST_UNTRUSTED',
  'invalid-list': 'STATUS_LIST_INVALID',
  'expired-list': 'STATUS_LIST_EXPIRED',
  'purpose-mismatch': 'STATUS_PURPOSE_MISMATCH',
  malformed: 'STATUS_MALFORMED',
};

export interface CredentialStatusOptions extends Omit<CheckStatusOptions, 'fetchStatusList'> {
  fetchStatusList?: CheckStatusOptions['fetchStatusList'];
  /**
   * 'required' (default): a status that could not be checked fails, since a revoked credential would otherwise pass.
   * 'optional': it is a warning that says the status was not checked.
   */
  statusCheck?: 'required' | 'optional';
}

/**
 * Status: revocation/suspension through the caller's fetcher. Fails closed: a credential with a status entry whose
 * status cannot be established (no fetcher, network error, a list that does not verify, is signed by someone else,
 * has expired, serves another purpose or is malformed) fails with a code saying which, unless the caller chose
 * `statusCheck: 'optional'`, which turns exactly these into warnings.
 */
export async function checkCredentialStatus(credential: Record<string, unknown>, report: ReportBuilder, options: CredentialStatusOptions): Promise<void> {
  if (credential.credentialStatus === undefined) {
    report.pass('status', 'The credential has no credentialStatus: it cannot be revoked');
    return;
  }
  const optional = options.statusCheck === 'optional';
  const notChecked = (code: CheckCode, message: string, path?: string) => {
    if (optional) report.warn('status', `${message}. Accepted without a status check (statusCheck: 'optional')`, { code, ...(path ? { path } : {}) });
    else report.fail('status', code, message, path);
  };
  if (!options.fetchStatusList) {
    notChecked('STATUS_UNCHECKED', 'Whether the credential was revoked is unknown: it has a status entry, but no status list was available to check it (give fetchStatusList; on the command line, --status-dir)', '$.credentialStatus');
    return;
  }
  let results: Awaited<ReturnType<typeof checkStatus>>;
  try {
    results = await checkStatus(credential, { ...options, fetchStatusList: options.fetchStatusList });
  } catch (e) {
    // checkStatus refuses a credential it will not check at all (too many entries) before fetching anything.
    if (!isMicrocredError(e)) throw e;
    report.fail('status', 'STATUS_ERROR', e.message, e.path);
    return;
  }
  for (const r of results) {
    const where = r.statusListCredential ? ` (${r.statusListCredential}${r.index !== undefined ? ` #${r.index}` : ''})` : '';
    if (r.status === 'revoked') report.fail('status', 'REVOKED', `Revoked${r.revocationReason ? `: ${r.revocationReason}` : ''}${where}`, r.path);
    else if (r.status === 'suspended') report.fail('status', 'SUSPENDED', `Suspended${where}`, r.path);
    else if (r.status === 'error') notChecked(STATUS_PROBLEM_CODES[r.problem ?? 'malformed'], `Status could not be established${where}: ${r.message}`, r.path);
    else if (r.status === 'unchecked') notChecked('STATUS_UNCHECKED', `Status not checked: ${r.message}`, r.path);
    else report.pass('status', `${r.type} ${r.purpose ?? ''}: not set${where}`.replace(/\s+/g, ' '), { path: r.path });
  }
}

/** EU elements: which Annex I elements the credential states. Missing ones fail only for credentials claiming our extension. */
export function checkEuElements(credential: Record<string, unknown>, report: ReportBuilder): MicroCredentialView | undefined {
  let view: MicroCredentialView;
  try {
    view = readMicroCredential(credential);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.warn('euElements', e.message);
    return undefined;
  }
  const present = view.elements.filter((e) => e.present).length;
  if (view.missingMandatory.length === 0) {
    report.pass('euElements', `All 11 mandatory Annex I elements present (${present} of 16 elements)`);
  } else if (view.euExtension) {
    report.fail('euElements', 'MISSING_ELEMENT', `EU micro-credential without mandatory Annex I element(s): ${view.missingMandatory.join(', ')}`);
  } else {
    report.warn('euElements', `Plain Open Badge: ${present} of 16 Annex I elements present; missing mandatory: ${view.missingMandatory.join(', ')}`, { code: 'MISSING_ELEMENT' });
  }
  return view;
}
