import { issuerIdOf } from '../../shared/credential';
import { confirmIssuer } from '../trust';
import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadDomainLinkage = onDemand(() => import('../domain-linkage'));

/**
 * Issuer identity step: whether a trust source the caller gave (or, when asked, the issuer's own web domain) confirms
 * who the issuer is. Runs only with the `trust` option, for the credential itself (not endorsements or status lists),
 * and only counts once the signing key is shown to be the issuer's: a list vouches for an issuer id, and only a bound
 * key makes the credential that issuer's. Unconfirmed is a warning, never a failure: the signature may be fine.
 */
export async function issuerIdentityStep(ctx: VerifyContext): Promise<void> {
  const trust = ctx.options.trust;
  if (!trust || ctx.isEndorsement || ctx.depth > 0) return;
  const issuerId = issuerIdOf(ctx.credential);
  const keyBound =
    ctx.report.checks.some((c) => c.check === 'keyBinding' && c.status === 'pass') &&
    !ctx.report.checks.some((c) => c.check === 'keyBinding' && c.status !== 'pass');
  if (issuerId === undefined || !keyBound) {
    ctx.issuerTrust = { confirmed: false, ...(issuerId ? { issuer: issuerId } : {}) };
    ctx.report.skip(
      'issuerIdentity',
      "Not checked: the signing key is not shown to be the issuer's, so no trust source can vouch for this credential",
    );
    return;
  }
  let confirmation = confirmIssuer(issuerId, trust);
  let linkage: string | undefined;
  if (!confirmation.confirmed && trust.webDomain) {
    // Not a did:web or https issuer: the web address it claims may vouch for its DID (DIF Well-Known DID Configuration).
    // Loaded on demand, only for callers who accept a web domain as a trust source.
    const { checkDomainLinkage, httpsOriginOf } = await loadDomainLinkage();
    const origin = httpsOriginOf((ctx.credential.issuer as { url?: unknown } | undefined)?.url);
    if (origin && issuerId.startsWith('did:')) {
      const linked = await checkDomainLinkage(issuerId, origin, ctx.options, ctx.verifyNested, ctx.depth);
      const domain = new URL(origin).host;
      if (linked.linked)
        confirmation = {
          confirmed: true,
          issuer: issuerId,
          by: `the web domain ${domain}`,
          method: 'web-domain',
          domain,
        };
      else linkage = linked.message;
    }
  }
  ctx.issuerTrust = confirmation;
  if (confirmation.confirmed) {
    const known = confirmation.entry?.name
      ? ` (listed as "${confirmation.entry.name}"${confirmation.entry.location ? `, ${confirmation.entry.location}` : ''})`
      : '';
    ctx.report.pass('issuerIdentity', `The issuer ${issuerId} is confirmed by ${confirmation.by}${known}`);
  } else {
    const sources = (trust.sources ?? []).map((s) => s.name);
    const asked = [...sources, ...(trust.webDomain ? ['its web domain'] : [])];
    const who =
      asked.length === 0
        ? 'no trust source was given for'
        : asked.length === 1
          ? `${asked[0]} does not confirm`
          : `neither ${asked.join(' nor ')} confirms`;
    ctx.report.warn(
      'issuerIdentity',
      `The issuer's identity is not confirmed: ${who} ${issuerId}, so the name it gives is its own claim${linkage ? ` (${linkage})` : ''}`,
      { code: 'ISSUER_UNCONFIRMED' },
    );
  }
}
