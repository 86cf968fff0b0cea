import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { validateEuMicroCredential, validateOb3Credential } from './validators.generated';

/** The JSON Schemas `validate` checks against: OB 3.0, or the EU micro-credential profile. */
export type SchemaName = 'ob3' | 'eu-microcredential';

/**
 * The schema a credential is valid against as it is written (no lenient reading), when it is: what `validate(credential)`
 * answers with `valid: true`, found without loading the module that explains invalid ones (./validate.ts, with its
 * error texts and the lenient reading), so that a page verifying valid credentials never downloads it. Undefined when
 * `validate` would not answer valid, or would throw (it then throws as it does).
 */
export function strictlyValidSchema(credential: unknown): SchemaName | undefined {
  const schema = hasEuAchievementType(credential) ? 'eu-microcredential' : 'ob3';
  try {
    return (schema === 'ob3' ? validateOb3Credential : validateEuMicroCredential)(credential) ? schema : undefined;
  } catch {
    return undefined;
  }
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
