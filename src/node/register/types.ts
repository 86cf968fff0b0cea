import type { Bitstring } from '../../status/bitstring';

/**
 * The issuing office's memory: which credential holds which status index, what was revoked or suspended, when and
 * why. Losing it, or letting two credentials share a status index, would make revocation revoke the wrong
 * certificate — so every implementation must make each method atomic and durable before it resolves.
 *
 * Every method is async so that a shared server database can implement the same interface later;
 * {@link openSqliteRegister} is the single-file implementation.
 */
export interface IssuanceRegister {
  /**
   * Creates a status list the register allocates indexes from, or checks that an existing one has the same purpose
   * and size (a list's size is baked into every published copy, so it cannot change). Size: at least 131,072
   * entries, the Bitstring Status List minimum for herd privacy.
   */
  ensureStatusList(list: StatusListInput): Promise<StatusListInfo>;

  /**
   * Hands out an index of the list that was never handed out before and never will be again, chosen uniformly at
   * random among the free ones (a sequential index would leak issue order). Atomic across processes.
   * Most callers want {@link reserveIssuance}, which allocates as part of a reservation.
   */
  allocateStatusIndex(listId: string): Promise<number>;

  /**
   * Step 1 of issuing one credential, idempotent for batch re-runs. For a key (roster key + achievement) seen
   * before it returns the existing record — `state: 'issued'` means "already done, skip", `'reserved'` means an
   * earlier run stopped half-way and this one must finish it with the *same* credential id and status index.
   * Otherwise it records a new reservation: a fresh credential id and (with `listId`) a fresh status index.
   *
   * Build the credential from the returned record (`credentialId`, `listId`, `statusIndex`), never from the input:
   * a resumed reservation keeps what was reserved first.
   *
   * Fails with INVALID_INPUT when another live process is issuing the same key right now (two registrars running
   * the same roster), or when the key already belongs to a different learner.
   */
  reserveIssuance(input: ReserveInput): Promise<IssuanceRecord>;

  /**
   * Step 2: records that the credential reserved under `key` was issued, with the SHA-256 of the bytes handed to
   * the learner. Completing again with the same hash is a no-op; a different hash or credential id is refused,
   * because that would be a second credential for one key.
   */
  completeIssuance(input: CompleteInput): Promise<IssuanceRecord>;

  /**
   * The issued credential's bytes as the register kept them at completion (`CompleteInput.credential`), checked
   * against the SHA-256 recorded for it, so that any server using the register can hand a retried issue back the
   * very bytes it handed out first. Undefined for a credential completed without them (registers from before they
   * were kept, or a caller that gave none: its file is then the only copy). Bytes whose SHA-256 is not the recorded
   * one (a hand edit, a bad restore) are refused with `REGISTER_INCONSISTENT`, never returned.
   */
  issuedCredential(credentialId: string): Promise<Uint8Array | undefined>;

  /**
   * The learner's own salt for hashing their identifiers (docs/stacks.md, "One learner across a stack"): the same
   * for every credential awarded to this learner reference, different for every other learner. With `create`, a
   * learner without one gets a fresh random salt (128 bits, as `newLearnerSalt()`), atomically, so two processes
   * agree; without it, undefined for such a learner. A salt never changes once stored. A new salt is durable once
   * the next reservation or other write of this register is (it is committed without an fsync of its own), so
   * reserve before signing anything with it, as `issueRow` does.
   */
  learnerSalt(learnerRef: string, options?: { create?: boolean }): Promise<string | undefined>;

  /**
   * Records that these references (one per identifier of one learner: e-mail, student number, national id, DID) are
   * one learner, and returns that learner's reference: the one any of them is already linked to — or, in registers
   * from before links, the one that already holds credentials or a salt — else the first. References that already
   * belong to two different learners are refused (`IDENTIFIER_CONFLICT`) and nothing is recorded. Links never change
   * and are never deleted (the database refuses it).
   */
  linkLearner(refs: readonly string[]): Promise<string>;
  /** The learner reference this identifier's reference is linked to, or undefined when it never was. */
  learnerOf(ref: string): Promise<string | undefined>;

