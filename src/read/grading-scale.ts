/**
 * The grading scale of a micro-credential (element 14) in a form both encodings can carry. Open Badges keeps it in
 * a `ResultDescription` (allowed values, required value, min/max); ELM's `GradingScheme` has only a title and a
 * description, so the export adds the scale as an `Identifier` of the grading scheme (scheme `GRADING_SCALE_SCHEME`,
 * notation: this object as JSON) and the import reads it back.
 */
import { num, obj, objects, str, strings, type Json } from './json';

/** Scheme IRI of the grading-scale identifier the export writes on an ELM `GradingScheme`. */
export const GRADING_SCALE_SCHEME = 'https://w3id.org/microcredentials/vocab/grading-scale';

/** A grading scale without its name and description (those have ELM properties of their own). */
export type GradingScale =
  | { kind: 'letter'; grades: string[]; lowestPassing: string }
  | { kind: 'pass-fail'; pass: string; fail: string }
  | { kind: 'numeric'; min: number; max: number; passing: number };

/** The scale of an OB achievement's grading, from the result description the learner's result points at. */
export function gradingScaleOf(achievement: Json, result: Json | undefined): GradingScale | undefined {
  const descriptions = objects(achievement.resultDescription);
  const rd =
    descriptions.find((r) => str(r.id) !== undefined && str(r.id) === str(result?.resultDescription)) ??
    descriptions[0];
  if (!rd) return undefined;
  const allowed = strings(rd.allowedValue);
  const required = str(rd.requiredValue);
  switch (str(rd.resultType)) {
    case 'LetterGrade':
      return allowed.length >= 2 && required && allowed.includes(required)
        ? { kind: 'letter', grades: [...allowed].reverse(), lowestPassing: required }
        : undefined;
    case 'Status': {
      const fail = allowed.find((v) => v !== required);
      return required && fail ? { kind: 'pass-fail', pass: required, fail } : undefined;
    }
    case 'RawScore': {
      const min = num(rd.valueMin);
      const max = num(rd.valueMax);
      const passing = num(required);
      return min !== undefined && max !== undefined && passing !== undefined
        ? { kind: 'numeric', min, max, passing }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** Reads a scale back from an ELM grading scheme's identifiers; anything malformed is ignored (undefined). */
export function gradingScaleFromElm(scheme: Json | undefined): GradingScale | undefined {
  for (const identifier of objects(scheme?.identifier)) {
    if (str(identifier.schemeId) !== GRADING_SCALE_SCHEME) continue;
    const notation = str(identifier.notation);
    if (!notation || notation.length > 10_000) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(notation);
    } catch {
      return undefined;
    }
    return checkScale(obj(parsed));
  }
  return undefined;
}

function checkScale(s: Json | undefined): GradingScale | undefined {
  if (!s) return undefined;
  if (s.kind === 'letter') {
    const grades =
      Array.isArray(s.grades) && s.grades.every((g) => typeof g === 'string') ? (s.grades as string[]) : [];
    return grades.length >= 2 && typeof s.lowestPassing === 'string' && grades.includes(s.lowestPassing)
      ? { kind: 'letter', grades, lowestPassing: s.lowestPassing }
      : undefined;
  }
  if (s.kind === 'pass-fail')
    return typeof s.pass === 'string' && typeof s.fail === 'string'
      ? { kind: 'pass-fail', pass: s.pass, fail: s.fail }
      : undefined;
  if (s.kind === 'numeric') {
    const [min, max, passing] = [s.min, s.max, s.passing];
    return typeof min === 'number' && typeof max === 'number' && typeof passing === 'number'
      ? { kind: 'numeric', min, max, passing }
      : undefined;
  }
  return undefined;
}
