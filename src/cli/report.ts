import type { PresentationReport, VerificationReport } from '../index';
import { safeDeep } from './sanitize';

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '–' } as const;

/** A verification report in plain words: the verdict, the EU elements, then every check. */
export function formatReport(unsafeReport: VerificationReport): string {
  // Every string in the report may come from the credential: escaped before anything is laid out.
  const report = safeDeep(unsafeReport);
  const lines: string[] = [];
  lines.push(report.verified ? 'VERIFIED' : 'NOT VERIFIED');
  const eu = report.euElements;
  if (eu) {
    lines.push('');
    if (eu.title) lines.push(`  ${eu.title}`);
    const issuer = eu.awardingBodies.map((b) => b.name ?? b.id).join(', ');
    if (issuer) lines.push(`  Awarded by:        ${issuer}${eu.issuerCountries.length ? ` (${eu.issuerCountries.map((c) => [c.country?.label ?? c.code, c.region].filter(Boolean).join(', ')).join('; ')})` : ''}`);
    if (eu.dateOfIssuing) lines.push(`  Issued:            ${eu.dateOfIssuing}`);
    if (eu.learner.id || eu.learner.identifiers.length) lines.push(`  Learner:           ${eu.learner.id ?? eu.learner.identifiers.map((i) => `${i.identityType}${i.hashed ? ' (hashed)' : `: ${i.identityHash}`}`).join(', ')}`);
    if (eu.workload.ects !== undefined || eu.workload.hours !== undefined) lines.push(`  Workload:          ${[eu.workload.ects !== undefined ? `${eu.workload.ects} ECTS` : '', eu.workload.hours ? `${eu.workload.hours} hours` : ''].filter(Boolean).join(', ')}${eu.workload.ectsEarned !== undefined ? `; earned ${eu.workload.ectsEarned} ECTS` : ''}`);
    if (eu.level.eqf) lines.push(`  Level:             EQF ${eu.level.eqf}${eu.level.qfEheaCycle ? `, ${eu.level.qfEheaCycle.label ?? eu.level.qfEheaCycle.id}` : ''}`);
    if (eu.learningOutcomes.length) lines.push(`  Learning outcomes: ${eu.learningOutcomes.map((o) => o.text).join('\n                     ')}`);
    if (eu.assessment.length) lines.push(`  Assessment:        ${eu.assessment.map((a) => a.type?.label ?? a.name ?? a.type?.id).join(', ')}`);
    if (eu.participation.modes.length) lines.push(`  Participation:     ${eu.participation.modes.map((m) => m.label ?? m.id).join(', ')}`);
    if (eu.qualityAssurance.length) lines.push(`  Quality assurance: ${eu.qualityAssurance.map((q) => q.name ?? q.type?.label).join(', ')}`);
    if (eu.prerequisites) lines.push(`  Prerequisites:     ${eu.prerequisites}`);
    if (eu.supervision) lines.push(`  Supervision:       ${eu.supervision.label ?? eu.supervision.id}`);
    if (eu.grade?.value) lines.push(`  Grade:             ${eu.grade.value}${eu.grade.status ? ` (${eu.grade.status})` : ''}`);
    if (eu.stackability.option || eu.stackability.isPartOf.length) lines.push(`  Stackability:      ${[eu.stackability.option?.label, eu.stackability.isPartOf.length ? `part of ${eu.stackability.isPartOf.join(', ')}` : ''].filter(Boolean).join('; ')}`);
    if (eu.missingMandatory.length) lines.push(`  Missing Annex I elements: ${eu.missingMandatory.join(', ')}`);
  }
  lines.push('', '  Checks:');
  for (const c of report.checks) lines.push(`  ${MARK[c.status]} ${c.check.padEnd(12)} ${c.message}`);
  return lines.join('\n');
}

/** A presentation report in plain words: the verdict, the holder, the presentation's checks, then each credential. */
export function formatPresentationReport(report: PresentationReport): string {
  const lines = [report.verified ? 'PRESENTATION VERIFIED' : 'PRESENTATION NOT VERIFIED'];
  if (report.holder) lines.push(`  Presented by: ${report.holder}`);
  lines.push('', '  Checks:');
  for (const c of report.checks) lines.push(`  ${MARK[c.status]} ${c.check.padEnd(14)} ${c.message}`);
  report.credentials.forEach((r, i) => {
    lines.push('', `Credential ${i + 1} of ${report.credentials.length}:`);
    lines.push(...formatReport(r).split('\n').map((l) => `  ${l}`));
  });
  return lines.join('\n');
}
