import { describe, expectTypeOf, it } from 'vitest';
import {
  AssessmentType,
  EQF,
  LearningMode,
  QualityAssuranceType,
  Stackability,
  award,
  defineMicroCredential,
  type MicroCredentialCredential,
  type MicroCredentialInput,
  type ParticipationInput,
  type VocabularyRef,
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
    expectTypeOf(
      award(mc, { issuer: university, learner: { email: 'a@b.c' } }),
    ).toEqualTypeOf<MicroCredentialCredential>();
  });
});

describe('vocabulary slots take only their own vocabulary', () => {
  type ModeSlot = ParticipationInput['mode'];

  it('accepts the right constants and IRI literals', () => {
    defineMicroCredential({ ...complete, participation: { mode: LearningMode.blended } });
    defineMicroCredential({
      ...complete,
      participation: { mode: [LearningMode.online, 'http://data.europa.eu/snb/learning-assessment/e92d221e4d'] },
    });
    defineMicroCredential({ ...complete, level: { eqf: EQF.level6 } });
    defineMicroCredential({ ...complete, level: { eqf: 'http://data.europa.eu/snb/eqf/6' } });
    defineMicroCredential({ ...complete, stackability: 'stand-alone' });
    defineMicroCredential({ ...complete, stackability: Stackability.integratedStackable });
    // a newer concept of an EU scheme, in the object form, as the builders accept it at run time
    defineMicroCredential({
      ...complete,
      participation: { mode: { id: 'http://data.europa.eu/snb/learning-assessment/0000000000' } },
    });
    expectTypeOf(LearningMode.blended).toExtend<ModeSlot>();
    expectTypeOf(LearningMode.blended.id).toExtend<ModeSlot>();
  });

  it('refuses an IRI or a constant of another vocabulary', () => {
    // @ts-expect-error an EQF level is not a mode of learning
    defineMicroCredential({ ...complete, participation: { mode: EQF.level6 } });
    // @ts-expect-error an EQF IRI is not a mode of learning
    defineMicroCredential({ ...complete, participation: { mode: 'http://data.europa.eu/snb/eqf/6' } });
    // @ts-expect-error an assessment type IRI is not a mode of learning
    defineMicroCredential({ ...complete, participation: { mode: [AssessmentType.writtenExamination.id] } });
    // @ts-expect-error a mode is not an assessment type
    defineMicroCredential({ ...complete, assessment: [{ type: LearningMode.online }] });
    // @ts-expect-error a mode is not an EQF level
    defineMicroCredential({ ...complete, level: { eqf: LearningMode.online.id } });
    expectTypeOf(EQF.level6).not.toExtend<ModeSlot>();
    expectTypeOf(EQF.level6.id).not.toExtend<ModeSlot>();
    expectTypeOf(AssessmentType.writtenExamination.id).not.toExtend<VocabularyRef<typeof LearningMode>>();
  });

  it('refuses free text and untyped strings', () => {
    // @ts-expect-error stackability has two options
    defineMicroCredential({ ...complete, stackability: 'whatever' });
    // @ts-expect-error a guessed word is not a concept IRI (definition files may use keys; they are checked at run time)
    defineMicroCredential({ ...complete, participation: { mode: 'blended' } });
    const someString: string = LearningMode.online.id;
    // @ts-expect-error a value typed `string` could be any IRI
    defineMicroCredential({ ...complete, participation: { mode: someString } });
    // @ts-expect-error not even wrapped as { id }
    defineMicroCredential({ ...complete, participation: { mode: { id: someString } } });
    defineMicroCredential({
      ...complete,
      // @ts-expect-error the project's own vocabularies are closed: no unlisted IRI even in their namespace
      stackability: { id: 'https://w3id.org/microcredentials/vocab/stackability/other' },
    });
    // @ts-expect-error EQF has only levels 1–8: no newer IRI
    defineMicroCredential({ ...complete, level: { eqf: { id: 'http://data.europa.eu/snb/eqf/9' } } });
    expectTypeOf<string>().not.toExtend<ModeSlot>();
    expectTypeOf<'whatever'>().not.toExtend<NonNullable<MicroCredentialInput['stackability']>>();
  });
});
