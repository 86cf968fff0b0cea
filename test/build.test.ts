import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AssessmentType,
  LearningMode,
  MicrocredError,
  QualityAssuranceType,
  award,
  defineIssuer,
  defineMicroCredential,
  defineProgramme,
  hashIdentity,
  matchesIdentity,
  readMicroCredential,
  validate,
  type MicroCredentialInput,
} from '../src';
import { expand } from '../src/entries/jsonld';
import {
  reiProgramme,
  university,
  sampleLearners,
  criticalThinking,
  workplaceApplications,
} from '../examples/rei-programme';
import { load1EdTechCredentialSchema } from './helpers/ob-schema';

const obSchema = load1EdTechCredentialSchema();

function minimalInput(overrides: Partial<MicroCredentialInput> = {}): MicroCredentialInput {
  return {
    id: 'https://uni.example/mc/1',
    title: 'Cloud-native application design',
    description: 'Designing cloud-native applications.',
    awardingBodies: [university],
    learningOutcomes: ['Designs a service.'],
    workload: { ects: 6 },
    level: { eqf: 6 },
    assessment: [{ type: AssessmentType.writtenExamination }],
    participation: { mode: LearningMode.online },
    qualityAssurance: [{ type: QualityAssuranceType.institutionalQA }],
    ...overrides,
  };
}

function errorOf(fn: () => unknown): MicrocredError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MicrocredError) return e;
    throw e;
  }
  throw new Error('expected a MicrocredError');
}

