import { childPath } from '../errors';
import type { SchemaIssue } from './issues';
import { asListOrEmpty, isRecord } from '../shared/json';

/** The outcome of `checkConformance`: conformant, or the problems found. */
export interface ConformanceResult {
  valid: boolean;
  errors: SchemaIssue[];
}

/**
 * Rules of the OB 3.0 specification that its JSON Schema cannot express (keyword `conformance`):
 * - the subject is identified by `id` or by at least one `identifier` (verification step 1);
 * - each `result[].resultDescription` is the id of a ResultDescription of the achievement, and each
 *   `result[].achievedLevel` the id of a RubricCriterionLevel of the achievement. (Not necessarily of the same
 *   description: 1EdTech's own complete example points a result at one description and its level into another.)
 * Reads any value without throwing; run `validate` for the shapes.
 */
export function checkConformance(credential: unknown): ConformanceResult {
  const errors: SchemaIssue[] = [];
  const subjectPath = '$.credentialSubject';
  const subject = asObject(asObject(credential)?.credentialSubject);
  if (!subject) {
    errors.push({
      path: subjectPath,
      message: 'the credential has no credentialSubject object',
      keyword: 'conformance',
    });
    return { valid: false, errors };
  }
  const hasId = typeof subject.id === 'string' && subject.id.trim() !== '';
  const identifiers = Array.isArray(subject.identifier)
    ? subject.identifier
    : subject.identifier === undefined
      ? []
      : [subject.identifier];
  if (!hasId && identifiers.length === 0) {
    errors.push({
      path: subjectPath,
      message: 'the subject must be identified by "id" or by at least one "identifier" (OB 3.0 verification step 1)',
      keyword: 'conformance',
    });
  }

  const achievement = asObject(subject.achievement);
  const descriptions = new Set<string>();
  const levels = new Set<string>();
  for (const rd of asList(achievement?.resultDescription)) {
    const d = asObject(rd);
    if (typeof d?.id !== 'string') continue;
    descriptions.add(d.id);
    for (const level of asList(d.rubricCriterionLevel)) {
      const id = asObject(level)?.id;
      if (typeof id === 'string') levels.add(id);
    }
  }

  const results = asList(subject.result);
  const resultsPath = childPath(subjectPath, 'result');
  results.forEach((r, i) => {
    const result = asObject(r);
    if (!result) return;
    const path = Array.isArray(subject.result) ? childPath(resultsPath, i) : resultsPath;
    const ref = result.resultDescription;
    if (typeof ref === 'string') {
      if (!descriptions.has(ref)) {
        errors.push({
          path: childPath(path, 'resultDescription'),
          message: `refers to ${JSON.stringify(ref)}, which is not the id of a resultDescription of the achievement`,
          keyword: 'conformance',
        });
      }
    }
    const level = result.achievedLevel;
    if (typeof level === 'string' && !levels.has(level)) {
      errors.push({
        path: childPath(path, 'achievedLevel'),
        message: `refers to ${JSON.stringify(level)}, which is not the id of a rubricCriterionLevel of the achievement`,
        keyword: 'conformance',
      });
    }
  });
  return { valid: errors.length === 0, errors };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** A set-valued property, tolerating the compacted single value. */
const asList = asListOrEmpty;
