import { issuerIdOf } from '../../shared/credential';
import { checkCredentialStatus } from '../steps';
import type { VerifyContext } from './context';

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
    ...(options.strictStatusListLength ? { strictListLength: true } : {}),
    ...(options.statusListMirrors ? { statusListMirrors: options.statusListMirrors } : {}),
    ...(options.maxStatusListAgeSeconds !== undefined ? { maxStatusListAgeSeconds: options.maxStatusListAgeSeconds } : {}),
    verifyStatusListCredential: async (list) => {
      const listIssuer = issuerIdOf(list as Record<string, unknown>);
      const allowed = options.statusListIssuers ?? 'same';
      if (listIssuer === undefined) return { verified: false, message: 'The status list credential names no issuer' };
      if ((allowed === 'same' && listIssuer !== issuerIdOf(credential)) || (Array.isArray(allowed) && !allowed.includes(listIssuer))) {
        return { verified: false, untrustedSigner: true, message: `The status list is issued by ${listIssuer}, ${allowed === 'same' ? `not by the credential's issuer ${String(issuerIdOf(credential))}` : 'which is not among the trusted statusListIssuers'}` };
      }
      const r = await ctx.verifyNested(list, { ...options, fetchStatusList: undefined, verifyEndorsements: false }, ctx.depth + 1, true);
      const bad = r.checks.filter((c) => (c.check === 'proof' || c.check === 'keyBinding') && c.status === 'fail');
      if (r.checks.some((c) => c.check === 'proof' && c.status === 'pass') && bad.length === 0) return true;
      return { verified: false, message: `The status list's own proof does not hold: ${bad.map((c) => c.message).join('; ') || 'no valid proof'}` };
    },
  });
}
