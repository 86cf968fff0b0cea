import { checkValidity } from '../steps';
import type { VerifyContext } from './context';

/** Validity step: the validity period (and a VC-JWT's nbf/exp), with the allowed clock skew. */
export function validityStep(ctx: VerifyContext): void {
  const jwtTimes = ctx.proof?.jwtTimes;
  checkValidity(ctx.credential, ctx.report, { now: ctx.now, clockSkewSeconds: ctx.clockSkewSeconds, ...(jwtTimes ? { jwtTimes } : {}) });
}
