// `microcredentials/model`: the Open Badges 3.0 and EU micro-credential data model in detail (every part of a
// credential as a type) and the vocabulary machinery (defining vocabularies, the registry of them, ISCED-F and country
// lookups, the project's own terms). The credential types and the vocabularies builders use are on the main entry.
// Isomorphic; api/model.api.md records the list.
export type {
  Address,
  Alignment,
  CredentialSchema,
  CredentialStatus,
  Criteria,
  DataIntegrityProof,
  Evidence,
  GeoCoordinates,
  IdentifierEntry,
  IdentifierType,
  IdentityObject,
  Image,
  JsonLdContextEntry,
  Related,
  Result,
  ResultDescription,
  ResultStatusType,
  ResultType,
  RubricCriterionLevel,
  TypeList,
} from '../model/ob';
export type {
  EncodedAccreditation,
  EncodedAssessment,
  EncodedConcept,
  EncodedConceptValue,
  EncodedCreditPoint,
  EncodedGradingScheme,
  EncodedLearningActivity,
  EncodedLearningOutcome,
} from '../model/eu';
export {
  VOCABULARIES,
  defineVocabulary,
  countryByIri,
  iscedFBroader,
  iscedFLevel,
  isIscedFCode,
  PROJECT_NAMESPACE,
  PROJECT_SCHEMES,
  PROJECT_TERMS,
  type AnyVocabulary,
  type ConceptIri,
  type ConceptOf,
  type ProjectTerm,
  type SchemedConcept,
  type VocabularyMeta,
} from '../model/vocab';
