/** Register rows as both databases hand them back, and the records the register's methods return for them. */
import type { CredentialStatus, IssuanceRecord, RegisterStatusPurpose, StatusChange } from './types';

export interface IssuanceRow {
  key: string;
  roster_key: string;
  learner_ref: string;
  achievement_id: string;
  credential_id: string;
  state: 'reserved' | 'issued';
  list_id: string | null;
  status_index: number | null;
  format: string | null;
  credential_hash: string | null;
  file: string | null;
  learner_label: string | null;
  reserved_at: string;
  issued_at: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  /** 1/0 in SQLite, a boolean in PostgreSQL. */
  revoked: number | boolean;
  suspended: number | boolean;
  holder_pid: number | null;
  holder_host: string | null;
  holder_closed_at: string | null;
  list_purpose: RegisterStatusPurpose | null;
}

export interface ChangeRow {
  /** A bigint, which the PostgreSQL driver hands back as text. */
  seq: number | string;
  credential_id: string;
  purpose: RegisterStatusPurpose;
  value: number | boolean;
  reason: string;
  actor: string | null;
  at: string;
}

export interface ListRow {
  id: string;
  purpose: RegisterStatusPurpose;
  size: number;
  created_at: string;
  allocated: number;
}

export function toRecord(row: IssuanceRow): IssuanceRecord {
  const record: IssuanceRecord = {
    key: row.key,
    rosterKey: row.roster_key,
    learnerRef: row.learner_ref,
    achievementId: row.achievement_id,
    credentialId: row.credential_id,
    state: row.state,
    reservedAt: row.reserved_at,
    status: toStatus(row),
  };
  if (row.list_id !== null) record.listId = row.list_id;
  if (row.status_index !== null) record.statusIndex = row.status_index;
  if (row.format !== null) record.format = row.format;
  if (row.credential_hash !== null) record.credentialHash = row.credential_hash;
  if (row.file !== null) record.file = row.file;
  if (row.learner_label !== null) record.learnerLabel = row.learner_label;
  if (row.issued_at !== null) record.issuedAt = row.issued_at;
  if (row.state === 'reserved' && row.claimed_at !== null && row.holder_pid !== null && row.holder_host !== null) {
    record.holder = { pid: row.holder_pid, host: row.holder_host, since: row.claimed_at };
  }
  return record;
}

export function toStatus(row: IssuanceRow): CredentialStatus {
  return {
    revoked: row.revoked === 1 || row.revoked === true,
    suspended: row.suspended === 1 || row.suspended === true,
  };
}

export function toChange(row: ChangeRow): StatusChange {
  return {
    seq: Number(row.seq),
    credentialId: row.credential_id,
    purpose: row.purpose,
    value: row.value === 1 || row.value === true,
    reason: row.reason,
    ...(row.actor !== null ? { actor: row.actor } : {}),
    at: row.at,
  };
}