describe('seed programme (Academic and Research Integrity, 24 ECTS)', () => {
  it('adds up to 24 ECTS over five parts that each record the programme', () => {
    expect(reiProgramme.ects).toBe(24);
    expect(reiProgramme.parts.map((p) => p.ects)).toEqual([4, 4, 4, 6, 6]);
    expect(reiProgramme.achievement.hasPart).toEqual(reiProgramme.parts.map((p) => p.id));
    for (const part of reiProgramme.parts) expect(part.achievement.isPartOf).toEqual([reiProgramme.id]);
    // The original definitions are untouched (frozen values shared by every award).
    expect(criticalThinking.achievement.isPartOf).toBeUndefined();
    expect(Object.isFrozen(reiProgramme.achievement)).toBe(true);
  });

  it("awards every sample learner a credential that expands in JSON-LD safe mode and passes 1EdTech's schema", async () => {
    for (const sample of sampleLearners) {
      const credentials = [
        award(reiProgramme, { issuer: university, learner: sample.learner, awardedOn: '2024-06-15' }),
        ...sample.autumn.map((grade, i) =>
          award(reiProgramme.parts[i]!, {
            issuer: university,
            learner: sample.learner,
            grade,
            awardedOn: '2024-01-20',
          }),
        ),
        ...sample.spring.map((grade, i) =>
          award(reiProgramme.parts[3 + i]!, {
            issuer: university,
            learner: sample.learner,
            grade,
            awardedOn: '2024-06-10',
          }),
        ),
      ];
      for (const c of credentials) {
        const expanded = await expand(c);
        expect(expanded.length).toBe(1);
        const result = obSchema(c);
        expect(result.errors).toEqual([]);
        expect(validate(c)).toMatchObject({ valid: true, schema: 'eu-microcredential' });
        expect(readMicroCredential(c).missingMandatory).toEqual([]);
      }
    }
  });

  it('awards no micro-credential for a failing grade when asked to refuse, and says why', () => {
    const refusal = (() => {
      try {
        award(reiProgramme.parts[1]!, {
          issuer: university,
          learner: { email: 'x@example.ee' },
          grade: 'F',
          failingGrade: 'refuse',
        });
      } catch (e) {
        return e as MicrocredError;
      }
      return undefined;
    })();
    expect(refusal?.code).toBe('NOT_PASSED');
    expect(refusal?.path).toBe('$.grade');
    expect(refusal?.message).toContain('F is below the lowest passing grade E');
    expect(() =>
      award(workplaceApplications, {
        issuer: university,
        learner: { email: 'x@example.ee' },
        grade: 'fail',
        failingGrade: 'refuse',
      }),
    ).toThrow(/not a pass/);
  });

  it('records a failing grade only as an assessment record that claims no outcome and earns no credits', () => {
    const failed = award(reiProgramme.parts[1]!, {
      issuer: university,
      learner: { email: 'x@example.ee' },
      grade: 'F',
    });
    expect(failed.name).toBe('Basics of ethics: assessment record (not passed)');
    expect(failed.description).toMatch(
      /^Assessment record, not a micro-credential: .*did not pass \(F is below the lowest passing grade E\)\. It does not certify the learning outcomes/,
    );
    expect(failed.credentialSubject.achievement.criteria?.narrative).not.toMatch(/the learner has shown/);
    expect(failed.credentialSubject.creditsEarned).toBe(0);
    expect(failed.credentialSubject.result?.[0]).toMatchObject({ value: 'F', status: 'Failed' });
    const passed = award(reiProgramme.parts[1]!, {
      issuer: university,
      learner: { email: 'x@example.ee' },
      grade: 'E',
    });
    expect(passed.credentialSubject.creditsEarned).toBe(4);
    expect(passed.credentialSubject.result?.[0]).toMatchObject({ value: 'E', status: 'Completed' });
    const fail = award(workplaceApplications, {
      issuer: university,
      learner: { email: 'x@example.ee' },
      grade: 'Fail',
      failingGrade: 'record',
    });
    expect(fail.credentialSubject.result?.[0]).toMatchObject({ value: 'fail', status: 'Failed' });
  });

  it('reads back every element the builder was given', () => {
    const c = award(reiProgramme.parts[0]!, {
      issuer: university,
      learner: 'did:example:learner',
      grade: 'A',
      awardedOn: '2024-01-20T10:00:00Z',
    });
    const view = readMicroCredential(c);
    expect(view.euExtension).toBe(true);
    expect(view.title).toBe('Critical thinking and argumentation');
    expect(view.learner.id).toBe('did:example:learner');
    expect(view.issuerCountries).toEqual([
      {
        code: 'EE',
        country: { id: 'http://publications.europa.eu/resource/authority/country/EST', label: 'Estonia' },
        region: 'Tartu County',
      },
    ]);
    expect(view.awardingBodies).toEqual([{ id: 'https://www.ut.ee/en', name: 'University of Tartu' }]);
    expect(view.dateOfIssuing).toBe('2024-01-20T10:00:00Z');
    expect(view.learningOutcomes.map((o) => o.text)).toHaveLength(2);
    expect(view.workload).toEqual({ ects: 4, hours: 104, ectsEarned: 4, volumeOfLearning: 'PT104H' });
    // Autumn courses: existing degree courses taken with undergraduates (an assumption documented in the example).
    expect(view.level.eqf).toBe(6);
    expect(view.level.qfEheaCycle?.id).toBe('https://w3id.org/microcredentials/vocab/qf-ehea/first-cycle');
    expect(view.assessment[0]?.type).toEqual({
      id: AssessmentType.continuousEvaluation.id,
      label: 'continuous evaluation',
    });
    expect(view.participation.modes).toEqual([{ id: LearningMode.blended.id, label: 'Blended' }]);
    expect(view.qualityAssurance[0]?.type?.id).toBe(QualityAssuranceType.institutionalQA.id);
    expect(view.prerequisites).toMatch(/bachelor/);
    expect(view.supervision?.annexOption).toBe('unsupervised-no-id-verification');
    expect(view.grade).toMatchObject({ value: 'A', status: 'Completed', requiredValue: 'E' });
    expect(view.stackability.isPartOf).toEqual([reiProgramme.id]);
    expect(view.fieldOfStudy).toBe('Philosophy and ethics');
    expect(view.elements.filter((e) => e.present).map((e) => e.n)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]);
  });
});

