import { isMicrocredError } from '../../errors';
import { readMergedMicroCredential, type MicroCredentialView } from '../../read/read';
import type { ReportBuilder } from '../report';
import type { VerifyContext } from './context';

/** EU elements step: the EU micro-credential elements, read and checked (Open Badges only, not endorsements). */
export function euElementsStep(ctx: VerifyContext): void {
  if (!ctx.isEndorsement) ctx.euElements = checkMergedEuElements(ctx.readable(), ctx.report);
}

/**
 * EU elements: which Annex I elements the credential states. Missing ones fail only for credentials claiming our
 * extension. `credential` is what mergeNodeCopies returned (a verification's `readable()`), read as it is.
 */
export function checkMergedEuElements(
  credential: Record<string, unknown>,
  report: ReportBuilder,
): MicroCredentialView | undefined {
  let view: MicroCredentialView;
  try {
    view = readMergedMicroCredential(credential);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.warn('euElements', e.message);
    return undefined;
  }
  const present = view.elements.filter((e) => e.present).length;
  if (view.missingMandatory.length === 0) {
    report.pass('euElements', `All 11 mandatory Annex I elements present (${present} of 16 elements)`);
  } else if (view.euExtension) {
    report.fail(
      'euElements',
      'MISSING_ELEMENT',
      `EU micro-credential without mandatory Annex I element(s): ${view.missingMandatory.join(', ')}`,
    );
  } else {
    report.warn(
      'euElements',
      `Plain Open Badge: ${present} of 16 Annex I elements present; missing mandatory: ${view.missingMandatory.join(', ')}`,
      { code: 'MISSING_ELEMENT' },
    );
  }
  return view;
}
