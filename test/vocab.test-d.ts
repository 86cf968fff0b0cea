import { describe, expectTypeOf, test } from 'vitest';
import {
  Country,
  EQF,
  IscedF,
  LearningMode,
  QfEheaCycle,
  Stackability,
  type SupervisionVerification,
  eqfLevel,
  iscedF,
  type Concept,
  type ConceptIri,
  type ConceptOf,
  type CountryAlpha2,
  type IscedFCode,
} from '../src/model/vocab';
import type { ConceptNamespace, VocabularyRef } from '../src/builders/concepts';
import { AssessmentType } from '../src/model/vocab';

describe('vocabulary types', () => {
  test('concept IRIs keep their literal type', () => {
    expectTypeOf(LearningMode.online.id).toEqualTypeOf<'http://data.europa.eu/snb/learning-assessment/920fbb3cbe'>();
    expectTypeOf(LearningMode.$scheme).toEqualTypeOf<'http://data.europa.eu/snb/learning-assessment/25831c2'>();
    expectTypeOf(EQF.level6.notation).toEqualTypeOf<'6'>();
    expectTypeOf(IscedF.f0613.id).toEqualTypeOf<'http://data.europa.eu/snb/isced-f/0613'>();
    expectTypeOf(Country.EE.id).toEqualTypeOf<'http://publications.europa.eu/resource/authority/country/EST'>();
    expectTypeOf(Country.GR.alpha3).toEqualTypeOf<'GRC'>();
  });

  test("ConceptIri is the union of a vocabulary's IRIs and nothing wider", () => {
    type ModeIri = ConceptIri<typeof LearningMode>;
    expectTypeOf<'http://data.europa.eu/snb/learning-assessment/e92d221e4d'>().toExtend<ModeIri>();
    expectTypeOf<string>().not.toExtend<ModeIri>();
    expectTypeOf<ConceptIri<typeof Stackability>>().toEqualTypeOf<
      | 'https://w3id.org/microcredentials/vocab/stackability/stand-alone'
      | 'https://w3id.org/microcredentials/vocab/stackability/integrated-stackable'
    >();
    // an IRI of another scheme is not accepted where a mode is expected
    expectTypeOf(EQF.level1.id).not.toExtend<ModeIri>();
  });

  test('ConceptOf gives concepts that are Concepts', () => {
    expectTypeOf<ConceptOf<typeof SupervisionVerification>>().toExtend<Concept>();
    expectTypeOf<
      ConceptOf<typeof LearningMode>['scheme']
    >().toEqualTypeOf<'http://data.europa.eu/snb/learning-assessment/25831c2'>();
  });

  test('helpers return precise types', () => {
    expectTypeOf(eqfLevel(7).id).toEqualTypeOf<'http://data.europa.eu/snb/eqf/7'>();
    // @ts-expect-error 9 is not an EQF level
    eqfLevel(9);
    expectTypeOf(iscedF('0613').notation).toEqualTypeOf<IscedFCode>();
    expectTypeOf(QfEheaCycle.secondCycle.eqfLevel).toEqualTypeOf<7>();
    expectTypeOf(QfEheaCycle.$projectDefined).toEqualTypeOf<true>();
    expectTypeOf(LearningMode.$projectDefined).toEqualTypeOf<false>();
    expectTypeOf<'EE'>().toExtend<CountryAlpha2>();
    expectTypeOf<'ZZ'>().not.toExtend<CountryAlpha2>();
  });
});

describe('VocabularyRef: what a builder slot of one vocabulary takes', () => {
  test('the namespace of EU and project schemes', () => {
    expectTypeOf<
      ConceptNamespace<typeof LearningMode>
    >().toEqualTypeOf<'http://data.europa.eu/snb/learning-assessment/'>();
    expectTypeOf<
      ConceptNamespace<typeof Stackability>
    >().toEqualTypeOf<'https://w3id.org/microcredentials/vocab/stackability/'>();
  });

  test('own constants and IRIs only', () => {
    type Mode = VocabularyRef<typeof LearningMode>;
    expectTypeOf(LearningMode.blended).toExtend<Mode>();
    expectTypeOf(LearningMode.blended.id).toExtend<Mode>();
    expectTypeOf<{ id: 'http://data.europa.eu/snb/learning-assessment/newer' }>().toExtend<Mode>();
    expectTypeOf(EQF.level6).not.toExtend<Mode>();
    expectTypeOf(EQF.level6.id).not.toExtend<Mode>();
    expectTypeOf(AssessmentType.portfolio.id).not.toExtend<Mode>();
    expectTypeOf<string>().not.toExtend<Mode>();
    expectTypeOf<{ id: string }>().not.toExtend<Mode>();
    // a bare IRI string must be a listed one (the object form is the way to pass a newer one)
    expectTypeOf<'http://data.europa.eu/snb/learning-assessment/newer'>().not.toExtend<Mode>();
    // project vocabularies are closed
    expectTypeOf<{ id: 'https://w3id.org/microcredentials/vocab/stackability/other' }>().not.toExtend<
      VocabularyRef<typeof Stackability>
    >();
    expectTypeOf(Stackability.standAlone).toExtend<VocabularyRef<typeof Stackability>>();
  });
});