  findByKey(key: string): Promise<IssuanceRecord | undefined>;
  findByCredentialId(credentialId: string): Promise<IssuanceRecord | undefined>;
  /** Issued (completed) credentials matching every given filter, oldest first. */
  listIssued(filter?: IssuedFilter): Promise<IssuanceRecord[]>;
  /** Every status list in the register, oldest first (with how many indexes each has handed out). */
  statusLists(): Promise<StatusListInfo[]>;

  /**
   * Records a status change with its reason. Revocation is final: un-revoking is refused (STATUS_ERROR).
   * Suspension can be lifted (`value: false`, "reinstate"). A purpose the credential's status list does not carry
   * is refused too, since it could never be published. Setting a status to the value it already has records
   * nothing (`recorded: false`), so a retried command is harmless.
   */
  setStatus(change: StatusChangeInput): Promise<SetStatusResult>;
  currentStatus(credentialId: string): Promise<CredentialStatus>;
  /** Every status change of the credential, oldest first. */
  statusHistory(credentialId: string): Promise<StatusChange[]>;

  /**
   * The list's bitstring built from the current statuses (bit set = revoked, or suspended, per the list's
   * purpose), ready for `encodeBitstring` / `statusListCredential`.
   */
  bitstring(listId: string): Promise<Bitstring>;

  /**
   * After a crash: finds reservations whose issuing process is gone (or, with `staleAfterMs`, that have been
   * held longer than that — for holders on other machines) and releases them, so that the next run completes them
   * with the same credential id and status index. Nothing is deleted; an index is never freed for another credential.
   * Reservations held by live processes are reported as `inProgress` and left alone.
   */
  recoverOrphans(options?: { staleAfterMs?: number }): Promise<OrphanReport>;

  /**
   * The workspace this register belongs to, recorded once (at `initWorkspace`, or on the first open of a register
   * made before it was recorded). With `bind` and nothing recorded yet, records `bind` atomically; a binding already
   * recorded never changes and is returned as it is, for the caller to compare. Undefined when none is recorded.
   */
  workspaceBinding(bind?: { workspaceId: string; issuer: string }): Promise<WorkspaceBinding | undefined>;

  /** Records that a status list was published: when, until when, how many entries were set and the bytes' SHA-256. */
  recordPublication(publication: PublicationInput): Promise<void>;
  /** The latest recorded publication of the list, or undefined when it was never published from this register. */
  lastPublication(listId: string): Promise<Publication | undefined>;

  /**
   * The issuing service's credential offers (OpenID4VCI), kept in the register so that every server using it agrees
   * on each offer: one made on one server is redeemed once, on any. Stored under the SHA-256 of the pre-authorized
   * code (the code itself is never stored). Saving an offer twice is refused.
   */
  saveOffer(offer: OfferInput): Promise<void>;
  /** The offer saved under this code hash, with its wrong transaction codes and redemption; undefined if none. */
  findOffer(codeSha256: string): Promise<OfferRecord | undefined>;
  /**
   * Counts one wrong transaction code against the offer, atomically across servers; at `burnAt` the offer is burnt
   * (it can no longer be redeemed). Returns the count so far.
   */
  countWrongTxCode(codeSha256: string, burnAt: number): Promise<number>;
  /**
   * Redeems the offer once, atomically across servers, and records the access token (its SHA-256) given for it:
   * true for the one caller that redeemed it; false when it was already redeemed or burnt (nothing recorded).
   */
  redeemOffer(redemption: OfferRedemption): Promise<boolean>;
  /** The offer an access token (its SHA-256) was given for, with the token's expiry; undefined for an unknown token. */
  offerForAccessToken(accessTokenSha256: string): Promise<{ offer: OfferRecord; tokenExpiresAt: string } | undefined>;

