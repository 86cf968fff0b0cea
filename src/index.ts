// The public API of `microcredentials`: every name here is intended and documented, and api/index.api.md records
// the list (CI fails when it changes without that file). Internals (fast-path statistics, CRC-32, timeouts, proof
// hashing steps, JSON path helpers) stay in their modules; tests import them from there.
// Node-only parts (workspace, SQLite register, rosters, the CLI) are in `microcredentials/node`.

// Errors
export { MicrocredError, isMicrocredError, type ErrorCode, type Problem } from './errors';

// Data model: Open Badges 3.0 and the EU micro-credential achievement
export type {
  Achievement,
  AchievementSubject,
  AchievementType,
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
  OpenBadgeCredential,
  Profile,
  Related,
  Result,
  ResultDescription,
  ResultStatusType,
  ResultType,
  RubricCriterionLevel,
  TypeList,
} from './model/ob';
export {
  EU_ACHIEVEMENT_TYPE,
  type EncodedAccreditation,
  type EncodedAssessment,
  type EncodedConcept,
  type EncodedConceptValue,
  type EncodedCreditPoint,
  type EncodedGradingScheme,
  type EncodedLearningActivity,
  type EncodedLearningOutcome,
  type EUMicroCredentialAchievement,
  type MicroCredentialCredential,
} from './model/eu';

// Controlled vocabularies (EQF, ISCED-F, learning modes, ...)
export {
  VOCABULARIES,
  lookupConcept,
  defineVocabulary,
  AssessmentType,
  Country,
  countryByAlpha2,
  countryByIri,
  CreditSystem,
  CredentialType,
  EQF,
  eqfLevel,
  IscedF,
  iscedF,
  iscedFBroader,
  iscedFLevel,
  isIscedFCode,
  LearningActivityType,
  LearningMode,
  LearningOpportunityType,
  LearningSchedule,
  LearningSetting,
  QfEheaCycle,
  QualityAssuranceType,
  SkillReuseLevel,
  Stackability,
  SupervisionVerification,
  annexSupervisionOption,
  supervisionConceptFor,
  TargetGroup,
  PROJECT_NAMESPACE,
  PROJECT_SCHEMES,
  PROJECT_TERMS,
  type AnnexSupervisionOption,
  type AnyVocabulary,
  type Concept,
  type ConceptInput,
  type ConceptIri,
  type ConceptOf,
  type CountryAlpha2,
  type CountryConcept,
  type EqfLevelNumber,
  type IscedFCode,
  type IscedFConcept,
  type IscedFLevel,
  type ProjectTerm,
  type SchemedConcept,
  type SupervisionVerificationConcept,
  type Vocabulary,
  type VocabularyMeta,
} from './model/vocab';

// Builders: issuer, micro-credential definition, programme, award
export {
  defineIssuer,
  defineMicroCredential,
  defineProgramme,
  definitionFromData,
  award,
  hashIdentity,
  matchesIdentity,
  newLearnerSalt,
  OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
  type ConceptNamespace,
  type ConceptRef,
  type DefinitionData,
  type Grading,
  type LoadedDefinition,
  type MicroCredentialDefinition,
  type ProgrammeDefinition,
  type ProgrammeInput,
  type VocabularyRef,
} from './builders';
export type {
  AssessmentInput,
  AwardOptions,
  GradingInput,
  IssuerInput,
  LearnerIdentifiers,
  LearnerInput,
  LearningOutcomeInput,
  LevelInput,
  MicroCredentialInput,
  NonEmptyArray,
  OneOrMore,
  ParticipationInput,
  QualityAssuranceInput,
  WorkloadInput,
} from './builders/inputs';

// Keys and DID documents
export {
  generateKey,
  importKey,
  useEd25519Backend,
  encodePublicKeyMultibase,
  didKeyDocument,
  didWebDocument,
  didWebUrl,
  parseVerificationMethodId,
  generateJwtKey,
  importJwk,
  exportJwks,
  jwtKeyFromEd25519,
  type DidDocument,
  type Ed25519Backend,
  type Ed25519Key,
  type JwtAlgorithm,
  type JwtKey,
  type KeyImport,
  type KeyOptions,
  type ParsedVerificationMethod,
} from './keys';

// Issuing and proofs
export { issue, type IssueFormat, type IssueOptions, type SignedCredential } from './issue';
export {
  createProof,
  verifyProof,
  verifyProofSet,
  canonicalizeJcs,
  createResolver,
  localResolver,
  signJwt,
  signJwtPayload,
  verifyJwt,
  type Canonicalizer,
  type CreateProofOptions,
  type Cryptosuite,
  type JwtVerification,
  type Proof,
  type ProofFailureCode,
  type ProofSetOptions,
  type ProofSetVerification,
  type ProofVerification,
  type ResolvedVerificationMethod,
  type ResolverOptions,
  type SignJwtOptions,
  type VerifyJwtOptions,
  type VerifyProofOptions,
} from './proof';

