import { checkSignedForm } from '../signed-form';
import { withVerdict } from '../verdict';
import type { VerifyContext } from './context';

/** Signed-form step: the credential is written the one way its keys mean what was signed (see ../signed-form.ts). */
export async function signedFormStep(ctx: VerifyContext): Promise<void> {
  const { credential, report } = ctx;
  if (!(await checkSignedForm(credential, report, { documentLoader: ctx.documentLoader, contexts: ctx.options.contexts }))) {
    ctx.done = withVerdict({ verified: false, format: ctx.parsed.format, source: ctx.parsed.source, credential, proofs: [], checks: report.checks });
  }
}
