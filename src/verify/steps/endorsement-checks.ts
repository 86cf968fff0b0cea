import type { VerificationReport } from '../report';
import type { VerifyContext } from './context';

/*
 * The endorsements step's checks and nested verifications (./endorsements.ts finds the endorsements): a module of its
 * own, loaded on demand, as few credentials carry endorsements.
 */

const MAX_ENDORSEMENT_DEPTH = 2;
/**
 * Endorsements verified per credential (on the credential, its achievement and its issuer together). Each is a full
 * verification, with proofs whose keys may have to be resolved over the network: with depth 2, this bounds one
 * credential at 16 + 16 × 16 of them, and 200,000 endorsementJwt strings cost nothing but the count.
 */
const MAX_ENDORSEMENTS = 16;

/** Verifies the endorsements `embedded` (at least one) that the endorsements step found. */
export async function verifyEndorsements(ctx: VerifyContext, embedded: readonly unknown[]): Promise<void> {
  const { report, options, depth } = ctx;
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
