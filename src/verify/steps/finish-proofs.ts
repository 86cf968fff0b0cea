import type { VerifyContext } from './context';

/**
 * Finishes the proofs the proof step left for later (those whose verification method the issuer does not control):
 * after the status step, so that a holder's appended proofs cannot spend the resolver budget before the issuer's
 * proof and its status list. Idempotent, and it never throws.
 */
export async function finishProofsStep(ctx: VerifyContext): Promise<void> {
  await ctx.proof?.finish();
}
