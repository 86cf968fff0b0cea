import { checkProofs } from '../proof-step';
import type { VerifyContext } from './context';

/**
 * Proof step: the issuer's proofs and their key binding (../proof-step.ts). The other proofs wait for
 * `finishProofsStep`, after the status step (budget order). An unknown context makes the proof meaningless (its terms
 * cannot be read), so the proof is not attempted then, except for a VC-JWT (its signature covers the JSON).
 */
export async function proofStep(ctx: VerifyContext): Promise<void> {
  const { parsed, report } = ctx;
  if (!ctx.contextsOk && parsed.format !== 'vc-jwt') {
    report.skip('proof', 'Not checked: the credential cannot be processed with known contexts');
    report.skip('keyBinding', 'Not checked');
    return;
  }
  ctx.proof = await checkProofs(parsed, report, { ...ctx.options, documentLoader: ctx.documentLoader, now: ctx.now, clockSkewSeconds: ctx.clockSkewSeconds }, ctx.credential);
}
