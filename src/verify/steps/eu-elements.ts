import { isMicrocredError } from '../../errors';
import { isElmCredential } from '../../read/elm-shape';
import type { Json } from '../../read/json';
import type { MicroCredentialView } from '../../read/read';
import { readMergedOpenBadge } from '../../read/read-merged';
import type { ReportBuilder } from '../report';
import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadElmReader = onDemand(() => import('../../read/read'));

/** EU elements step: the EU micro-credential elements, read and checked (Open Badges only, not endorsements). */
export function euElementsStep(ctx: VerifyContext): Promise<void> | void {
  if (!ctx.isEndorsement) return readEuElements(ctx);
}

/**
 * Reads and checks the EU elements of the verification's `readable()` credential into `ctx.euElements`. An Open
 * Badge is read at once; the ELM reader (an ELM / European Digital Credential) loads on demand, so a page that
 * verifies Open Badges never downloads it.
 */
export function readEuElements(ctx: VerifyContext): Promise<void> | void {
  const credential = ctx.readable();
  // One that cannot even be told apart (a caller's getter that throws) fails the step here, once: handed to a reader
  // that reads it again, a getter that throws once would pass.
  if (!isElmCredential(credential)) {
    ctx.euElements = checkMergedEuElements(credential, ctx.report, readMergedOpenBadge);
    return;
  }
  return loadElmReader().then(({ readMergedMicroCredential }) => {
    ctx.euElements = checkMergedEuElements(credential, ctx.report, readMergedMicroCredential);
  });
}

/**
 * EU elements: which Annex I elements the credential states. Missing ones fail only for credentials claiming our
 * extension. `credential` is what mergeNodeCopies returned (a verification's `readable()`), read as it is by `read`
 * (readMergedMicroCredential, or readMergedOpenBadge for a credential that is not an ELM one).
 */
export function checkMergedEuElements(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  read: (vc: Json) => MicroCredentialView,
): MicroCredentialView | undefined {
  let view: MicroCredentialView;
  try {
    view = read(credential);
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
