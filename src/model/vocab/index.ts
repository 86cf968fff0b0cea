import type { AnyVocabulary, Concept } from './concept';
import { AssessmentType } from './assessment-type';
import { Country } from './country';
import { CreditSystem } from './credit-system';
import { CredentialType } from './credential-type';
import { EQF } from './eqf';
import { IscedF } from './isced-f';
import { LearningActivityType } from './learning-activity-type';
import { LearningMode } from './learning-mode';
import { LearningOpportunityType } from './learning-opportunity-type';
import { LearningSchedule } from './learning-schedule';
import { LearningSetting } from './learning-setting';
import { QfEheaCycle } from './qf-ehea-cycle';
import { QualityAssuranceType } from './quality-assurance-type';
import { SkillReuseLevel } from './skill-reuse-level';
import { Stackability } from './stackability';
import { SupervisionVerification } from './supervision-verification';
import { TargetGroup } from './target-group';

export * from './concept';
export { AssessmentType } from './assessment-type';
export { Country, countryByAlpha2, countryByIri, type CountryAlpha2, type CountryConcept } from './country';
export { CreditSystem } from './credit-system';
export { CredentialType } from './credential-type';
export { EQF, eqfLevel, type EqfLevelNumber } from './eqf';
export {
  IscedF,
  iscedF,
  iscedFBroader,
  iscedFLevel,
  isIscedFCode,
  type IscedFCode,
  type IscedFConcept,
  type IscedFLevel,
} from './isced-f';
export { LearningActivityType } from './learning-activity-type';
export { LearningMode } from './learning-mode';
export { LearningOpportunityType } from './learning-opportunity-type';
export { LearningSchedule } from './learning-schedule';
export { LearningSetting } from './learning-setting';
export { QfEheaCycle } from './qf-ehea-cycle';
export { QualityAssuranceType } from './quality-assurance-type';
export { SkillReuseLevel } from './skill-reuse-level';
export { Stackability } from './stackability';
export {
  SupervisionVerification,
  annexSupervisionOption,
  supervisionConceptFor,
  type AnnexSupervisionOption,
  type SupervisionVerificationConcept,
} from './supervision-verification';
export { TargetGroup } from './target-group';

/** Every vocabulary the library knows, by its export name. */
export const VOCABULARIES: Readonly<Record<string, AnyVocabulary>> = Object.freeze({
  EQF,
  CreditSystem,
  LearningMode,
  LearningSetting,
  LearningSchedule,
  AssessmentType,
  SupervisionVerification,
  QualityAssuranceType,
  LearningActivityType,
  LearningOpportunityType,
  TargetGroup,
  SkillReuseLevel,
  CredentialType,
  IscedF,
  Country,
  QfEheaCycle,
  Stackability,
});

/** Every vocabulary with its export name, last first: where two held one IRI, the later one's concept is the answer. */
const searchOrder = Object.entries(VOCABULARIES).reverse();
/** Answers already given, so that one IRI always gets the same object; only IRIs of known concepts are kept (bounded). */
const found = new Map<string, { vocabulary: string; concept: Concept }>();

/**
 * Finds a concept by IRI across all vocabularies; `vocabulary` is the export name (`'LearningMode'`).
 * Used by readers to label concept IRIs found in credentials. Asks each vocabulary's own index rather than building
 * one of all ~800 concepts: a process labels a handful of IRIs, and the first credential of a process paid ~0.4 ms for
 * the combined index (docs/speed.md, "Cold start, round seven").
 */
export function lookupConcept(iri: string): { vocabulary: string; concept: Concept } | undefined {
  if (typeof iri !== 'string') return undefined;
  let answer = found.get(iri);
  for (let i = 0; answer === undefined && i < searchOrder.length; i++) {
    const [vocabulary, vocab] = searchOrder[i]!;
    const concept = vocab.$byId(iri);
    if (concept !== undefined) found.set(iri, (answer = { vocabulary, concept }));
  }
  return answer;
}
export { PROJECT_NAMESPACE, PROJECT_SCHEMES, PROJECT_TERMS, type ProjectTerm } from './project-terms';
