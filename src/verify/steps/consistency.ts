import { checkMergedConsistency } from '../../read/consistency';
import type { ReportBuilder } from '../report';
import type { VerifyContext } from './context';

/**
 * Consistency step: values the credential states twice, or that constrain each other, agree (ECTS in
 * `creditsAvailable` and in `creditPoint`, the EQF alignment and `eqfLevel`, grade vs scheme and status, credits earned
 * vs a fail, dates in order). Contradictions fail; hours per ECTS outside the ECTS Users' Guide range only warn.
 * Plain JSON, no JSON-LD processing. `credential` is what mergeNodeCopies returned (a verification's `readable()`).
 */
export function checkValueConsistency(credential: Record<string, unknown>, report: ReportBuilder): void {
  const problems = checkMergedConsistency(credential);
  for (const p of problems) {
    if (p.severity === 'error')
      report.fail('consistency', 'INCONSISTENT_VALUES', `Contradiction: ${p.message}`, p.path);
    else report.warn('consistency', p.message, { code: 'INCONSISTENT_VALUES', path: p.path });
  }
  if (!problems.some((p) => p.severity === 'error'))
    report.pass('consistency', 'The values that depend on each other agree (credits, level, grade, dates)');
}

/** Consistency step: values the credential states twice, or that constrain each other, agree (Open Badges only). */
export function consistencyStep(ctx: VerifyContext): void {
  if (!ctx.isEndorsement) checkValueConsistency(ctx.readable(), ctx.report);
}
