import { MicrocredError } from '../errors';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { validateEuMicroCredential, validateOb3Credential } from './validators.generated';

/** The JSON Schemas `validate` checks against: OB 3.0, or the EU micro-credential profile. */
export type SchemaName = 'ob3' | 'eu-microcredential';

/**
 * The schema a credential is valid against as it is written (no lenient reading), when it is: what `validate(credential)`
 * answers with `valid: true`, found without loading the module that explains invalid ones (./validate.ts, with its
 * error texts and the lenient reading), so that a page verifying valid credentials never downloads it. Undefined when
 * `validate` would answer not valid. Throws what `validate` throws for a value no JSON document can be: the validator
 * is not run a second time on a credential that made it throw (a getter that throws once, a stack that was too deep
 * the first time, must not turn into a pass).
 */
export function strictlyValidSchema(credential: unknown): SchemaName | undefined {
  const schema = hasEuAchievementType(credential) ? 'eu-microcredential' : 'ob3';
  try {
    return (schema === 'ob3' ? validateOb3Credential : validateEuMicroCredential)(credential) ? schema : undefined;
  } catch (cause) {
    throw notValidatable(cause);
  }
}

/** What `validate` throws when the validator does: only a value that is not JSON gets there (e.g. a cycle). */
export function notValidatable(cause: unknown): MicrocredError {
  return new MicrocredError('INVALID_INPUT', 'the credential is not a JSON value that can be validated', {
    path: '$',
    cause,
  });
}

/** Whether `credentialSubject.achievement.type` names our achievement type (as an array entry or a single value). */
export function hasEuAchievementType(credential: unknown): boolean {
  const type = field(field(field(credential, 'credentialSubject'), 'achievement'), 'type');
  return type === EU_ACHIEVEMENT_TYPE || (Array.isArray(type) && type.includes(EU_ACHIEVEMENT_TYPE));
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
