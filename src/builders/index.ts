export { defineIssuer, isIdentifierType } from './issuer';
export { defineMicroCredential, type MicroCredentialDefinition } from './micro-credential';
export { defineProgramme, type ProgrammeDefinition, type ProgrammeInput } from './programme';
export { award, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA } from './award';
export { hashIdentity, matchesIdentity, newLearnerSalt } from './learner';
export type { Grading } from './grading';
export type { ConceptNamespace, ConceptRef, VocabularyRef } from './concepts';
export type * from './inputs';
export { definitionFromData, type DefinitionData, type LoadedDefinition } from './from-data';
