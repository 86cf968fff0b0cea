import { issuerIdOf } from '../../shared/credential';
import { isMicrocredError } from '../../errors';
import type { CheckStatusOptions } from '../../status/check';
import type { CheckCode, ReportBuilder } from '../report';
import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadStatusCheck = onDemand(() => import('../../status/check'));

/**
 * Status step: revocation and suspension through the caller's status list fetcher. A status list counts only when it
 * is signed, and signed by the credential's own issuer (as @digitalbazaar/vc's verifyMatchingIssuers does) or one the
 * caller trusts: otherwise anyone could publish a list that "revokes" or "un-revokes" it.
 */
export async function statusStep(ctx: VerifyContext): Promise<void> {
  const { credential, options } = ctx;
  await checkCredentialStatus(credential, ctx.report, {
    ...(options.fetchStatusList ? { fetchStatusList: options.fetchStatusList } : {}),
    ...(options.statusCheck ? { statusCheck: options.statusCheck } : {}),
    now: ctx.now,
    clockSkewSeconds: ctx.clockSkewSeconds,
    ...(options.strictStatusListLength ? { strictListLength: true } : {}),
    ...(options.statusListMirrors ? { statusListMirrors: options.statusListMirrors } : {}),
    ...(options.maxStatusListAgeSeconds !== undefined
      ? { maxStatusListAgeSeconds: options.maxStatusListAgeSeconds }
      : {}),
    verifyStatusListCredential: async (list) => {
      const listIssuer = issuerIdOf(list as Record<string, unknown>);
      const allowed = options.statusListIssuers ?? 'same';
      if (listIssuer === undefined) return { verified: false, message: 'The status list credential names no issuer' };
      if (
        (allowed === 'same' && listIssuer !== issuerIdOf(credential)) ||
        (Array.isArray(allowed) && !allowed.includes(listIssuer))
      ) {
        return {
          verified: false,
          untrustedSigner: true,
          message: `The status list is issued by ${listIssuer}, ${allowed === 'same' ? `not by the credential's issuer ${String(issuerIdOf(credential))}` : 'which is not among the trusted statusListIssuers'}`,
        };
      }
      const r = await ctx.verifyNested(
        list,
        { ...options, fetchStatusList: undefined, verifyEndorsements: false },
        ctx.depth + 1,
        true,
      );
      const bad = r.checks.filter((c) => (c.check === 'proof' || c.check === 'keyBinding') && c.status === 'fail');
      if (r.checks.some((c) => c.check === 'proof' && c.status === 'pass') && bad.length === 0) return true;
      return {
        verified: false,
        message: `The status list's own proof does not hold: ${bad.map((c) => c.message).join('; ') || 'no valid proof'}`,
      };
    },
  });
}

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
export async function checkCredentialStatus(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  options: CredentialStatusOptions,
): Promise<void> {
  if (credential.credentialStatus === undefined) {
    report.pass('status', 'The credential has no credentialStatus: it cannot be revoked');
    return;
  }
  const optional = options.statusCheck === 'optional';
  const notChecked = (code: CheckCode, message: string, path?: string) => {
    if (optional)
      report.warn('status', `${message}. Accepted without a status check (statusCheck: 'optional')`, {
        code,
        ...(path ? { path } : {}),
      });
    else report.fail('status', code, message, path);
  };
  if (!options.fetchStatusList) {
    notChecked(
      'STATUS_UNCHECKED',
      'Whether the credential was revoked is unknown: it has a status entry, but no status list was available to check it (give fetchStatusList; on the command line, --status-dir)',
      '$.credentialStatus',
    );
    return;
  }
  // Status list code loads on demand, once a credential has a status entry to check and a way to fetch its list.
  const { checkStatus } = await loadStatusCheck();
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
    const where = r.statusListCredential
      ? ` (${r.statusListCredential}${r.index !== undefined ? ` #${r.index}` : ''})`
      : '';
    if (r.status === 'revoked')
      report.fail('status', 'REVOKED', `Revoked${r.revocationReason ? `: ${r.revocationReason}` : ''}${where}`, r.path);
    else if (r.status === 'suspended') report.fail('status', 'SUSPENDED', `Suspended${where}`, r.path);
    else if (r.status === 'error')
      notChecked(r.code ?? 'STATUS_MALFORMED', `Status could not be established${where}: ${r.message}`, r.path);
    else if (r.status === 'unchecked') notChecked('STATUS_UNCHECKED', `Status not checked: ${r.message}`, r.path);
    else report.pass('status', `${r.type} ${r.purpose ?? ''}: not set${where}`.replace(/\s+/g, ' '), { path: r.path });
  }
}
