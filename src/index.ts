// The public API of `microcredentials`: every name here is intended and documented, and api/index.api.md records
// the list (CI fails when it changes without that file). Internals (fast-path statistics, CRC-32, timeouts, proof
// hashing steps, JSON path helpers) stay in their modules; tests import them from there.
// It holds the calls users make; building blocks are on subpath entries: `microcredentials/proof` (proofs and JWTs one
// by one, resolvers, the Ed25519 backend), `microcredentials/jsonld` (contexts, document loader, canonicalization),
// `microcredentials/status` (bitstrings, allocators, status lists). Node-only parts (workspace, SQLite register,
// rosters) are in `microcredentials/node`. scripts/entries.mjs lists every entry.

// Errors
export { MicrocredError, isMicrocredError, type ErrorCode, type Problem } from './errors';

// Data model: Open Badges 3.0 and the EU micro-credential achievement (every part type: `microcredentials/model`)
export type {
  Achievement,
  AchievementSubject,
  AchievementType,
  OpenBadgeCredential,
  Profile,
} from './model/ob';
export {
  EU_ACHIEVEMENT_TYPE,
  type EUMicroCredentialAchievement,
  type MicroCredentialCredential,
} from './model/eu';

// Controlled vocabularies (EQF, ISCED-F, learning modes, ...); defining and listing them: `microcredentials/model`
export {
  lookupConcept,
  AssessmentType,
  Country,
  countryByAlpha2,
  CreditSystem,
  CredentialType,
  EQF,
  eqfLevel,
  IscedF,
  iscedF,
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
  type AnnexSupervisionOption,
  type Concept,
  type ConceptInput,
  type CountryAlpha2,
  type CountryConcept,
  type EqfLevelNumber,
  type IscedFCode,
  type IscedFConcept,
  type IscedFLevel,
  type SupervisionVerificationConcept,
  type Vocabulary,
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

// Keys and DID documents (from their modules, not the keys/ barrel, which would be one more, empty, chunk to load)
export { generateKey, importKey, type Ed25519Key, type KeyImport, type KeyOptions } from './keys/multikey';
export { didKeyDocument, didWebDocument, didWebUrl, type DidDocument } from './keys/did';
export {
  generateJwtKey,
  importJwk,
  exportJwks,
  jwtKeyFromEd25519,
  type JwtAlgorithm,
  type JwtKey,
} from './keys/jwt-keys';

// Issuing
export { issue, type IssueFormat, type IssueOptions, type SignedCredential } from './issue';
export { createRosterIssuer, type RosterIssuer } from './roster/index';

// SD-JWT VC (EUDI wallets): issue with issue(c, { format: 'dc+sd-jwt' }), verify with verify(); docs/sd-jwt.md
export {
  EU_MICROCREDENTIAL_VCT,
  EU_MICROCREDENTIAL_TYPE_METADATA,
  issueSdJwtVc,
  presentSdJwt,
  signTokenStatusList,
  tokenStatusListUri,
  type PresentSdJwtOptions,
  type SdJwtVcIssueOptions,
  type SdJwtVcTypeMetadata,
  type TokenStatusListOptions,
} from './proof/sd-jwt/index';

// Proofs one by one, JSON-LD processing, and status lists are on their own entries: `microcredentials/proof`,
// `microcredentials/jsonld`, `microcredentials/status` (src/entries/).

// Verifying
export { verify } from './verify/verify';
export type { VerifyOptions } from './verify/options';
export type {
  Check,
  CheckCode,
  CheckName,
  CheckOutcome,
  CredentialFormat,
  InputSource,
  SdJwtDisclosureReport,
  VerificationReport,
} from './verify/report';
export type { VerifiableInput, ParsedInput } from './verify/parse';
export { parseCredential } from './verify/parse-credential';
export { findDuplicateKey } from './verify/duplicate-keys';
export type { ProofOptions } from './verify/options';
export {
  deriveVerdict,
  type Verdict,
  type VerdictElement,
  type VerdictIssuer,
  type VerdictOutcome,
  type VerdictReason,
} from './verify/verdict';
export {
  parseTrustSource,
  type IssuerConfirmation,
  type TrustedIssuer,
  type TrustOptions,
  type TrustSource,
} from './verify/trust';
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
