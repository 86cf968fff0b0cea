import type { ResultDescription, ResultStatusType } from '../model/ob';
import type { GradingInput } from './inputs';
import type { ProblemCollector } from './problems';

/** A grading scheme after validation: it can say whether a grade is allowed and whether it passes. */
export interface Grading {
  readonly kind: 'letter' | 'pass-fail' | 'numeric';
  readonly resultDescription: ResultDescription;
  readonly name: string;
  readonly description: string | undefined;
  /** The grade as the credential writes it, or an error message when the scheme does not allow it. */
  normalize(grade: string | number): { value: string } | { error: string };
  passes(value: string): boolean;
}

/** Builds the OB `ResultDescription` for a grading scheme (Annex I element 14) and the rules to check grades. */
export function buildGrading(
  input: GradingInput,
  achievementId: string,
  path: string,
  problems: ProblemCollector,
): Grading | undefined {
  if (typeof input !== 'object' || input === null) {
    problems.invalid(path, 'grading must be an object with a kind: "letter", "pass-fail" or "numeric"');
    return undefined;
  }
  const id = `${achievementId}#grading`;
  switch (input.kind) {
    case 'letter':
      return letterGrading(input, id, path, problems);
    case 'pass-fail':
      return passFailGrading(input, id, path, problems);
    case 'numeric':
      return numericGrading(input, id, path, problems);
    default:
      problems.invalid(`${path}.kind`, 'grading kind must be "letter", "pass-fail" or "numeric"');
      return undefined;
  }
}

/** A letter scale, best grade first; passes from the best down to `lowestPassing`. */
function letterGrading(
  input: Extract<GradingInput, { kind: 'letter' }>,
  id: string,
  path: string,
  problems: ProblemCollector,
): Grading | undefined {
  const grades = Array.isArray(input.grades) ? input.grades.map((g) => (typeof g === 'string' ? g.trim() : '')) : [];
  if (grades.length < 2 || grades.some((g) => g === '')) {
    problems.invalid(`${path}.grades`, 'a letter scale needs at least two non-empty grades, best first');
    return undefined;
  }
  if (new Set(grades).size !== grades.length) problems.invalid(`${path}.grades`, 'grades must be unique');
  const lowest = grades.indexOf(input.lowestPassing);
  if (lowest < 0) {
    problems.invalid(
      `${path}.lowestPassing`,
      `lowest passing grade ${JSON.stringify(input.lowestPassing)} is not one of the grades`,
    );
    return undefined;
  }
  const name = input.name ?? 'Final grade';
  return {
    kind: 'letter',
    name,
    description: input.description,
    resultDescription: {
      id,
      type: ['ResultDescription'],
      name,
      resultType: 'LetterGrade',
      // OB orders allowedValue from lowest to highest.
      allowedValue: [...grades].reverse(),
      requiredValue: input.lowestPassing,
    },
    normalize(grade) {
      const value = String(grade).trim();
      return grades.includes(value)
        ? { value }
        : { error: `grade ${JSON.stringify(grade)} is not one of ${grades.join(', ')}` };
    },
    passes: (value) => {
      const at = grades.indexOf(value);
      return at >= 0 && at <= lowest;
    },
  };
}

/** Two values, pass and fail (compared without regard to case). */
function passFailGrading(
  input: Extract<GradingInput, { kind: 'pass-fail' }>,
  id: string,
  path: string,
  problems: ProblemCollector,
): Grading {
  const pass = input.pass ?? 'pass';
  const fail = input.fail ?? 'fail';
  if (pass === fail) problems.invalid(path, 'pass and fail must differ');
  const name = input.name ?? 'Final result';
  return {
    kind: 'pass-fail',
    name,
    description: input.description,
    resultDescription: {
      id,
      type: ['ResultDescription'],
      name,
      resultType: 'Status',
      allowedValue: [fail, pass],
      requiredValue: pass,
    },
    normalize(grade) {
      const value = String(grade).trim().toLowerCase();
      if (value === pass.toLowerCase()) return { value: pass };
      if (value === fail.toLowerCase()) return { value: fail };
      return { error: `grade ${JSON.stringify(grade)} is neither ${JSON.stringify(pass)} nor ${JSON.stringify(fail)}` };
    },
    passes: (value) => value === pass,
  };
}

/** A numeric score between min and max; passes from `passing` up. */
function numericGrading(
  input: Extract<GradingInput, { kind: 'numeric' }>,
  id: string,
  path: string,
  problems: ProblemCollector,
): Grading | undefined {
  const { min, max, passing } = input;
  if (
    ![min, max, passing].every((n) => typeof n === 'number' && Number.isFinite(n)) ||
    min >= max ||
    passing < min ||
    passing > max
  ) {
    problems.invalid(path, 'a numeric scale needs finite min < max and min ≤ passing ≤ max');
    return undefined;
  }
  const name = input.name ?? 'Final score';
  return {
    kind: 'numeric',
    name,
    description: input.description,
    resultDescription: {
      id,
      type: ['ResultDescription'],
      name,
      resultType: 'RawScore',
      valueMin: String(min),
      valueMax: String(max),
      requiredValue: String(passing),
    },
    normalize(grade) {
      const n = typeof grade === 'number' ? grade : Number(String(grade).trim());
      if (!Number.isFinite(n) || n < min || n > max)
        return { error: `score ${JSON.stringify(grade)} is outside ${min}–${max}` };
      return { value: String(n) };
    },
    passes: (value) => Number(value) >= passing,
  };
}

/** Why a grade does not pass, in plain words: "F is below the lowest passing grade E". */
export function notPassedReason(grading: Grading, value: string): string {
  const required = grading.resultDescription.requiredValue;
  if (grading.kind === 'letter') return `${value} is below the lowest passing grade ${required}`;
  if (grading.kind === 'numeric') return `${value} is below the passing score ${required}`;
  return `${value} is not a pass (${required})`;
}

export function resultStatusFor(passed: boolean): ResultStatusType {
  return passed ? 'Completed' : 'Failed';
}
