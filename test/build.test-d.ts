import { describe, expectTypeOf, it } from 'vitest';
import {
  AssessmentType,
  LearningMode,
  QualityAssuranceType,
  award,
  defineMicroCredential,
  type MicroCredentialCredential,
  type MicroCredentialInput,
} from '../src';
import { university } from '../examples/rei-programme';

const complete = {
  id: 'https://uni.example/mc/1',
  title: 'T',
  description: 'D',
  awardingBodies: [university],
  learningOutcomes: ['LO'],
  workload: { ects: 6 },
  level: { eqf: 6 },
  assessment: [{ type: AssessmentType.writtenExamination }],
  participation: { mode: LearningMode.online },
  qualityAssurance: [{ type: QualityAssuranceType.institutionalQA }],
} satisfies MicroCredentialInput;

describe('mandatory Annex I elements are compile-time requirements', () => {
  it('accepts a complete definition', () => {
    expectTypeOf(defineMicroCredential(complete).achievement.achievementType).toEqualTypeOf<
      MicroCredentialCredential['credentialSubject']['achievement']['achievementType']
    >();
  });

  it('rejects a definition missing several mandatory elements', () => {
    const { learningOutcomes: _lo, workload: _w, qualityAssurance: _qa, ...missingThree } = complete;
    // @ts-expect-error learningOutcomes, workload and qualityAssurance are required
    defineMicroCredential(missingThree);
    // @ts-expect-error an empty list of learning outcomes is not "at least one"
    defineMicroCredential({ ...complete, learningOutcomes: [] });
    // @ts-expect-error EQF has levels 1–8 only
    defineMicroCredential({ ...complete, level: { eqf: 9 } });
    // @ts-expect-error a workload needs ECTS or hours
    defineMicroCredential({ ...complete, workload: {} });
    // @ts-expect-error grading kinds are closed
    defineMicroCredential({ ...complete, grading: { kind: 'stars' } });
  });

  it('requires an issuer and a learner when awarding', () => {
    const mc = defineMicroCredential(complete);
    // @ts-expect-error the learner is element 1
    award(mc, { issuer: university });
    // @ts-expect-error a learner object needs at least one identifier
    award(mc, { issuer: university, learner: { hashed: true } });
    expectTypeOf(award(mc, { issuer: university, learner: { email: 'a@b.c' } })).toEqualTypeOf<MicroCredentialCredential>();
  });
});
