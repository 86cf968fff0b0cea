import { MicrocredError } from '../errors';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { normalizeCompacted } from './lenient';
import {
  validateEuMicroCredential,
  validateOb3Credential,
  type GeneratedValidator,
  type GeneratedValidatorError,
} from './validators.generated';

/** The JSON Schemas `validate` checks against: OB 3.0, or the EU micro-credential profile. */
export type SchemaName = 'ob3' | 'eu-microcredential';

/**
 * The schema a credential is valid against as it is written (no lenient reading), when it is: what `validate(credential)`
 * answers with `valid: true`, found without loading the module that explains invalid ones (./validate.ts, with its
 * error texts), so that a page verifying valid credentials never downloads it. Undefined when `validate` would answer
 * not valid. Throws what `validate` throws for a value no JSON document can be: the validator is not run a second time
 * on a credential that made it throw (a getter that throws once, a stack that was too deep the first time, must not
 * turn into a pass).
 */
export function strictlyValidSchema(credential: unknown): SchemaName | undefined {
  const schema = hasEuAchievementType(credential) ? 'eu-microcredential' : 'ob3';
  return run(VALIDATORS[schema], credential) ? schema : undefined;
}

/**
 * What the verifier's schema step needs to know, without the error texts: valid as written; valid once JSON-LD
 * compacted single values are read as arrays (what `validate(credential, { lenient: true })` answers valid, and most
 * credentials from other issuers, written with a lone `proof` object, are); or neither, with the validator's raw
 * errors on the lenient reading for ./issues.ts to put into words. Each reading is validated once.
 */
export type SchemaVerdict =
  | { readonly valid: true; readonly schema: SchemaName; readonly lenient: boolean }
  | {
      readonly valid: false;
      readonly schema: SchemaName;
      /** The lenient reading that was validated, and what the validator said about it. */
      readonly data: unknown;
      readonly errors: readonly GeneratedValidatorError[];
    };

export function schemaVerdict(credential: unknown): SchemaVerdict {
  const strict = strictlyValidSchema(credential);
  if (strict !== undefined) return { valid: true, schema: strict, lenient: false };
  const data = normalizeCompacted(credential);
  const schema = hasEuAchievementType(data) ? 'eu-microcredential' : 'ob3';
  const validator = VALIDATORS[schema];
  if (run(validator, data)) return { valid: true, schema, lenient: true };
  return { valid: false, schema, data, errors: validator.errors ?? [] };
}

/** The generated validator is the only code between here and a throw: what it throws is not JSON's fault. */
function run(validator: GeneratedValidator, data: unknown): boolean {
  try {
    return validator(data);
  } catch (cause) {
    throw notValidatable(cause);
  }
}

export const VALIDATORS: Readonly<Record<SchemaName, GeneratedValidator>> = {
  ob3: validateOb3Credential,
  'eu-microcredential': validateEuMicroCredential,
};

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
