// The issuance register: which credential holds which status index, and every status change with its reason.
export { openSqliteRegister, type SqliteRegisterOptions } from './sqlite';
export { openPostgresRegister, DEFAULT_PG_SCHEMA, type PostgresRegisterOptions } from './postgres';
export type { SqliteDriverName } from './driver';
export { credentialHash, issuanceKey } from './hash';
export type {
  IssuanceRegister,
  IssuanceRecord,
  IssuedFilter,
  RegisterStatusPurpose,
  StatusListInput,
  StatusListInfo,
  ReserveInput,
  CompleteInput,
  CredentialStatus,
  StatusChangeInput,
  StatusChange,
  SetStatusResult,
  OrphanReport,
  WorkspaceBinding,
  PublicationInput,
  Publication,
  OfferInput,
  OfferRecord,
  OfferRedemption,
  ServiceTokenInput,
  ServiceTokenRecord,
} from './types';