// JSON-LD: contexts bundled with the library, the document loader, RDFC-1.0 canonicalization
export {
  bundledContextUrls,
  createDocumentLoader,
  defaultDocumentLoader,
  isKnownContext,
  MICROCREDENTIALS_CONTEXT_V1,
  OB_CONTEXT_303,
  OB_EXTENSIONS_CONTEXT,
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
  type DocumentLoader,
  type DocumentLoaderOptions,
  type RemoteDocument,
} from './jsonld/loader';
export { canonicalizeRdf, expand, MAX_DOCUMENT_BYTES, type CanonizeOptions } from './jsonld/canonize';

// Verifying
export { verify, type VerifyOptions } from './verify/verify';
export type { Check, CheckCode, CheckName, CheckOutcome, CredentialFormat, InputSource, VerificationReport } from './verify/report';
export type { VerifiableInput, ParsedInput } from './verify/parse';
export { parseCredential } from './verify/unbake-step';
export type { ProofOptions } from './verify/proof-step';
export {
  deriveVerdict,
  type Verdict,
  type VerdictElement,
  type VerdictIssuer,
  type VerdictOutcome,
  type VerdictReason,
} from './verify/verdict';
export { parseTrustSource, type IssuerConfirmation, type TrustedIssuer, type TrustOptions, type TrustSource } from './verify/trust';
export { learnerMatches } from './verify/learner';
export { createFetchers, type Fetchers, type FetchersOptions } from './verify/fetchers';

// Reading a credential as Annex I elements; schema validation and conformance
export {
  readMicroCredential,
  ANNEX_I_ELEMENTS,
  checkConsistency,
  ECTS_HOURS_RANGE,
  type AnnexElementKey,
  type ConceptValue,
  type ConsistencyProblem,
  type ElementPresence,
  type ElementSource,
  type LabelledValue,
  type MandatoryElementKey,
  type MicroCredentialView,
} from './read';
export {
  validate,
  hasEuAchievementType,
  checkConformance,
  OB3_CREDENTIAL_SCHEMA_ID,
  EU_MICROCREDENTIAL_SCHEMA_ID,
  type ConformanceResult,
  type SchemaIssue,
  type SchemaName,
  type ValidateOptions,
  type ValidationResult,
} from './schema';

// Revocation and suspension: Bitstring Status List
export {
  Bitstring,
  encodeBitstring,
  decodeBitstring,
  IndexAllocator,
  statusListEntry,
  statusListCredential,
  checkStatus,
  MIN_STATUS_LIST_ENTRIES,
  MAX_DECOMPRESSED_BYTES,
  type BitstringOptions,
  type BitstringStatusListCredential,
  type BitstringStatusListEntry,
  type CheckStatusOptions,
  type DecodeOptions,
  type IndexAllocatorOptions,
  type StatusCheckResult,
  type StatusErrorReason,
  type StatusListCredentialInput,
  type StatusListEntryInput,
  type StatusListVerdict,
  type StatusMessage,
  type StatusOutcome,
  type StatusProblem,
  type StatusPurpose,
} from './status';

// Baked badges (PNG and SVG)
export { bake, unbake, inspectBadgeImage, detectImageType, type BakedPayload, type Ob2Assertion } from './bake';

// Presentations
export {
  createPresentation,
  signPresentation,
  verifyPresentation,
  MAX_PRESENTED_CREDENTIALS,
  type CreatePresentationInput,
  type Presentation,
  type PresentationFormat,
  type PresentationReport,
  type SignPresentationOptions,
  type VerifyPresentationOptions,
} from './presentation';

// Stacks: programme credentials and CLR 2.0
export {
  verifyStack,
  awardProgramme,
  credentialDigest,
  digestMatches,
  buildClr,
  verifyClr,
  isClrCredential,
  CLR_CONTEXT_V2,
  CLR_CREDENTIAL_SCHEMA,
  type AwardProgrammeOptions,
  type BuildClrOptions,
  type ClrAssociation,
  type ClrCredential,
  type ClrReport,
  type ProgrammeCredential,
  type RelatedResource,
  type StackCheck,
  type StackCheckName,
  type StackCode,
  type StackPartInput,
  type StackReport,
  type VerifyClrOptions,
  type VerifyStackInput,
} from './stack';