  /** Records a bearer token of the issuing service (its SHA-256 only). Ids and hashes are unique. */
  addServiceToken(token: ServiceTokenInput): Promise<void>;
  /** Revokes a service token by id (the first revocation's time is kept); undefined when there is no such token. */
  revokeServiceToken(id: string): Promise<ServiceTokenRecord | undefined>;
  /** Every service token, oldest first, revoked ones with their date. */
  serviceTokens(): Promise<ServiceTokenRecord[]>;
  /** Whether a token with this SHA-256 exists and is not revoked. */
  isLiveServiceToken(sha256: string): Promise<boolean>;

  /** Releases the database. Further calls fail with INVALID_INPUT. Safe to call twice. */
  close(): Promise<void>;
}

/** A credential offer to keep (see {@link IssuanceRegister.saveOffer}). */
export interface OfferInput {
  /** SHA-256 of the pre-authorized code, 64 hex digits. */
  codeSha256: string;
  /** What the service needs to issue on redemption (definition, roster row, transaction code hash…), as JSON text. */
  body: string;
  expiresAt: string;
}

/** A kept credential offer and what became of it. */
export interface OfferRecord extends OfferInput {
  createdAt: string;
  /** Wrong transaction codes presented so far. */
  wrongTxCodes: number;
  /** True once too many wrong transaction codes were presented: it can no longer be redeemed. */
  burnt: boolean;
  /** When it was redeemed; absent while it was not. */
  redeemedAt?: string;
}

/** One redemption of an offer: the access token given for it (its SHA-256) and until when it is good. */
export interface OfferRedemption {
  codeSha256: string;
  accessTokenSha256: string;
  tokenExpiresAt: string;
}

/** A service bearer token to record: its id, its SHA-256 (never the token) and an optional label. */
export interface ServiceTokenInput {
  id: string;
  sha256: string;
  label?: string;
  /**
   * Record the token already revoked, at this time (moving an older workspace's token file into the register): it is
   * never live, not even between two statements.
   */
  revokedAt?: string;
}

/** A recorded service token. */
export interface ServiceTokenRecord extends ServiceTokenInput {
  createdAt: string;
}

/** Which workspace a register belongs to: the workspace's id (see `WorkspaceConfig.workspaceId`) and issuer DID. */
export interface WorkspaceBinding {
  workspaceId: string;
  issuer: string;
  boundAt: string;
}

/** A status list publication to record (see {@link IssuanceRegister.recordPublication}). */
export interface PublicationInput {
  listId: string;
  /** The list credential's validUntil, when it has one. */
  validUntil?: string;
  /** Entries set in the published list. */
  setCount: number;
  /** SHA-256 of the published file, 64 hex digits. */
  sha256: string;
}

/** A recorded status list publication. */
export interface Publication extends PublicationInput {
  seq: number;
  publishedAt: string;
}

/** The purpose of a register's status list: revocation (final) or suspension (reversible). */
export type RegisterStatusPurpose = 'revocation' | 'suspension';

/** A status list to create in the register: its URL, purpose and size. */
export interface StatusListInput {
  /** The list's id: the URL its status list credential will be published at. */
  id: string;
  purpose: RegisterStatusPurpose;
  /** Number of entries. */
  size: number;
}

/** A status list in the register, with when it was created and how many indexes are in use. */
export interface StatusListInfo extends StatusListInput {
  createdAt: string;
  /** Indexes handed out so far. */
  allocated: number;
}

/** What `reserveIssuance` needs to reserve a credential id and status index before signing. */
export interface ReserveInput {
  /**
   * What identifies this learner's row across re-runs of the batch, e.g. the learner reference, or a roster file
   * hash plus line for a roster that is never edited. Together with `achievementId` it forms the idempotency key.
   */
  rosterKey: string;
  learnerRef: string;
  achievementId: string;
  /** Status list to allocate an index from; omit for a credential without status. */
  listId?: string;
  /** Credential id to use; default `urn:uuid:<random>`. Ignored when the key was reserved before. */
  credentialId?: string;
  /** A masked hint of who the learner is, shown in listings (e.g. "m***@example.ee"); never used to match. */
  learnerLabel?: string;
}

