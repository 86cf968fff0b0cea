import { MicrocredError } from '../errors';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { toIssues, type SchemaIssue } from './issues';
import { normalizeCompacted } from './lenient';
import { hasEuAchievementType, notValidatable, VALIDATORS, type SchemaName } from './strictly-valid';

/** `$id`s of the published schemas (files in the package's `schemas/` folder). */
export const OB3_CREDENTIAL_SCHEMA_ID = 'https://w3id.org/microcredentials/schemas/ob3-credential.schema.json';
/** The id of this project's JSON Schema for EU micro-credentials (the OB 3.0 schema plus Annex I rules). */
export const EU_MICROCREDENTIAL_SCHEMA_ID =
  'https://w3id.org/microcredentials/schemas/eu-microcredential-v1.schema.json';

export { hasEuAchievementType, type SchemaName } from './strictly-valid';

/** Options of `validate`: which schema, and whether to accept JSON-LD compacted single values where a set is allowed. */
export interface ValidateOptions {
  /**
   * Accept JSON-LD compacted single values where the VC / OB model allows a set (`"proof": {…}`,
   * `"type": "Achievement"`, …) by validating a normalised copy. Default false: arrays as 1EdTech's schema wants them.
   */
  lenient?: boolean;
  /** Default: `eu-microcredential` when the achievement's type contains `EUMicroCredentialAchievement`, else `ob3`. */
  schema?: SchemaName;
}

/** The outcome of `validate`: valid, or every schema issue with its JSON path. */
export interface ValidationResult {
  valid: boolean;
  errors: SchemaIssue[];
  /** The schema the credential was validated against. */
  schema: SchemaName;
}

/**
 * Validates a credential (a parsed JSON object) against this library's OB 3.0 schema or its EU micro-credential
 * schema, with validators compiled ahead of time (no `eval`). Never throws for a bad credential; throws
 * `MicrocredError('INVALID_INPUT')` only for a bad `options` argument or a value no JSON document can be.
 */
export function validate(credential: unknown, options: ValidateOptions = {}): ValidationResult {
  if (typeof options !== 'object' || options === null)
    throw new MicrocredError('INVALID_INPUT', 'validate options must be an object');
  const { lenient = false } = options;
  if (options.schema !== undefined && !(options.schema in VALIDATORS)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `unknown schema ${JSON.stringify(options.schema)}; use "ob3" or "eu-microcredential"`,
    );
  }
  const data = lenient ? normalizeCompacted(credential) : credential;
  const schema = options.schema ?? (hasEuAchievementType(data) ? 'eu-microcredential' : 'ob3');
  const validator = VALIDATORS[schema];
  let ok: boolean;
  try {
    ok = validator(data);
  } catch (cause) {
    // Only a value that is not JSON gets here (e.g. a cyclic object overflowing the stack in a recursive $ref).
    throw notValidatable(cause);
  }
  const errors = ok ? [] : toIssues(validator.errors ?? [], data, { eu: schema === 'eu-microcredential', lenient });
  // The EU schema applies its rules only to achievements of our type, so that it can sit in any credential's
  // `credentialSchema`; asked for explicitly, it also demands the type.
  if (options.schema === 'eu-microcredential' && !hasEuAchievementType(data)) {
    errors.unshift({
      path: '$.credentialSubject.achievement.type',
      message: `must contain "${EU_ACHIEVEMENT_TYPE}" to be validated as an EU micro-credential`,
      keyword: 'contains',
    });
  }
  return { valid: errors.length === 0, errors, schema };
}
