import { checkConformance } from '../schema/conformance';
import { validate } from '../schema/validate';
import type { ReportBuilder } from './report';
import { vcVersion } from './steps';

/**
 * Schema step. Lenient about JSON-LD compacted single values (a lone `proof` object, `"type": "Achievement"`), which
 * the VC model allows and most real credentials use, as 1EdTech's validator does; strict about everything else.
 */
export function checkSchema(credential: Record<string, unknown>, report: ReportBuilder, isEndorsement = false): void {
  if (vcVersion(credential) === '1.1') {
    report.skip('schema', 'VC 1.1 credential: the OB 3.0 schema describes the VC 2.0 shape; only the conformance rules were checked');
  } else if (isEndorsement) {
    report.skip('schema', 'Not an OpenBadgeCredential (an endorsement or another VC): no OB 3.0 schema applies');
  } else {
    const strict = validate(credential);
    const result = strict.valid ? strict : validate(credential, { lenient: true });
    if (!result.valid) {
      const shown = result.errors.slice(0, 5).map((e) => `${e.path} ${e.message}`).join('; ');
      const more = result.errors.length > 5 ? ` (+${result.errors.length - 5} more)` : '';
      report.fail('schema', 'SCHEMA_VIOLATION', `Not a valid ${result.schema === 'eu-microcredential' ? 'EU micro-credential' : 'Open Badges 3.0 credential'}: ${shown}${more}`, result.errors[0]?.path);
      return;
    }
    if (strict.valid) report.pass('schema', `Valid against the ${result.schema} schema`);
    else report.warn('schema', `Valid against the ${result.schema} schema once single values are read as arrays (JSON-LD compacted form)`);
  }
  if (isEndorsement) return;
  const conformance = checkConformance(credential);
  if (!conformance.valid) {
    report.fail('schema', 'SCHEMA_VIOLATION', conformance.errors.map((e) => `${e.path} ${e.message}`).join('; '), conformance.errors[0]?.path);
  }
}
