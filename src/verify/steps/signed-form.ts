import { mergeNodeCopies } from '../../read/merge-nodes';
import { checkSignedForm } from '../signed-form';
import { withVerdict } from '../verdict';
import type { VerifyContext } from './context';

/** Signed-form step: the credential is written the one way its keys mean what was signed (see ../signed-form.ts). */
export async function signedFormStep(ctx: VerifyContext): Promise<void> {
  const { credential, report } = ctx;
  if (!(await checkSignedForm(credential, report, { documentLoader: ctx.documentLoader, contexts: ctx.options.contexts }))) {
    ctx.done = withVerdict({ verified: false, format: ctx.parsed.format, source: ctx.parsed.source, credential, proofs: [], checks: report.checks });
    return;
  }
  // The checks after this one read the credential as signed: a node written in several places (which JSON-LD merges
  // into one) read whole wherever it is met, so that no copy hides what another says (../../read/merge-nodes.ts).
  // The proof is checked on the credential as written (ctx.parsed).
  ctx.credential = mergeNodeCopies(credential);
}
