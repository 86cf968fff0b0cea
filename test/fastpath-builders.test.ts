import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AssessmentType,
  LearningMode,
  MicrocredError,
  QualityAssuranceType,
  SupervisionVerification,
  award,
  defineMicroCredential,
  generateKey,
  defineIssuer,
  issue,
  verify,
  type MicroCredentialDefinition,
} from '../src';
import { canonicalizeRdf, expand } from '../src/jsonld/canonize';
import { canonizeStats, checkSafeMode, fastCanonize, resetCanonizeStats } from '../src/jsonld/fast';
import { reiProgramme, sampleLearners, university } from '../examples/rei-programme';

/**
 * The fast path on what the builders make: every credential of the seed programme and generated micro-credentials
 * must canonicalize to the bytes jsonld.js gives, and must take the fast path (otherwise the library's speed is a
 * fallback's speed). Also: checkSafeMode agrees with safe-mode expansion, and issue/verify really use the fast path.
 */

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    const value = await run();
    return `ok:${typeof value === 'string' ? value : ''}`;
  } catch (e) {
    return e instanceof MicrocredError ? `error:${e.code}` : `raw:${String(e)}`;
  }
}

/** A grade the definition's scheme allows, varied by `i` (fails included). */
function gradeFor(definition: MicroCredentialDefinition, i: number): string | number | undefined {
  const scheme = definition.grading?.resultDescription;
  if (!scheme) return undefined;
  if (definition.grading!.kind === 'numeric') {
    const [min, max] = [Number(scheme.valueMin), Number(scheme.valueMax)];
    return min + ((max - min) * (i % 5)) / 4;
  }
  const allowed = scheme.allowedValue!;
  return allowed[i % allowed.length];
}

describe('differential: the fast path on every credential the builders make', () => {
  it('the seed programme, each part and the programme, for every sample learner and grade', async () => {
    resetCanonizeStats();
    const definitions: MicroCredentialDefinition[] = [reiProgramme, ...reiProgramme.parts];
    let cases = 0;
    for (const [d, definition] of definitions.entries()) {
      for (const [l, sample] of sampleLearners.entries()) {
        for (let g = 0; g < 3; g++) {
          const grade = gradeFor(definition, d + l + g);
          const credential = award(definition, {
            issuer: university,
            learner: sample.learner as never,
            ...(grade !== undefined ? { grade } : {}),
            awardedOn: '2024-06-14',
          });
          expect(await fastCanonize(credential), definition.title).toBe(await canonicalizeRdf(credential));
          cases++;
        }
      }
    }
    expect(cases).toBe(definitions.length * sampleLearners.length * 3);
    expect(canonizeStats()).toMatchObject({ fast: cases, fallback: 0 });
  });

  const oddText = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
      fc.constantFrom(
        'tab\there',
        'line\nbreak',
        '"quoted" \\ back',
        'ﬀ é 😀',
        '\u2028',
        '<b>html</b>',
        '_:b0',
        '@id',
        '3.0',
        '1e21',
      ),
    )
    .filter((s) => s.trim().length > 0);
  const conceptFrom = <T extends { id: string }>(v: { $concepts: readonly T[] }) => fc.constantFrom(...v.$concepts);
  const generated = fc.record({
    title: oddText,
    description: oddText,
    outcomes: fc.array(oddText, { minLength: 1, maxLength: 5 }),
    ects: fc.integer({ min: 1, max: 6000 }).map((n) => n / 100),
    hours: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
    eqf: fc.integer({ min: 1, max: 8 }),
    assessment: fc.array(
      fc.record({ type: conceptFrom(AssessmentType), description: fc.option(oddText, { nil: undefined }) }),
      { minLength: 1, maxLength: 3 },
    ),
    mode: conceptFrom(LearningMode),
    qa: conceptFrom(QualityAssuranceType),
    supervision: fc.option(conceptFrom(SupervisionVerification), { nil: undefined }),
    grading: fc.constantFrom('letter', 'pass-fail', 'numeric', 'none'),
    prerequisites: fc.option(oddText, { nil: undefined }),
    furtherInformation: fc.option(oddText, { nil: undefined }),
    language: fc.option(fc.constantFrom('en', 'et', 'de-CH', 'fr'), { nil: undefined }),
    fieldOfStudy: fc.option(fc.constantFrom('0223', '0613', '04', '061'), { nil: undefined }),
    learner: fc.oneof(
      fc.constant<unknown>('did:example:learner-1'),
      fc.emailAddress().map((email) => ({ email })),
      fc.record({ studentId: oddText, email: fc.emailAddress() }),
    ),
    grade: fc.nat(10),
    awardedOn: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  });

  it('400 generated micro-credentials (odd text, every optional element on or off) give the same bytes, all on the fast path', async () => {
    const issuer = defineIssuer({ id: 'https://uni.example/', name: 'Generated University', country: 'FI' });
    resetCanonizeStats();
    let built = 0;
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const grading =
          g.grading === 'letter'
            ? ({ kind: 'letter', grades: ['A', 'B', 'C', 'F'], lowestPassing: 'C' } as const)
            : g.grading === 'pass-fail'
              ? ({ kind: 'pass-fail' } as const)
              : g.grading === 'numeric'
                ? ({ kind: 'numeric', min: 0, max: 10, passing: 5 } as const)
                : undefined;
        let definition: MicroCredentialDefinition;
        let credential: object;
        try {
          definition = defineMicroCredential({
            id: 'https://uni.example/mc/1',
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
          credential = award(definition, {
            issuer,
            learner: g.learner as never,
            ...(grade !== undefined ? { grade } : {}),
            awardedOn: g.awardedOn.toISOString().slice(0, 10),
          });
        } catch (e) {
          // The builders refuse some generated text (e.g. control characters); that refusal is theirs to test.
          if (e instanceof MicrocredError) return;
          throw e;
        }
        built++;
        expect(await outcome(() => fastCanonize(credential))).toBe(await outcome(() => canonicalizeRdf(credential)));
      }),
      { numRuns: 400 },
    );
    // Most generated inputs must reach the comparison, and every one that does must be on the fast path.
    expect(built).toBeGreaterThan(300);
    expect(canonizeStats()).toMatchObject({ fast: built, fallback: 0 });
  }, 120_000);
});