describe('run-time checks for JavaScript callers and files', () => {
  it('reports every missing mandatory element at once, with paths', () => {
    const input = minimalInput() as unknown as Record<string, unknown>;
    for (const key of [
      'title',
      'learningOutcomes',
      'workload',
      'level',
      'assessment',
      'participation',
      'qualityAssurance',
      'awardingBodies',
    ])
      delete input[key];
    const err = errorOf(() => defineMicroCredential(input as unknown as MicroCredentialInput));
    expect(err.code).toBe('MISSING_ELEMENT');
    expect(err.problems.map((p) => p.path).sort()).toEqual(
      [
        '$.title',
        '$.learningOutcomes',
        '$.workload',
        '$.level',
        '$.assessment',
        '$.participation',
        '$.qualityAssurance',
        '$.awardingBodies',
      ].sort(),
    );
    expect(err.message).toContain('$.qualityAssurance');
  });

  it('rejects free text where a concept IRI belongs, and IRIs of the wrong scheme', () => {
    const err = errorOf(() =>
      defineMicroCredential(
        minimalInput({
          // @ts-expect-error free text is not a mode concept (refused at compile time too; this checks JavaScript callers)
          participation: { mode: 'blended' },
          // @ts-expect-error a mode where an assessment type belongs
          assessment: [{ type: LearningMode.online }],
          level: { eqf: 9 as never },
        }),
      ),
    );
    expect(err.code).toBe('INVALID_ELEMENT');
    expect(err.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['$.participation.mode', '$.assessment[0].type', '$.level.eqf']),
    );
  });

  it('accepts a newer concept of the right EU scheme that the bundled list does not know', () => {
    // The object form takes any IRI in the scheme's namespace (VocabularyRef); a bare IRI string must be a listed one.
    const mc = defineMicroCredential(
      minimalInput({ assessment: [{ type: { id: 'http://data.europa.eu/snb/assessment/0000000000' } }] }),
    );
    // A concept the library does not know is carried without a guessed label.
    expect(mc.achievement.assessment?.[0]?.assessmentType).toEqual({
      id: 'http://data.europa.eu/snb/assessment/0000000000',
      type: 'Concept',
    });
  });

  it('checks the issuer country, grades, dates and the learner', () => {
    expect(
      errorOf(() => defineIssuer({ id: 'https://x.example', name: 'X', country: 'XX' as never })).problems[0]?.path,
    ).toBe('$.country');
    const mc = defineMicroCredential(
      minimalInput({ grading: { kind: 'letter', grades: ['A', 'B', 'F'], lowestPassing: 'B' } }),
    );
    const err = errorOf(() =>
      award(mc, {
        issuer: university,
        learner: 'not a uri',
        grade: 'Z',
        validFrom: '2024-01-02',
        validUntil: '2024-01-01',
      }),
    );
    expect(err.problems.map((p) => p.path).sort()).toEqual(['$.grade', '$.learner', '$.validUntil']);
    expect(errorOf(() => award(mc, { issuer: university, learner: { email: 'a@b.c' } })).problems[0]).toMatchObject({
      code: 'MISSING_ELEMENT',
      path: '$.grade',
    });
  });

  it('refuses a programme whose parts do not add up', () => {
    const a = defineMicroCredential(minimalInput({ id: 'https://uni.example/a', workload: { ects: 3 } }));
    const b = defineMicroCredential(minimalInput({ id: 'https://uni.example/b', workload: { ects: 4 } }));
    const { workload: _w, ...rest } = minimalInput({ id: 'https://uni.example/p' });
    const err = errorOf(() => defineProgramme({ ...rest, workload: { ects: 8 }, parts: [a, b] }));
    expect(err.problems[0]).toMatchObject({ code: 'INVALID_ELEMENT', path: '$.workload.ects' });
    expect(defineProgramme({ ...rest, parts: [a, b] }).ects).toBe(7);
  });
});

