/** Register rows as both databases hand them back, and the records the register's methods return for them. */
import { MicrocredError } from '../../errors';
import { credentialHash } from './hash';
import type {
  CompleteInput,
  CredentialStatus,
  IssuanceRecord,
  Publication,
  PublicationInput,
  RegisterStatusPurpose,
  StatusChange,
} from './types';
import { object, sha256Hex, text } from './validate';

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

/** A completion's input, checked: the key, credential id, format, SHA-256 (lower-case hex) and file. */
export function completionInput(completion: CompleteInput): {
  key: string;
  credentialId: string;
  format: string;
  hash: string;
  file: string | null;
  bytes: Uint8Array | null;
} {
  const input = object(completion, '$');
  const key = text(input.key, '$.key');
  const credentialId = text(input.credentialId, '$.credentialId');
  const format = text(input.format, '$.format');
  const hash = text(input.credentialHash, '$.credentialHash').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    throw new MicrocredError('INVALID_INPUT', 'credentialHash must be a SHA-256 digest as 64 hex digits', {
      path: '$.credentialHash',
    });
  }
  const file = input.file === undefined ? null : text(input.file, '$.file');
  let bytes: Uint8Array | null = null;
  if (input.credential !== undefined) {
    if (typeof input.credential === 'string') bytes = Buffer.from(input.credential, 'utf8');
    else if (input.credential instanceof Uint8Array) bytes = input.credential;
    else
      throw new MicrocredError('INVALID_INPUT', 'credential must be the issued bytes (a string or a Uint8Array)', {
        path: '$.credential',
      });
    // Kept bytes that are not the ones hashed would be handed out later as if they were.
    if (credentialHash(bytes) !== hash)
      throw new MicrocredError('INVALID_INPUT', 'the SHA-256 of credential is not credentialHash', {
        path: '$.credential',
      });
  }
  return { key, credentialId, format, hash, file, bytes };
}

/**
 * The kept bytes of an issued credential, once their SHA-256 is the one recorded at issue: the register is the
 * last copy a server without the file can hand out, so a row edited by hand or restored wrongly is refused.
 */
export function checkedCredentialBytes(
  credentialId: string,
  bytes: Uint8Array,
  recordedHash: string | null,
): Uint8Array {
  if (recordedHash === null || credentialHash(bytes) !== recordedHash)
    throw new MicrocredError(
      'REGISTER_INCONSISTENT',
      `The register keeps bytes for ${credentialId} whose SHA-256 is not the one recorded when it was issued; nothing is handed out. Restore the register from backup`,
      { path: '$.credentialId' },
    );
  return bytes;
}

/**
 * Why a reservation cannot be completed by this session, or the record when it already was with the same bytes
 * (a retried completion); undefined when this session may complete it. The same rules in both registers.
 */
export function completionRefusal(
  row: IssuanceRow | undefined,
  c: { key: string; credentialId: string; hash: string },
  session: string,
): IssuanceRecord | undefined {
  if (!row)
    throw new MicrocredError('INVALID_INPUT', `Nothing is reserved under ${c.key}; call reserveIssuance first`, {
      path: '$.key',
    });
  if (row.credential_id !== c.credentialId) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `${c.key} was reserved for credential ${row.credential_id}, not ${c.credentialId}`,
      { path: '$.credentialId' },
    );
  }
  if (row.state === 'issued') {
    if (row.credential_hash === c.hash) return toRecord(row);
    throw new MicrocredError(
      'INVALID_INPUT',
      `${c.credentialId} was already issued with another hash; one key never gets two credentials`,
      { path: '$.credentialHash' },
    );
  }
  if (row.claimed_by !== session) {
    // Someone else is (or was) finishing this reservation; completing it from here would race them.
    throw new MicrocredError(
      'INVALID_INPUT',
      `${c.key} is not reserved by this process; call reserveIssuance for it first`,
      { path: '$.key' },
    );
  }
  return undefined;
}

/** A status list publication row as both databases hand it back (PostgreSQL's bigserial `seq` comes as text). */
export interface PublicationRow {
  seq: number | string;
  list_id: string;
  published_at: string;
  valid_until: string | null;
  set_count: number;
  sha256: string;
}

export function toPublication(row: PublicationRow): Publication {
  return {
    seq: Number(row.seq),
    listId: row.list_id,
    publishedAt: row.published_at,
    ...(row.valid_until !== null ? { validUntil: row.valid_until } : {}),
    setCount: row.set_count,
    sha256: row.sha256,
  };
}

/** A publication to record, checked: the list, how many entries are set, the file's SHA-256 and its validUntil. */
export function publicationInput(publication: PublicationInput): {
  listId: string;
  setCount: number;
  sha256: string;
  validUntil: string | null;
} {
  const input = object(publication, '$');
  const listId = text(input.listId, '$.listId');
  const setCount = input.setCount;
  if (typeof setCount !== 'number' || !Number.isSafeInteger(setCount) || setCount < 0) {
    throw new MicrocredError('INVALID_INPUT', 'setCount must be a non-negative integer', { path: '$.setCount' });
  }
  const sha256 = sha256Hex(input.sha256, '$.sha256');
  const validUntil = input.validUntil === undefined ? null : text(input.validUntil, '$.validUntil');
  return { listId, setCount, sha256, validUntil };
}