describe('checkSafeMode', () => {
  const seed = award(reiProgramme.parts[0]!, {
    issuer: university,
    learner: 'did:example:x',
    grade: 'A',
    awardedOn: '2024-01-26',
  }) as unknown as Record<string, unknown>;
  const subject = seed.credentialSubject as Record<string, unknown>;
  const cases: [string, Record<string, unknown>][] = [
    ['the seed credential', seed],
    ['an undefined top-level term', { ...seed, favouriteColour: 'blue' }],
    ['an undefined term in the subject', { ...seed, credentialSubject: { ...subject, shoeSize: 42 } }],
    ['a relative IRI id', { ...seed, id: 'credentials/1' }],
    ['an undefined type', { ...seed, type: [...(seed.type as string[]), 'MadeUpCredential'] }],
    [
      'an inline context (the fallback decides)',
      {
        ...seed,
        '@context': [...(seed['@context'] as string[]), { shoeSize: 'https://example.org/shoeSize' }],
        credentialSubject: { ...subject, shoeSize: 42 },
      },
    ],
    [
      'an unknown context URL',
      { ...seed, '@context': [...(seed['@context'] as string[]), 'https://example.org/ctx.jsonld'] },
    ],
  ];

  it.each(cases)('agrees with safe-mode expansion: %s', async (_label, doc) => {
    expect(await outcome(() => checkSafeMode(doc))).toBe(await outcome(() => expand(doc)));
  });

  it('refuses undefined terms with SAFE_MODE_VIOLATION', async () => {
    await expect(checkSafeMode(cases[1]![1])).rejects.toMatchObject({ code: 'SAFE_MODE_VIOLATION' });
    await expect(checkSafeMode(cases[2]![1])).rejects.toMatchObject({ code: 'SAFE_MODE_VIOLATION' });
  });
});

describe('issue and verify take the fast path', () => {
  const key = generateKey();
  const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
  const credential = award(reiProgramme.parts[4]!, {
    issuer,
    learner: sampleLearners[0].learner,
    grade: 'pass',
    awardedOn: '2024-06-14',
  });

  it.each(['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const)(
    '%s: no document goes to jsonld.js',
    async (format) => {
      resetCanonizeStats();
      const signed = await issue(credential, { key, format });
      const report = await verify(signed);
      expect(report.verified, JSON.stringify(report.checks)).toBe(true);
      const stats = canonizeStats();
      expect(stats.fallback, JSON.stringify(stats.reasons)).toBe(0);
      // rdfc: proof config + document, in issue and in verify; JCS and JWT: the safe-mode check in issue and in verify.
      expect(stats.fast).toBe(format === 'eddsa-rdfc-2022' ? 4 : 2);
    },
  );
});
