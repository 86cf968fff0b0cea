import { checkSchema } from '../schema-step';
import type { VerifyContext } from './context';

/** Schema step: the Open Badges 3.0 JSON schema (a plain VC, such as an endorsement, gets the VC checks only). */
export function schemaStep(ctx: VerifyContext): void {
  checkSchema(ctx.credential, ctx.report, ctx.isEndorsement);
}
