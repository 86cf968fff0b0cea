import { checkValueConsistency } from '../consistency-step';
import type { VerifyContext } from './context';

/** Consistency step: values the credential states twice, or that constrain each other, agree (Open Badges only). */
export function consistencyStep(ctx: VerifyContext): void {
  if (!ctx.isEndorsement) checkValueConsistency(ctx.credential, ctx.report);
}
