import type { Check, PresentationReport, VerificationReport, VerdictOutcome } from '../index';
import { plainHeadline, plainReasons } from './plain-words';
import { safeDeep } from './sanitize';

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '–' } as const;

/** Whether the learner the verifier named (--learner) is the one the credential was issued to. */
export interface LearnerAnswer {
  identifier: string;
  match: 'match' | 'no-match' | 'cannot-tell';
}

/** The mark before a verdict: ✓ authentic, ! authentic with something unconfirmed or unchecked, ✗ anything else. */
export function verdictMark(outcome: VerdictOutcome): string {
  return outcome === 'authentic'
    ? '✓'
    : outcome === 'authentic-unconfirmed' || outcome === 'status-not-checked'
      ? '!'
      : '✗';
}

/** The --learner answer in words. */
export function learnerLine(answer: LearnerAnswer): string {
  const who = answer.identifier;
  if (answer.match === 'match') return `✓ Issued to ${who}`;
  if (answer.match === 'no-match') return `✗ NOT issued to ${who}: the credential names another learner`;
  return `✗ Cannot tell whether it was issued to ${who}: the credential does not name its learner in a way that can be compared (or its content cannot be trusted)`;
}

/** A check's code and JSON path, where it has them (` [DUPLICATE_KEY at $.type]`), for the technical lines. */
export function checkWhere(c: Pick<Check, 'code' | 'path'>): string {
  const where = [c.code, c.path && `at ${c.path}`].filter(Boolean).join(' ');
  return where ? ` [${where}]` : '';
}

/**
 * "et" → "Estonian", "et, en" → "Estonian, English": a language element in English words (the code as the credential
 * gives it is in --json). A tag the runtime cannot name is shown as written.
 */
export function languageWords(tags: string): string {
  return tags
    .split(/,\s*/)
    .map((tag) => {
      try {
        return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag.trim()) ?? tag;
      } catch {
        return tag; // not a well-formed language tag
      }
    })
    .join(', ');
}

/**
 * A verification report for a person: the verdict in plain words first, whether it was issued to the learner asked
 * about, the reasons behind the verdict, the EU elements (only of a credential whose proof holds), and the technical
 * checks one step away (with `details`, or --json).
 */
export function formatReport(
  unsafeReport: VerificationReport,
  options: { details?: boolean; learner?: LearnerAnswer } = {},
): string {
  // Every string in the report may come from the credential: escaped before anything is laid out. Multi-line element
  // values are split first, so that our line breaks survive and theirs do not.
  const elements = unsafeReport.verdict.elements.map((e) => ({
    label: e.label,
    lines: (e.key === 'language' ? languageWords(e.value) : e.value).split('\n'),
  }));
  // Only the verdict and the checks are laid out: the credential itself (which may nest as deep as its author liked)
  // is not copied.
  const {
    report,
    learner,
    lines: elementLines,
  } = safeDeep({
    report: { verdict: unsafeReport.verdict, checks: unsafeReport.checks },
    learner: options.learner,
    lines: elements,
  });
  const verdict = report.verdict;
  const out: string[] = [`${verdictMark(verdict.outcome)} ${plainHeadline(report)}`];
  if (learner) out.push(learnerLine(learner));
  if (verdict.reasons.length) {
    out.push('', '  Why:');
    // Two checks failing for one reason (the schema's VC rules and its Open Badges rules) read as one line.
    for (const text of plainReasons(report)) out.push(`  - ${text}`);
  }
  if (elementLines.length) {
    out.push('');
    const width = Math.max(...elementLines.map((e) => e.label.length)) + 2;
    for (const e of elementLines)
      out.push(`  ${`${e.label}:`.padEnd(width)} ${e.lines.join(`\n  ${' '.repeat(width)} `)}`);
  }
  if (options.details) {
    out.push('', '  Checks:');
    for (const c of report.checks) out.push(`  ${MARK[c.status]} ${c.check.padEnd(14)} ${c.message}${checkWhere(c)}`);
  } else {
    out.push('', '  Technical checks: add --details (or --json)');
  }
  return out.join('\n');
}

/** A presentation report in plain words: the verdict, the holder, the presentation's checks, then each credential. */
export function formatPresentationReport(report: PresentationReport): string {
  const lines = [report.verified ? 'PRESENTATION VERIFIED' : 'PRESENTATION NOT VERIFIED'];
  if (report.holder) lines.push(`  Presented by: ${safeDeep(report.holder)}`);
  lines.push('', '  Checks:');
  for (const c of safeDeep(report.checks)) lines.push(`  ${MARK[c.status]} ${c.check.padEnd(14)} ${c.message}`);
  report.credentials.forEach((r, i) => {
    lines.push('', `Credential ${i + 1} of ${report.credentials.length}:`);
    lines.push(
      ...formatReport(r, { details: true })
        .split('\n')
        .map((l) => `  ${l}`),
    );
  });
  return lines.join('\n');
}