describe('learner identification (OB IdentityObject)', () => {
  it('reproduces the OB 3.0 spec example hash sha256("a@example.com" + "Kosher")', () => {
    const hash = hashIdentity('a@example.com', 'Kosher');
    expect(hash.startsWith('sha256$b5809d8a')).toBe(true);
    expect(hash.endsWith('ef399')).toBe(true);
  });

  it('hashes with a fresh salt by default and still matches the known identifier', () => {
    const one = award(criticalThinking, { issuer: university, learner: { email: 'mari@example.ee' }, grade: 'A' });
    const two = award(criticalThinking, { issuer: university, learner: { email: 'mari@example.ee' }, grade: 'A' });
    const id1 = one.credentialSubject.identifier![0]!;
    const id2 = two.credentialSubject.identifier![0]!;
    expect(id1.hashed).toBe(true);
    expect(id1.salt).not.toBe(id2.salt);
    expect(JSON.stringify(one)).not.toContain('mari@example.ee');
    expect(matchesIdentity(id1, 'mari@example.ee')).toBe(true);
    expect(matchesIdentity(id1, 'jaan@example.ee')).toBe(false);
  });
});

describe('property-based: any valid builder input gives a credential that expands in safe mode', () => {
  const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);
  const conceptFrom = <T extends { id: string }>(v: { $concepts: readonly T[] }) => fc.constantFrom(...v.$concepts);
  const input = fc.record({
    title: text,
    description: text,
    outcomes: fc.array(text, { minLength: 1, maxLength: 4 }),
    ects: fc.integer({ min: 1, max: 6000 }).map((n) => n / 100),
    hours: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
    eqf: fc.integer({ min: 1, max: 8 }),
    assessment: fc.array(conceptFrom(AssessmentType), { minLength: 1, maxLength: 3 }),
    modes: fc.array(conceptFrom(LearningMode), { minLength: 1, maxLength: 2 }),
    qa: conceptFrom(QualityAssuranceType),
    grading: fc.constantFrom('letter', 'pass-fail', 'numeric', 'none'),
    prerequisites: fc.option(text, { nil: undefined }),
  });

  it('for 60 generated definitions and awards', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (g) => {
        const grading =
          g.grading === 'letter'
            ? ({ kind: 'letter', grades: ['A', 'B', 'C'], lowestPassing: 'B' } as const)
            : g.grading === 'pass-fail'
              ? ({ kind: 'pass-fail' } as const)
              : g.grading === 'numeric'
                ? ({ kind: 'numeric', min: 0, max: 100, passing: 50 } as const)
                : undefined;
        const mc = defineMicroCredential(
          minimalInput({
            title: g.title,
            description: g.description,
            learningOutcomes: g.outcomes as [string, ...string[]],
            workload: g.hours === undefined ? { ects: g.ects } : { ects: g.ects, hours: g.hours },
            level: { eqf: g.eqf as 1 },
            assessment: g.assessment.map((type) => ({ type })) as unknown as MicroCredentialInput['assessment'],
            participation: { mode: g.modes as unknown as MicroCredentialInput['participation']['mode'] },
            qualityAssurance: [{ type: g.qa }],
            ...(grading ? { grading } : {}),
            ...(g.prerequisites ? { prerequisites: g.prerequisites } : {}),
          }),
        );
        const grade =
          g.grading === 'letter' ? 'C' : g.grading === 'pass-fail' ? 'pass' : g.grading === 'numeric' ? 75 : undefined;
        const c = award(mc, {
          issuer: university,
          learner: { email: 'l@example.org' },
          ...(grade !== undefined ? { grade } : {}),
        });
        await expand(c);
        expect(obSchema(c).errors).toEqual([]);
        expect(validate(c).errors).toEqual([]);
        const view = readMicroCredential(c);
        expect(view.missingMandatory).toEqual([]);
        expect(view.title).toBe(g.title.trim());
        expect(view.workload.ects).toBe(g.ects);
        expect(view.level.eqf).toBe(g.eqf);
        expect(view.learningOutcomes.map((o) => o.text)).toEqual(g.outcomes.map((o) => o.trim()));
        if (g.grading === 'letter') expect(c.credentialSubject.creditsEarned).toBe(0);
        else expect(c.credentialSubject.creditsEarned).toBe(g.ects);
      }),
      { numRuns: 60 },
    );
  });
});
