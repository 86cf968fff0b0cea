import type { GradingInput } from '../builders/inputs';
import type { GradingScale } from '../read/grading-scale';

/** A builder grading input from a scale plus the scheme's name and description. */
export function gradingInputOf(
  scale: GradingScale,
  name: string | undefined,
  description: string | undefined,
): GradingInput {
  const named = { ...(name ? { name } : {}), ...(description ? { description } : {}) };
  if (scale.kind === 'letter')
    return {
      kind: 'letter',
      grades: scale.grades as [string, ...string[]],
      lowestPassing: scale.lowestPassing,
      ...named,
    };
  if (scale.kind === 'pass-fail') return { kind: 'pass-fail', pass: scale.pass, fail: scale.fail, ...named };
  return { kind: 'numeric', min: scale.min, max: scale.max, passing: scale.passing, ...named };
}