/** What `listIssued` selects on; all given filters must match. */
export interface IssuedFilter {
  achievementId?: string;
  /** The learner reference as given to `reserveIssuance`. */
  learnerRef?: string;
  /** Issued at or after this time (ISO 8601; a date alone means its start, UTC). */
  issuedFrom?: string;
  /** Issued before this time (ISO 8601; a date alone means the end of that day, UTC). */
  issuedUntil?: string;
  /** 'active': neither revoked nor suspended. */
  status?: 'active' | 'revoked' | 'suspended';
  /** At most this many records (the oldest first). */
  limit?: number;
}

/** What `completeIssuance` records once the credential is signed and written. */
export interface CompleteInput {
  key: string;
  /** Must be the reserved credential id (a guard against completing the wrong key). */
  credentialId: string;
  /** How it was issued, e.g. 'ob3-eddsa-rdfc-2022' or 'vc-jwt'. */
  format: string;
  /** SHA-256 of the issued bytes, 64 hex digits (see `credentialHash`). */
  credentialHash: string;
  /** Where the file handed to the learner was written. */
  file?: string;
  /**
   * The bytes handed to the learner (a string is taken as UTF-8), kept in the register in the same transaction, so
   * that a retry on a server without this file gets them back (see {@link IssuanceRegister.issuedCredential}). Their
   * SHA-256 must be `credentialHash`.
   */
  credential?: string | Uint8Array;
}

/** One credential in the register. */
export interface IssuanceRecord {
  /** Idempotency key, from `issuanceKey({ rosterKey, achievementId })`. */
  key: string;
  rosterKey: string;
  learnerRef: string;
  achievementId: string;
  credentialId: string;
  state: 'reserved' | 'issued';
  listId?: string;
  statusIndex?: number;
  /**
   * Only on a reservation this call made (not one handed back): how many indexes of its list the register had handed
   * out once it was made. The count only grows, so a workspace that saw a higher one knows the register went back
   * (an old backup restored) before it hands out an index a credential already carries.
   */
  listAllocated?: number;
  format?: string;
  credentialHash?: string;
  file?: string;
  /** The masked learner hint given at reservation. */
  learnerLabel?: string;
  reservedAt: string;
  /** When it was issued (completed). */
  issuedAt?: string;
  /** For a reservation: the process holding it. */
  holder?: { pid: number; host: string; since: string };
  status: CredentialStatus;
}

/** A credential's status in the register (revoked or suspended, since when). */
export interface CredentialStatus {
  revoked: boolean;
  suspended: boolean;
}

/** A revocation, suspension or reinstatement to record: which credential, why and by whom. */
export interface StatusChangeInput {
  credentialId: string;
  purpose: RegisterStatusPurpose;
  /** true: revoke / suspend; false: reinstate (suspension only). */
  value: boolean;
  /** Why, e.g. "grade annulled by the examination board, decision 2025/14". Required. */
  reason: string;
  /** Who did it (a staff id). */
  actor?: string;
  /**
   * Record the change even when the status already has this value, so that its reason becomes the current one: a
   * programme suspended because of a part, now suspended in its own right, must not be lifted with the part.
   */
  restate?: boolean;
}

/** A recorded status change, with the time it was made (the history is append-only). */
export interface StatusChange extends Omit<StatusChangeInput, 'restate'> {
  /** Position in the register's history (increasing). */
  seq: number;
  at: string;
}

/** What a status change did: whether it was recorded (or the credential was already in that state), the change, and the status now. */
export interface SetStatusResult {
  /** False when the credential already had this status, so nothing was recorded. */
  recorded: boolean;
  /** The change recorded now, or the earlier one that set the current value (absent if there never was one). */
  change?: StatusChange;
  status: CredentialStatus;
}

/** Reservations left by an interrupted batch: those released for a re-run to complete, and those whose process still runs. */
export interface OrphanReport {
  /** Released reservations: re-running the batch completes them with their reserved id and index. */
  orphans: IssuanceRecord[];
  /** Reservations whose process is still running; left alone. */
  inProgress: IssuanceRecord[];
}
