import { checkEuElements } from '../steps';
import type { VerifyContext } from './context';

/** EU elements step: the EU micro-credential elements, read and checked (Open Badges only, not endorsements). */
export function euElementsStep(ctx: VerifyContext): void {
  if (!ctx.isEndorsement) ctx.euElements = checkEuElements(ctx.credential, ctx.report);
}
