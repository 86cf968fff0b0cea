import fs from 'node:fs';
import { randomInt, randomUUID } from 'node:crypto';
import { MicrocredError } from '../../errors';
import { newLearnerSalt } from '../../builders/learner';
import { Bitstring, MAX_DECOMPRESSED_BYTES, MIN_STATUS_LIST_ENTRIES } from '../../status/bitstring';
import { type Database, type SqliteDriverName, isBusyError, loadDriver } from './driver';
import { issuanceKey } from './hash';
import { HOST, isHolderAlive, sessionsOpenHere } from './liveness';
import { APPLICATION_ID, FREE_ORDER_VERSION, MIGRATIONS, SCHEMA_VERSION } from './schema';
import {
  type ChangeRow,
  checkedCredentialBytes,
  completionInput,
  completionRefusal,
  type IssuanceRow,
  type ListRow,
  publicationInput,
  toChange,
  toPublication,
  toRecord,
  toStatus,
} from './records';
import {
  burnLimit,
  type OfferRow,
  offerInput,
  redemptionInput,
  type ServiceTokenRow,
  serviceTokenInput,
  toOffer,
  toServiceToken,
} from './service-records';
import { PURPOSES, isoBound, learnerOfRefs, linkRefs, object, oneOf, sha256Hex, show, text } from './validate';
import type {
  CompleteInput,
  CredentialStatus,
  IssuanceRecord,
  IssuanceRegister,
  IssuedFilter,
  OrphanReport,
  Publication,
  PublicationInput,
  OfferInput,
  OfferRecord,
  OfferRedemption,
  ServiceTokenInput,
  ServiceTokenRecord,
  WorkspaceBinding,
  ReserveInput,
  SetStatusResult,
  StatusChange,
  StatusChangeInput,
  StatusListInfo,
  StatusListInput,
} from './types';

/** Options of `openSqliteRegister`: how long to wait for another writer, the clock, the SQLite binding, and whether the register must already exist. */
export interface SqliteRegisterOptions {
  /**
   * How long a write waits for another process's transaction before failing; default 10 s. Writes are short, so
   * waiting only happens when several registrars issue at once.
   */
  busyTimeoutMs?: number;
  /** Clock for the recorded times (tests). */
  now?: () => Date;
  /** The SQLite binding; by default Node's built-in node:sqlite where present (Node 22.13+), else better-sqlite3. */
  driver?: SqliteDriverName;
  /**
   * Open only a register that exists and has a schema (default false: create one). An empty file — an interrupted
   * restore, a full disk, a sync client's placeholder — would otherwise be taken for a new register, hand out status
   * indexes again and publish lists with every earlier revocation cleared.
   */
  mustExist?: boolean;
}

/**
 * Opens (creating if needed, with file mode 0600: it names learners) a register kept in one SQLite file.
 *
 * Durability choices, each because of the "the machine dies mid-batch":
 * - WAL with `synchronous = FULL`: a reservation is on disk before the credential carrying its index is signed, so
 *   after a power cut the index cannot be handed to a second credential. (NORMAL would survive a process crash but
 *   may lose the last commits on power loss.) It costs well under a millisecond per write on an SSD.
 * - Every write is one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two processes never both
 *   read "index 17 is free" and a transaction never has to be retried half-way.
 * - busy_timeout: a second registrar waits for the first instead of failing.
 *
 * Calls are synchronous underneath (node:sqlite or better-sqlite3, see ./driver) and return settled promises; a call waiting for the lock blocks
 * the event loop for at most the busy timeout.
 */
