import fc from 'fast-check';
import {
  AssessmentType,
  LearningMode,
  MicrocredError,
  QualityAssuranceType,
  SupervisionVerification,
  award,
  defineMicroCredential,
  type MicroCredentialCredential,
  type MicroCredentialDefinition,
  type Profile,
} from '../../src';

/**
 * Generated EU micro-credentials: every Annex I element on or off, any grading scheme, any learner form. The text
 * arbitrary decides what the strings look like: odd text (escapes, surrogates, JSON-LD keywords) for the differential
 * tests, realistic text for the benchmark's varied credentials (bench/varied.ts). One generator for both, so that
 * what is measured is what is tested.
 */
export function microCredentialInputs(text: fc.Arbitrary<string>) {
  const conceptFrom = <T extends { id: string }>(v: { $concepts: readonly T[] }) => fc.constantFrom(...v.$concepts);
  return fc.record({
    title: text,
    description: text,
    outcomes: fc.array(text, { minLength: 1, maxLength: 5 }),
    ects: fc.integer({ min: 1, max: 6000 }).map((n) => n / 100),
    hours: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
    eqf: fc.integer({ min: 1, max: 8 }),
    assessment: fc.array(
      fc.record({ type: conceptFrom(AssessmentType), description: fc.option(text, { nil: undefined }) }),
      { minLength: 1, maxLength: 3 },
    ),
    mode: conceptFrom(LearningMode),
    qa: conceptFrom(QualityAssuranceType),
    supervision: fc.option(conceptFrom(SupervisionVerification), { nil: undefined }),
    grading: fc.constantFrom('letter', 'pass-fail', 'numeric', 'none'),
    prerequisites: fc.option(text, { nil: undefined }),
    furtherInformation: fc.option(text, { nil: undefined }),
    language: fc.option(fc.constantFrom('en', 'et', 'de-CH', 'fr'), { nil: undefined }),
    fieldOfStudy: fc.option(fc.constantFrom('0223', '0613', '04', '061'), { nil: undefined }),
    learner: fc.oneof(
      fc.constant<unknown>('did:example:learner-1'),
      fc.emailAddress().map((email) => ({ email })),
      fc.record({ studentId: text, email: fc.emailAddress() }),
    ),
    grade: fc.nat(10),
    awardedOn: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  });
}

export type MicroCredentialInputs = ReturnType<typeof microCredentialInputs> extends fc.Arbitrary<infer T> ? T : never;

/** A grade the definition's scheme allows, varied by `i` (fails included). */
export function gradeFor(definition: MicroCredentialDefinition, i: number): string | number | undefined {
  const scheme = definition.grading?.resultDescription;
  if (!scheme) return undefined;
  if (definition.grading!.kind === 'numeric') {
    const [min, max] = [Number(scheme.valueMin), Number(scheme.valueMax)];
    return min + ((max - min) * (i % 5)) / 4;
  }
  const allowed = scheme.allowedValue!;
  return allowed[i % allowed.length];
}

/**
 * The definition and the awarded (unsigned) credential for generated inputs, or undefined when the builders refuse
 * the generated text (e.g. control characters): that refusal is theirs to test.
 */
export function buildMicroCredential(
  g: MicroCredentialInputs,
  issuer: Profile,
  id = 'https://uni.example/mc/1',
): { definition: MicroCredentialDefinition; credential: MicroCredentialCredential } | undefined {
  const grading =
    g.grading === 'letter'
      ? ({ kind: 'letter', grades: ['A', 'B', 'C', 'F'], lowestPassing: 'C' } as const)
      : g.grading === 'pass-fail'
        ? ({ kind: 'pass-fail' } as const)
        : g.grading === 'numeric'
          ? ({ kind: 'numeric', min: 0, max: 10, passing: 5 } as const)
          : undefined;
  try {
    const definition = defineMicroCredential({
      id,
      title: g.title,
      description: g.description,
      awardingBodies: [issuer],
      learningOutcomes: g.outcomes as [string, ...string[]],
      workload: g.hours === undefined ? { ects: g.ects } : { ects: g.ects, hours: g.hours },
      level: { eqf: g.eqf as 1 },
      assessment: g.assessment.map((a) => ({
        type: a.type,
        ...(a.description ? { description: a.description } : {}),
      })) as never,
      participation: { mode: g.mode },
      qualityAssurance: [{ type: g.qa }],
      ...(grading ? { grading } : {}),
      ...(g.supervision ? { supervision: g.supervision } : {}),
      ...(g.prerequisites ? { prerequisites: g.prerequisites } : {}),
      ...(g.furtherInformation ? { furtherInformation: g.furtherInformation } : {}),
      ...(g.language ? { language: g.language } : {}),
      ...(g.fieldOfStudy ? { fieldOfStudy: g.fieldOfStudy } : {}),
    } as never);
    const grade = gradeFor(definition, g.grade);
    const credential = award(definition, {
      issuer,
      learner: g.learner as never,
      ...(grade !== undefined ? { grade } : {}),
      awardedOn: g.awardedOn.toISOString().slice(0, 10),
    });
    return { definition, credential };
  } catch (e) {
    if (e instanceof MicrocredError) return undefined;
    throw e;
  }
}
