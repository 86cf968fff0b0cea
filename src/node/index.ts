// Node-only parts: the issuer workspace on disk, the issuance register (SQLite, or PostgreSQL for several servers), roster streaming and batch issuance.
export {
  openSqliteRegister,
  openPostgresRegister,
  DEFAULT_PG_SCHEMA,
  credentialHash,
  issuanceKey,
  type SqliteRegisterOptions,
  type PostgresRegisterOptions,
  type SqliteDriverName,
  type IssuanceRegister,
  type IssuanceRecord,
  type IssuedFilter,
  type RegisterStatusPurpose,
  type StatusListInput,
  type StatusListInfo,
  type ReserveInput,
  type CompleteInput,
  type CredentialStatus as IssuedStatus,
  type StatusChangeInput,
  type StatusChange,
  type SetStatusResult,
  type OrphanReport,
  type WorkspaceBinding,
  type PublicationInput,
  type Publication,
  type OfferInput,
  type OfferRecord,
  type OfferRedemption,
  type ServiceTokenInput,
  type ServiceTokenRecord,
} from './register';
export {
  initWorkspace,
  openWorkspace,
  workspaceIdentity,
  STATUS_LIST_SIZE,
  WORKSPACE_FILE,
  type Workspace,
  type WorkspaceConfig,
  type WorkspaceDatabase,
  type InitOptions,
  type OpenWorkspaceOptions,
} from './workspace';
export {
  readRoster,
  isRosterProblem,
  learnerRow,
  rosterFromRecords,
  ROSTER_ENCODINGS,
  type RosterRow,
  type RosterProblem,
  type ReadRosterOptions,
} from './roster';
export {
  issueRow,
  issueRoster,
  credentialFileBase,
  CREDENTIAL_FILE_MODE,
  type BatchOptions,
  type BatchSummary,
  type IssuedRow,
} from './issue-batch';
export { workspaceDefinition } from './definition';
export { issueCredential, type IssueCredentialOptions, type IssuedCredential } from './issue-credential';
export {
  publishStatusLists,
  STATUS_LIST_VALIDITY_SECONDS,
  type PublishOptions,
  type PublishIo,
  type PublishedList,
} from './publish';
export { publishTokenStatusLists, type PublishTokenOptions, type PublishedTokenList } from './publish-token-status';
export { learnerReference, learnerLabel, identitiesFor, type LearnerIdentity } from './identity';
export { findIssued, type FindIssuedFilter } from './find-issued';
export { issuerForDefinition, issuerInputOf, type IssuerForDefinition } from './issuer-details';
export { makeTranscript, type TranscriptOptions, type TranscriptResult } from './transcript';
export { guardAgainstGit } from './git-guard';
export { revokeCredential, type RevocationResult } from './revoke';
export { registerOlderThanWorkspace, type RefusedOperation } from './register-mark';
export { suspendCredential, type SuspensionResult } from './suspend';
export { nodeFetch, createNodeFetchers, type NodeFetchOptions } from './fetch';