export async function openSqliteRegister(file: string, options: SqliteRegisterOptions = {}): Promise<IssuanceRegister> {
  if (typeof file !== 'string' || file.length === 0) {
    throw new MicrocredError('INVALID_INPUT', 'The register file must be a non-empty path', { path: '$.file' });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new MicrocredError('INVALID_INPUT', 'busyTimeoutMs must be a non-negative integer', {
      path: '$.busyTimeoutMs',
    });
  }
  const open = await loadDriver(options.driver);
  const inMemory = file === ':memory:';
  if (options.mustExist) refuseMissingOrEmpty(file);
  else if (!inMemory) createPrivateFile(file);
  const db = sqlite(() => open(file), `Cannot open the register ${file}`);
  try {
    // busy_timeout first: switching to WAL needs a lock that a second process opening the file may hold.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (options.mustExist) refuseWithoutSchema(db, file);
    sqlite(() => db.pragma('journal_mode = WAL'), `${file} is not a readable SQLite register`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteRegister(db, options.now ?? (() => new Date()));
}

const RESTORE_ADVICE =
  'Restore it from your backup; an empty register would forget every credential issued, could give a status index out twice and would publish lists that un-revoke';

/** The register file is there and not empty: checked before SQLite opens it (opening an empty file makes a database of it). */
function refuseMissingOrEmpty(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new MicrocredError('INVALID_INPUT', `The register ${file} is missing (deleted or moved). ${RESTORE_ADVICE}`, {
      path: '$.registerFile',
    });
  }
  if (size === 0)
    throw new MicrocredError(
      'INVALID_INPUT',
      `The register ${file} is empty (0 bytes: an interrupted copy or restore, a full disk, a placeholder of a sync client). ${RESTORE_ADVICE}`,
      { path: '$.registerFile' },
    );
}

/** Read-only look before anything is written: a database with no register schema is not a register to carry on with. */
function refuseWithoutSchema(db: Database, file: string): void {
  const version = sqlite(
    () =>
      db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'`).get()
        ? ((db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0)
        : 0,
    `${file} is not a readable SQLite register`,
  );
  if (version === 0)
    throw new MicrocredError(
      'INVALID_INPUT',
      `The register ${file} has no register schema (an empty or foreign database). ${RESTORE_ADVICE}`,
      { path: '$.registerFile' },
    );
}

/** Creates the file with mode 0600 before SQLite does (SQLite would use 0644); SQLite gives -wal and -shm the same mode. */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    fs.chmodSync(file, 0o600); // in case the umask took bits away; 0600 is what we want, no more, no less
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return; // an existing register, or another process created it just now
    throw new MicrocredError('INVALID_INPUT', `Cannot create the register ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function migrate(db: Database, file: string): void {
  immediate(db, () => {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map(
      (t) => t.name,
    );
    if (appId !== APPLICATION_ID && tables.length > 0) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `${file} is an SQLite database but not an issuance register of this library (or one from before schema versioning)`,
      );
    }
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    const current = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `The register ${file} has schema version ${current}, written by a newer version of this library (this one knows up to ${SCHEMA_VERSION})`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!);
      if (version + 1 === FREE_ORDER_VERSION) backfillFreeOrder(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        version + 1,
        new Date().toISOString(),
      );
    }
    if (appId !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
  });
}

/**
 * For lists allocated before the shuffle table existed: lays out the free indexes at positions [allocated, size) so
 * the next pick continues uniformly over exactly the indexes still free. Runs once, O(allocated).
 */
function backfillFreeOrder(db: Database): void {
  const insert = db.prepare('INSERT INTO free_order (list_id, pos, idx) VALUES (?, ?, ?)');
  for (const list of db.prepare('SELECT id, allocated FROM status_lists').all() as {
    id: string;
    allocated: number;
  }[]) {
    const used = new Set(
      (db.prepare('SELECT idx FROM allocations WHERE list_id = ?').all(list.id) as { idx: number }[]).map((r) => r.idx),
    );
    // Free indexes below `allocated` move to the positions at or above it whose own index is taken; there are as many of each.
    const freeLow: number[] = [];
    for (let i = 0; i < list.allocated; i++) if (!used.has(i)) freeLow.push(i);
    let next = 0;
    for (const idx of used) if (idx >= list.allocated) insert.run(list.id, idx, freeLow[next++]!);
  }
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction, translating driver errors. */
function immediate<T>(db: Database, fn: () => T): T {
  return sqlite(() => db.transaction(fn).immediate(), 'The register refused the change');
}

/** Driver errors become MicrocredErrors with a message a registrar can act on; ours pass through. */
function sqlite<T>(fn: () => T, context: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MicrocredError) throw e;
    const message = (e as Error)?.message ?? String(e);
    if (isBusyError(e)) {
      throw new MicrocredError(
        'REGISTER_LOCKED',
        `${context}: the register is locked by another process (waited the busy timeout); try again`,
        { cause: e },
      );
    }
    throw new MicrocredError('INVALID_INPUT', `${context}: ${message}`, { cause: e });
  }
}

const SELECT_ISSUANCE = `
  SELECT i.*, s.pid AS holder_pid, s.host AS holder_host, s.closed_at AS holder_closed_at, l.purpose AS list_purpose
  FROM issuances i
  LEFT JOIN sessions s ON s.id = i.claimed_by
  LEFT JOIN status_lists l ON l.id = i.list_id`;

function prepareServiceStatements(db: Database) {
  return {
    offer: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE code_sha256 = ?'),
    insertOffer: db.prepare('INSERT INTO offers (code_sha256, body, expires_at, created_at) VALUES (?, ?, ?, ?)'),
    countWrong: db.prepare<[number, string], { wrong_tx_codes: number }>(
      'UPDATE offers SET wrong_tx_codes = wrong_tx_codes + 1, burnt = (burnt OR wrong_tx_codes + 1 >= ?) WHERE code_sha256 = ? RETURNING wrong_tx_codes',
    ),
    redeem: db.prepare('UPDATE offers SET redeemed_at = ? WHERE code_sha256 = ? AND redeemed_at IS NULL AND burnt = 0'),
    insertAccessToken: db.prepare(
      'INSERT INTO offer_access_tokens (token_sha256, code_sha256, expires_at) VALUES (?, ?, ?)',
    ),
    offerForToken: db.prepare<[string], OfferRow & { token_expires_at: string }>(
      'SELECT o.*, t.expires_at AS token_expires_at FROM offer_access_tokens t JOIN offers o ON o.code_sha256 = t.code_sha256 WHERE t.token_sha256 = ?',
    ),
    insertToken: db.prepare(
      'INSERT INTO service_tokens (id, sha256, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
    ),
    tokenById: db.prepare<[string], ServiceTokenRow>('SELECT * FROM service_tokens WHERE id = ?'),
    tokenByHash: db.prepare<[string], ServiceTokenRow>('SELECT * FROM service_tokens WHERE sha256 = ?'),
    revokeToken: db.prepare('UPDATE service_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    tokens: db.prepare<[], ServiceTokenRow>('SELECT * FROM service_tokens ORDER BY created_at, id'),
  };
}

class SqliteRegister implements IssuanceRegister {
  private readonly session = randomUUID();
  private closed = false;
  private readonly stmt;
  /** The issuing service's statements, prepared at first use: a register that issues from the CLI never needs them. */
  private serviceStmt?: ReturnType<typeof prepareServiceStatements>;
  private get service(): ReturnType<typeof prepareServiceStatements> {
    this.serviceStmt ??= prepareServiceStatements(this.db);
    return this.serviceStmt;
  }

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date,
  ) {
    this.stmt = {
      list: db.prepare<[string], ListRow>('SELECT * FROM status_lists WHERE id = ?'),
      insertList: db.prepare('INSERT INTO status_lists (id, purpose, size, created_at) VALUES (?, ?, ?, ?)'),
      lists: db.prepare<[], ListRow>('SELECT * FROM status_lists ORDER BY created_at, rowid'),
      freeAt: db.prepare<[string, number], { idx: number }>('SELECT idx FROM free_order WHERE list_id = ? AND pos = ?'),
      setFreeAt: db.prepare(
        'INSERT INTO free_order (list_id, pos, idx) VALUES (?, ?, ?) ON CONFLICT (list_id, pos) DO UPDATE SET idx = excluded.idx',
      ),
      dropFreeAt: db.prepare('DELETE FROM free_order WHERE list_id = ? AND pos = ?'),
      insertAllocation: db.prepare(
        'INSERT INTO allocations (list_id, idx, allocated_at, session_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      byKey: db.prepare<[string], IssuanceRow>(`${SELECT_ISSUANCE} WHERE i.key = ?`),
      byCredentialId: db.prepare<[string], IssuanceRow>(`${SELECT_ISSUANCE} WHERE i.credential_id = ?`),
      reserved: db.prepare<[], IssuanceRow>(
        `${SELECT_ISSUANCE} WHERE i.state = 'reserved' ORDER BY i.reserved_at, i.key`,
      ),
      insertIssuance: db.prepare(
        `INSERT INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, list_id, status_index, reserved_at, claimed_by, claimed_at, learner_label)
         VALUES (?, ?, ?, ?, ?, 'reserved', ?, ?, ?, ?, ?, ?)`,
      ),
      claim: db.prepare('UPDATE issuances SET claimed_by = ?, claimed_at = ? WHERE key = ?'),
      release: db.prepare(
        `UPDATE issuances SET claimed_by = NULL, claimed_at = NULL WHERE key = ? AND state = 'reserved'`,
      ),
      complete: db.prepare(
        `UPDATE issuances SET state = 'issued', format = ?, credential_hash = ?, file = ?, issued_at = ?, claimed_by = NULL, claimed_at = NULL
         WHERE key = ? AND state = 'reserved'`,
      ),
      keepBytes: db.prepare('INSERT INTO issued_credentials (credential_id, bytes) VALUES (?, ?)'),
      keptBytes: db.prepare<[string], { bytes: Uint8Array; credential_hash: string | null }>(
        'SELECT k.bytes, i.credential_hash FROM issued_credentials k JOIN issuances i ON i.credential_id = k.credential_id WHERE k.credential_id = ?',
      ),
      credentialIdTaken: db.prepare<[string], { one: number }>(
        'SELECT 1 AS one FROM issuances WHERE credential_id = ?',
      ),
      insertChange: db.prepare(
        'INSERT INTO status_changes (credential_id, purpose, value, reason, actor, at, session_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      changes: db.prepare<[string], ChangeRow>('SELECT * FROM status_changes WHERE credential_id = ? ORDER BY seq'),
      lastChange: db.prepare<[string, string], ChangeRow>(
        'SELECT * FROM status_changes WHERE credential_id = ? AND purpose = ? ORDER BY seq DESC LIMIT 1',
      ),
      setIndexes: {
        revocation: db.prepare<[string], { idx: number }>(
          'SELECT status_index AS idx FROM issuances WHERE list_id = ? AND revoked = 1',
        ),
        suspension: db.prepare<[string], { idx: number }>(
          'SELECT status_index AS idx FROM issuances WHERE list_id = ? AND suspended = 1',
        ),
      },
      closeSession: db.prepare('UPDATE sessions SET closed_at = ? WHERE id = ?'),
      saltOf: db.prepare<[string], { salt: string }>('SELECT salt FROM learner_salts WHERE learner_ref = ?'),
      insertSalt: db.prepare(
        'INSERT INTO learner_salts (learner_ref, salt, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      linkOf: db.prepare<[string], { learner: string }>(
        'SELECT learner_ref AS learner FROM learner_links WHERE ref = ?',
      ),
      holdsData: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM issuances WHERE learner_ref = ?) OR EXISTS (SELECT 1 FROM learner_salts WHERE learner_ref = ?)',
      ),
      insertLink: db.prepare(
        'INSERT INTO learner_links (ref, learner_ref, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      binding: db.prepare<[], { workspace_id: string; issuer: string; bound_at: string }>(
        'SELECT workspace_id, issuer, bound_at FROM workspace_binding WHERE one = 1',
      ),
      bind: db.prepare(
        'INSERT INTO workspace_binding (one, workspace_id, issuer, bound_at) VALUES (1, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      insertPublication: db.prepare(
        'INSERT INTO publications (list_id, published_at, valid_until, set_count, sha256) VALUES (?, ?, ?, ?, ?)',
      ),
      lastPublication: db.prepare<
        [string],
        {
          seq: number;
          list_id: string;
          published_at: string;
          valid_until: string | null;
          set_count: number;
          sha256: string;
        }
      >('SELECT * FROM publications WHERE list_id = ? ORDER BY seq DESC LIMIT 1'),
    };
    immediate(db, () => {
      db.prepare('INSERT INTO sessions (id, pid, host, opened_at) VALUES (?, ?, ?, ?)').run(
        this.session,
        process.pid,
        HOST,
        this.now(),
      );
    });
    sessionsOpenHere.add(this.session);
  }

  async ensureStatusList(list: StatusListInput): Promise<StatusListInfo> {
    this.open();
    const input = object(list, '$');
    const id = text(input.id, '$.id');
    const purpose = oneOf(input.purpose, PURPOSES, '$.purpose');
    const size = input.size;
    const maxEntries = MAX_DECOMPRESSED_BYTES * 8;
    if (
      typeof size !== 'number' ||
      !Number.isSafeInteger(size) ||
      size < MIN_STATUS_LIST_ENTRIES ||
      size > maxEntries
    ) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `A status list needs ${MIN_STATUS_LIST_ENTRIES} to ${maxEntries} entries (herd privacy); got ${show(size)}`,
        { path: '$.size' },
      );
    }
    return immediate(this.db, () => {
      const existing = this.stmt.list.get(id);
      if (!existing) this.stmt.insertList.run(id, purpose, size, this.now());
      else if (existing.purpose !== purpose || existing.size !== size) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `Status list ${id} already exists for ${existing.purpose} with ${existing.size} entries; a list's purpose and size never change`,
        );
      }
      return this.listInfo(id);
    });
  }

  async learnerSalt(learnerRef: string, options: { create?: boolean } = {}): Promise<string | undefined> {
    this.open();
    const ref = text(learnerRef, '$.learnerRef');
    const create = object(options, '$').create === true;
    const stored = this.stmt.saltOf.get(ref)?.salt;
    if (stored !== undefined || !create) return stored;
    // Insert-if-absent then read, in one write transaction: two processes meeting a new learner keep the same salt.
    // Committed without an fsync of its own (measured: 3 ms per new learner with one, 0.08 ms without): the salt goes
    // into a credential only after the reservation that follows it, and that commit (synchronous FULL) makes the
    // write-ahead log durable up to and including this one.
    this.db.pragma('synchronous = NORMAL');
    try {
      return immediate(this.db, () => {
        // Read again inside the write transaction: another process may have stored one since (the database refuses a
        // second, different salt).
        const found = this.stmt.saltOf.get(ref)?.salt;
        if (found !== undefined) return found;
        this.stmt.insertSalt.run(ref, newLearnerSalt(), this.now());
        return this.stmt.saltOf.get(ref)!.salt;
      });
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async workspaceBinding(bind?: { workspaceId: string; issuer: string }): Promise<WorkspaceBinding | undefined> {
    this.open();
    const read = (): WorkspaceBinding | undefined => {
      const row = this.stmt.binding.get();
      return row ? { workspaceId: row.workspace_id, issuer: row.issuer, boundAt: row.bound_at } : undefined;
    };
    if (bind === undefined) return read();
    const input = object(bind, '$');
    const workspaceId = text(input.workspaceId, '$.workspaceId');
    const issuer = text(input.issuer, '$.issuer');
    return immediate(this.db, () => {
      // A binding already recorded is returned as it is, for the caller to compare (the database refuses another).
      const found = read();
      if (found) return found;
      this.stmt.bind.run(workspaceId, issuer, this.now());
      return read();
    });
  }

  async recordPublication(publication: PublicationInput): Promise<void> {
    this.open();
    const p = publicationInput(publication);
    immediate(this.db, () => {
      this.requireList(p.listId);
      this.stmt.insertPublication.run(p.listId, this.now(), p.validUntil, p.setCount, p.sha256);
    });
  }

  async lastPublication(listId: string): Promise<Publication | undefined> {
    this.open();
    const row = this.stmt.lastPublication.get(text(listId, '$.listId'));
    return row && toPublication(row);
  }

  async saveOffer(offer: OfferInput): Promise<void> {
    this.open();
    const o = offerInput(offer);
    immediate(this.db, () => {
      if (this.service.offer.get(o.codeSha256))
        throw new MicrocredError('INVALID_INPUT', 'An offer with this code is already saved', { path: '$.codeSha256' });
      this.service.insertOffer.run(o.codeSha256, o.body, o.expiresAt, this.now());
    });
  }

  async findOffer(codeSha256: string): Promise<OfferRecord | undefined> {
    this.open();
    const row = this.service.offer.get(sha256Hex(codeSha256, '$.codeSha256'));
    return row && toOffer(row);
  }

  async countWrongTxCode(codeSha256: string, burnAt: number): Promise<number> {
    this.open();
    const hash = sha256Hex(codeSha256, '$.codeSha256');
    const limit = burnLimit(burnAt);
    return immediate(this.db, () => {
      const row = this.service.countWrong.get(limit, hash);
      if (!row) throw new MicrocredError('NOT_FOUND', 'No such offer', { path: '$.codeSha256' });
      return row.wrong_tx_codes;
    });
  }

  async redeemOffer(redemption: OfferRedemption): Promise<boolean> {
    this.open();
    const r = redemptionInput(redemption);
    return immediate(this.db, () => {
      if (this.service.redeem.run(this.now(), r.codeSha256).changes !== 1) return false;
      this.service.insertAccessToken.run(r.accessTokenSha256, r.codeSha256, r.tokenExpiresAt);
      return true;
    });
  }

  async offerForAccessToken(
    accessTokenSha256: string,
  ): Promise<{ offer: OfferRecord; tokenExpiresAt: string } | undefined> {
    this.open();
    const row = this.service.offerForToken.get(sha256Hex(accessTokenSha256, '$.accessTokenSha256'));
    if (!row) return undefined;
    const { token_expires_at, ...offer } = row;
    return { offer: toOffer(offer), tokenExpiresAt: token_expires_at };
  }

  async addServiceToken(token: ServiceTokenInput): Promise<void> {
    this.open();
    const t = serviceTokenInput(token);
    immediate(this.db, () => {
      if (this.service.tokenById.get(t.id) || this.service.tokenByHash.get(t.sha256))
        throw new MicrocredError('INVALID_INPUT', 'A service token with this id or hash is already recorded', {
          path: '$.id',
        });
      this.service.insertToken.run(t.id, t.sha256, t.label ?? null, this.now(), t.revokedAt ?? null);
    });
  }

  async revokeServiceToken(id: string): Promise<ServiceTokenRecord | undefined> {
    this.open();
    const tokenId = text(id, '$.id');
    return immediate(this.db, () => {
      this.service.revokeToken.run(this.now(), tokenId);
      const row = this.service.tokenById.get(tokenId);
      return row && toServiceToken(row);
    });
  }

  async serviceTokens(): Promise<ServiceTokenRecord[]> {
    this.open();
    return this.service.tokens.all().map(toServiceToken);
  }

  async isLiveServiceToken(sha256: string): Promise<boolean> {
    this.open();
    const row = this.service.tokenByHash.get(sha256Hex(sha256, '$.sha256'));
    return row !== undefined && row.revoked_at === null;
  }

  async linkLearner(refs: readonly string[]): Promise<string> {
    this.open();
    const wanted = linkRefs(refs);
    return immediate(this.db, () => {
      const learner = learnerOfRefs(
        wanted,
        (ref) => this.stmt.linkOf.get(ref)?.learner,
        (ref) => this.stmt.holdsData.get(ref, ref) !== undefined,
      );
      const at = this.now();
      this.stmt.insertLink.run(learner, learner, at);
      for (const ref of wanted) this.stmt.insertLink.run(ref, learner, at);
      return learner;
    });
  }

  async learnerOf(ref: string): Promise<string | undefined> {
    this.open();
    return this.stmt.linkOf.get(text(ref, '$.ref'))?.learner;
  }

  async allocateStatusIndex(listId: string): Promise<number> {
    this.open();
    const id = text(listId, '$.listId');
    return immediate(this.db, () => this.allocate(id).index);
  }

  async reserveIssuance(reservation: ReserveInput): Promise<IssuanceRecord> {
    this.open();
    const input = object(reservation, '$');
    const rosterKey = text(input.rosterKey, '$.rosterKey');
    const learnerRef = text(input.learnerRef, '$.learnerRef');
    const achievementId = text(input.achievementId, '$.achievementId');
    const listId = input.listId === undefined ? undefined : text(input.listId, '$.listId');
    const wantedId = input.credentialId === undefined ? undefined : text(input.credentialId, '$.credentialId');
    const learnerLabel = input.learnerLabel === undefined ? null : text(input.learnerLabel, '$.learnerLabel');
    const key = issuanceKey({ rosterKey, achievementId });
    return immediate(this.db, () => {
      const existing = this.stmt.byKey.get(key);
      if (existing) return this.resume(existing, learnerRef);
      const credentialId = wantedId ?? `urn:uuid:${randomUUID()}`;
      if (this.stmt.credentialIdTaken.get(credentialId)) {
        throw new MicrocredError('INVALID_INPUT', `Credential id ${credentialId} is already in the register`, {
          path: '$.credentialId',
        });
      }
      const allocation = listId === undefined ? undefined : this.allocate(listId);
      const index = allocation?.index ?? null;
      const at = this.now();
      this.stmt.insertIssuance.run(
        key,
        rosterKey,
        learnerRef,
        achievementId,
        credentialId,
        listId ?? null,
        index,
        at,
        this.session,
        at,
        learnerLabel,
      );
      const record = toRecord(this.stmt.byKey.get(key)!);
      return allocation ? { ...record, listAllocated: allocation.allocated } : record;
    });
  }

  async completeIssuance(completion: CompleteInput): Promise<IssuanceRecord> {
    this.open();
    const c = completionInput(completion);
    return immediate(this.db, () => {
      const done = completionRefusal(this.stmt.byKey.get(c.key), c, this.session);
      if (done) return done;
      this.stmt.complete.run(c.format, c.hash, c.file, this.now(), c.key);
      if (c.bytes) this.stmt.keepBytes.run(c.credentialId, c.bytes);
      return toRecord(this.stmt.byKey.get(c.key)!);
    });
  }

  async issuedCredential(credentialId: string): Promise<Uint8Array | undefined> {
    this.open();
    const id = text(credentialId, '$.credentialId');
    const row = sqlite(() => this.stmt.keptBytes.get(id), 'Cannot read the register');
    return row && checkedCredentialBytes(id, row.bytes, row.credential_hash);
  }

  async findByKey(key: string): Promise<IssuanceRecord | undefined> {
    this.open();
    const row = this.stmt.byKey.get(text(key, '$.key'));
    return row && toRecord(row);
  }

  async findByCredentialId(credentialId: string): Promise<IssuanceRecord | undefined> {
    this.open();
    const row = this.stmt.byCredentialId.get(text(credentialId, '$.credentialId'));
    return row && toRecord(row);
  }

  async listIssued(filter: IssuedFilter = {}): Promise<IssuanceRecord[]> {
    this.open();
    const input = object(filter, '$');
    const where = [`i.state = 'issued'`];
    const params: (string | number)[] = [];
    if (input.achievementId !== undefined)
      where.push('i.achievement_id = ?'), params.push(text(input.achievementId, '$.achievementId'));
    if (input.learnerRef !== undefined)
      where.push('i.learner_ref = ?'), params.push(text(input.learnerRef, '$.learnerRef'));
    if (input.issuedFrom !== undefined)
      where.push('i.issued_at >= ?'), params.push(isoBound(input.issuedFrom, '$.issuedFrom', 'start'));
    if (input.issuedUntil !== undefined)
      where.push('i.issued_at < ?'), params.push(isoBound(input.issuedUntil, '$.issuedUntil', 'end'));
    if (input.status !== undefined) {
      const status = oneOf(input.status, ['active', 'revoked', 'suspended'] as const, '$.status');
      where.push(
        status === 'active'
          ? 'i.revoked = 0 AND i.suspended = 0'
          : status === 'revoked'
            ? 'i.revoked = 1'
            : 'i.suspended = 1',
      );
    }
    let limit = '';
    if (input.limit !== undefined) {
      if (typeof input.limit !== 'number' || !Number.isSafeInteger(input.limit) || input.limit < 1)
        throw new MicrocredError('INVALID_INPUT', 'limit must be a positive integer', { path: '$.limit' });
      limit = ` LIMIT ${input.limit}`;
    }
    const rows = sqlite(
      () =>
        this.db
          .prepare<unknown[], IssuanceRow>(
            `${SELECT_ISSUANCE} WHERE ${where.join(' AND ')} ORDER BY i.issued_at, i.key${limit}`,
          )
          .all(...params),
      'Cannot read the register',
    );
    return rows.map(toRecord);
  }

  async statusLists(): Promise<StatusListInfo[]> {
    this.open();
    return this.stmt.lists
      .all()
      .map((l) => ({ id: l.id, purpose: l.purpose, size: l.size, createdAt: l.created_at, allocated: l.allocated }));
  }

  async setStatus(change: StatusChangeInput): Promise<SetStatusResult> {
    this.open();
    const input = object(change, '$');
    const credentialId = text(input.credentialId, '$.credentialId');
    const purpose = oneOf(input.purpose, PURPOSES, '$.purpose');
    if (typeof input.value !== 'boolean')
      throw new MicrocredError('INVALID_INPUT', 'value must be true or false', { path: '$.value' });
    const value = input.value;
    if (input.reason === undefined || (typeof input.reason === 'string' && input.reason.trim() === '')) {
      throw new MicrocredError('MISSING_ELEMENT', 'A status change needs a reason; it is kept in the register', {
        path: '$.reason',
      });
    }
    const reason = text(input.reason, '$.reason').trim();
    const actor = input.actor === undefined ? null : text(input.actor, '$.actor');
    if (input.restate !== undefined && typeof input.restate !== 'boolean')
      throw new MicrocredError('INVALID_INPUT', 'restate must be true or false', { path: '$.restate' });
    const restate = input.restate === true;
    return immediate(this.db, () => {
      const row = this.requireCredential(credentialId);
      if (row.list_purpose !== null && row.list_purpose !== purpose) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `${credentialId} carries a ${row.list_purpose} status entry, so a ${purpose} could never be published; ` +
            (purpose === 'revocation' ? 'suspend it instead' : 'revoke it instead if it must end'),
          { path: '$.purpose' },
        );
      }
      const current = purpose === 'revocation' ? row.revoked === 1 : row.suspended === 1;
      if (purpose === 'revocation' && current && !value) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `${credentialId} is revoked, and revocation is final; issue a new credential instead`,
          { path: '$.value' },
        );
      }
      if (current === value && !restate) {
        const last = this.stmt.lastChange.get(credentialId, purpose);
        return { recorded: false, ...(last ? { change: toChange(last) } : {}), status: toStatus(row) };
      }
      this.stmt.insertChange.run(credentialId, purpose, value ? 1 : 0, reason, actor, this.now(), this.session);
      const last = this.stmt.lastChange.get(credentialId, purpose)!;
      return { recorded: true, change: toChange(last), status: toStatus(this.stmt.byCredentialId.get(credentialId)!) };
    });
  }

  async currentStatus(credentialId: string): Promise<CredentialStatus> {
    this.open();
    return toStatus(this.requireCredential(text(credentialId, '$.credentialId')));
  }

  async statusHistory(credentialId: string): Promise<StatusChange[]> {
    this.open();
    const id = text(credentialId, '$.credentialId');
    this.requireCredential(id);
    return this.stmt.changes.all(id).map(toChange);
  }

  async bitstring(listId: string): Promise<Bitstring> {
    this.open();
    const id = text(listId, '$.listId');
    // One read transaction so the bitstring is a snapshot, not a mix of before and after a concurrent change.
    return sqlite(
      () =>
        this.db
          .transaction(() => {
            const list = this.requireList(id);
            const bits = new Bitstring({ entries: list.size });
            for (const { idx } of this.stmt.setIndexes[list.purpose].all(id)) bits.set(idx, true);
            return bits;
          })
          .deferred(),
      'Cannot read the register',
    );
  }

  async recoverOrphans(options: { staleAfterMs?: number } = {}): Promise<OrphanReport> {
    this.open();
    const staleAfterMs = object(options, '$').staleAfterMs;
    if (
      staleAfterMs !== undefined &&
      (typeof staleAfterMs !== 'number' || !Number.isSafeInteger(staleAfterMs) || staleAfterMs < 0)
    ) {
      throw new MicrocredError('INVALID_INPUT', 'staleAfterMs must be a non-negative integer', {
        path: '$.staleAfterMs',
      });
    }
    return immediate(this.db, () => {
      const report: OrphanReport = { orphans: [], inProgress: [] };
      const now = this.clock().getTime();
      for (const row of this.stmt.reserved.all()) {
        const stale =
          staleAfterMs !== undefined && row.claimed_at !== null && now - Date.parse(row.claimed_at) >= staleAfterMs;
        if (row.claimed_by !== null && !stale && this.holderAlive(row)) {
          report.inProgress.push(toRecord(row));
          continue;
        }
        this.stmt.release.run(row.key);
        report.orphans.push(toRecord(this.stmt.byKey.get(row.key)!));
      }
      return report;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    sessionsOpenHere.delete(this.session);
    try {
      // Marks our reservations as abandoned at once, rather than waiting for a liveness check to notice.
      immediate(this.db, () => this.stmt.closeSession.run(this.now(), this.session));
    } finally {
      this.db.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private now(): string {
    return this.clock().toISOString();
  }

  private open(): void {
    if (this.closed) throw new MicrocredError('INVALID_INPUT', 'The register is closed');
  }

  /**
   * Picks and records a fresh index; must run inside a write transaction. One step of a sparse Fisher-Yates shuffle
   * (see the free_order table): uniform over the free indexes, and a handful of B-tree lookups whatever the fill level.
   */
  private allocate(listId: string): { index: number; allocated: number } {
    const list = this.requireList(listId);
    const taken = list.allocated;
    if (taken >= list.size) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `Status list ${listId} is full: all ${list.size} indexes are in use; start a new list`,
      );
    }
    const pick = taken + randomInt(list.size - taken); // node:crypto, uniform and unpredictable (an index must not reveal issue order)
    const at = (pos: number): number => this.stmt.freeAt.get(listId, pos)?.idx ?? pos;
    const index = at(pick);
    if (pick !== taken) this.stmt.setFreeAt.run(listId, pick, at(taken));
    this.stmt.dropFreeAt.run(listId, taken);
    // The primary key stays the last word: an index inserted by hand outside the shuffle makes this fail, never reuse.
    if (this.stmt.insertAllocation.run(listId, index, this.now(), this.session).changes !== 1) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `Status index ${index} of ${listId} is already allocated, but the register's free order said it was free; the register was edited by hand`,
      );
    }
    return { index, allocated: taken + 1 };
  }

  /** An existing reservation or issuance for a key: hand it back, taking over a reservation whose process died. */
  private resume(row: IssuanceRow, learnerRef: string): IssuanceRecord {
    if (row.learner_ref !== learnerRef) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `${row.key} already belongs to learner ${row.learner_ref}, not ${learnerRef}; the roster key must identify one learner`,
        {
          path: '$.learnerRef',
        },
      );
    }
    if (row.state === 'issued' || row.claimed_by === this.session) return toRecord(row);
    if (row.claimed_by !== null && this.holderAlive(row)) {
      // Another live process holds it: a busy register, not a bad request (the service answers 503, retry later).
      throw new MicrocredError(
        'REGISTER_LOCKED',
        `${row.key} is being issued right now by process ${row.holder_pid} on ${row.holder_host} (since ${row.claimed_at}); ` +
          'if that process is gone, run recoverOrphans({ staleAfterMs }) first',
        { path: '$.rosterKey' },
      );
    }
    this.stmt.claim.run(this.session, this.now(), row.key);
    return toRecord(this.stmt.byKey.get(row.key)!);
  }

  private holderAlive(row: IssuanceRow): boolean {
    if (row.claimed_by === null || row.holder_pid === null || row.holder_host === null) return false;
    return isHolderAlive({
      id: row.claimed_by,
      pid: row.holder_pid,
      host: row.holder_host,
      closedAt: row.holder_closed_at,
    });
  }

  private requireList(id: string): ListRow {
    const list = this.stmt.list.get(id);
    if (!list)
      throw new MicrocredError(
        'STATUS_ERROR',
        `No status list ${id} in the register; create it with ensureStatusList`,
        { path: '$.listId' },
      );
    return list;
  }

  private requireCredential(credentialId: string): IssuanceRow {
    const row = this.stmt.byCredentialId.get(credentialId);
    if (!row)
      throw new MicrocredError('INVALID_INPUT', `No credential ${credentialId} in the register`, {
        path: '$.credentialId',
      });
    return row;
  }

  private listInfo(id: string): StatusListInfo {
    const list = this.requireList(id);
    return {
      id: list.id,
      purpose: list.purpose,
      size: list.size,
      createdAt: list.created_at,
      allocated: list.allocated,
    };
  }
}
