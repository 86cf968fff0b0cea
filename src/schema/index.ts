export {
  validate,
  hasEuAchievementType,
  OB3_CREDENTIAL_SCHEMA_ID,
  EU_MICROCREDENTIAL_SCHEMA_ID,
  type SchemaName,
  type ValidateOptions,
  type ValidationResult,
} from './validate';
export { checkConformance, type ConformanceResult } from './conformance';
export { normalizeCompacted } from './lenient';
export type { SchemaIssue } from './issues';
