import { checkConformance } from '../../schema/conformance';
import { schemaVerdict, type SchemaVerdict } from '../../schema/strictly-valid';
import { onDemand } from '../../shared/on-demand';
import { checkDataModel } from '../../vcdm/check';
import type { ReportBuilder } from '../report';
import { vcVersion } from '../vc-version';
import type { VerifyContext } from './context';

// Loaded on demand: only a credential that is not valid, even read leniently, needs the texts of its errors (a page
// verifying valid credentials never downloads them).
const loadIssues = onDemand(() => import('../../schema/issues'));

/**
 * Schema step. Lenient about JSON-LD compacted single values (a lone `proof` object, `"type": "Achievement"`), which
 * the VC model allows and most real credentials use, as 1EdTech's validator does; strict about everything else.
 */
export function checkSchema(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  isEndorsement = false,
): Promise<void> | void {
  // VC Data Model 2.0's own rules hold for every VC 2.0 credential, Open Badge or not: a verifier refuses what a
  // conforming issuer must refuse to sign (relatedResource has its own step, src/verify/steps/related-resource.ts).
  if (vcVersion(credential) === '2.0') {
    const problems = checkDataModel(credential);
    if (problems.length) {
      report.fail(
        'schema',
        'SCHEMA_VIOLATION',
        `Breaks the VC Data Model 2.0: ${problems
          .slice(0, 5)
          .map((p) => `${p.path} ${p.message}`)
          .join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
        problems[0]!.path,
      );
    }
  }
  if (vcVersion(credential) === '1.1') {
    report.skip(
      'schema',
      'VC 1.1 credential: the OB 3.0 schema describes the VC 2.0 shape; only the conformance rules were checked',
    );
  } else if (isEndorsement) {
    report.skip('schema', 'Not an OpenBadgeCredential (an endorsement or another VC): no OB 3.0 schema applies');
  } else {
    const verdict = schemaVerdict(credential);
    if (!verdict.valid) return loadIssues().then(({ toIssues }) => failSchema(toIssues, verdict, report));
    if (!verdict.lenient) report.pass('schema', `Valid against the ${verdict.schema} schema`);
    else
      report.warn(
        'schema',
        `Valid against the ${verdict.schema} schema once single values are read as arrays (JSON-LD compacted form)`,
      );
  }
  if (isEndorsement) return;
  checkConformanceOf(credential, report);
}

/**
 * The schema check of a credential not valid even once single values are read as arrays: its errors in words, as
 * `validate(credential, { lenient: true })` gives them (the step ends there). Put into words from the validator's
 * own errors on that reading: the credential is not validated again (a caller's getter gets no second chance).
 */
function failSchema(
  toIssues: typeof import('../../schema/issues').toIssues,
  verdict: Extract<SchemaVerdict, { valid: false }>,
  report: ReportBuilder,
): void {
  const errors = toIssues(verdict.errors, verdict.data, { eu: verdict.schema === 'eu-microcredential', lenient: true });
  const shown = errors
    .slice(0, 5)
    .map((e) => `${e.path} ${e.message}`)
    .join('; ');
  const more = errors.length > 5 ? ` (+${errors.length - 5} more)` : '';
  report.fail(
    'schema',
    'SCHEMA_VIOLATION',
    `Not a valid ${verdict.schema === 'eu-microcredential' ? 'EU micro-credential' : 'Open Badges 3.0 credential'}: ${shown}${more}`,
    errors[0]?.path,
  );
}

function checkConformanceOf(credential: Record<string, unknown>, report: ReportBuilder): void {
  const conformance = checkConformance(credential);
  if (!conformance.valid) {
    report.fail(
      'schema',
      'SCHEMA_VIOLATION',
      conformance.errors.map((e) => `${e.path} ${e.message}`).join('; '),
      conformance.errors[0]?.path,
    );
  }
}

/** Schema step: the Open Badges 3.0 JSON schema (a plain VC, such as an endorsement, gets the VC checks only). */
export function schemaStep(ctx: VerifyContext): Promise<void> | void {
  return checkSchema(ctx.credential, ctx.report, ctx.isEndorsement);
}
