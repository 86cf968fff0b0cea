import type { VerificationReport } from '../report';
import type { VerifyContext } from './context';

const MAX_ENDORSEMENT_DEPTH = 2;
/**
 * Endorsements verified per credential (on the credential, its achievement and its issuer together). Each is a full
 * verification, with proofs whose keys may have to be resolved over the network: with depth 2, this bounds one
 * credential at 16 + 16 × 16 of them, and 200,000 endorsementJwt strings cost nothing but the count.
 */
const MAX_ENDORSEMENTS = 16;

/** Endorsements step: embedded EndorsementCredentials (on the credential, the achievement and the issuer) and endorsementJwt strings. */
export async function endorsementsStep(ctx: VerifyContext): Promise<void> {
  const { credential, report, options, depth } = ctx;
  const subject = credential.credentialSubject as Record<string, unknown> | undefined;
  const achievement = subject?.achievement as Record<string, unknown> | undefined;
  const issuer = typeof credential.issuer === 'object' ? (credential.issuer as Record<string, unknown>) : undefined;
  const holders = [credential, achievement, issuer].filter(
    (h): h is Record<string, unknown> => typeof h === 'object' && h !== null,
  );
  const embedded: unknown[] = [];
  for (const holder of holders) {
    for (const key of ['endorsement', 'endorsementJwt']) {
      const value = holder[key];
      if (Array.isArray(value)) for (const item of value) embedded.push(item);
      else if (value !== undefined) embedded.push(value);
    }
  }
  if (embedded.length === 0) return;
  if (options.verifyEndorsements === false) {
    report.skip('endorsements', `${embedded.length} endorsement(s) not verified (verifyEndorsements: false)`);
    return;
  }
  if (depth >= MAX_ENDORSEMENT_DEPTH) {
    report.skip('endorsements', 'Nested endorsements beyond depth 2 are not verified');
    return;
  }
  if (embedded.length > MAX_ENDORSEMENTS) {
    report.fail(
      'endorsements',
      'INVALID_ENDORSEMENT',
      `${embedded.length} endorsements; a verifier checks at most ${MAX_ENDORSEMENTS}, and checked none`,
    );
    return;
  }
  const reports: VerificationReport[] = [];
  for (const e of embedded) reports.push(await ctx.verifyNested(e, options, depth + 1, true));
  ctx.endorsements = reports;
  const bad = reports.filter((r) => !r.verified).length;
  if (bad)
    report.fail('endorsements', 'INVALID_ENDORSEMENT', `${bad} of ${reports.length} endorsement(s) did not verify`);
  else report.pass('endorsements', `${reports.length} endorsement(s) verified`);
}
