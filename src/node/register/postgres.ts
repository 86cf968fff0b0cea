import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Client, ClientConfig, Pool, PoolClient } from 'pg';
import { MicrocredError } from '../../errors';
import { newLearnerSalt } from '../../builders/learner';
import { Bitstring, MAX_DECOMPRESSED_BYTES, MIN_STATUS_LIST_ENTRIES } from '../../status/bitstring';
import { issuanceKey } from './hash';
import { HOST } from './liveness';
import { PG_MIGRATIONS, PG_SCHEMA_MARK, PG_SCHEMA_VERSION } from './postgres-schema';
import {
  type ChangeRow,
  checkedCredentialBytes,
  completionInput,
  completionRefusal,
  type IssuanceRow,
  type ListRow,
  type PublicationRow,
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

/** Options of {@link openPostgresRegister}. */
export interface PostgresRegisterOptions {
  /**
   * The PostgreSQL schema (namespace) holding the register's tables; default `microcred`. Several registers can
   * share one database under different schemas. Lower-case letters, digits and `_`, starting with a letter or `_`.
   */
  schema?: string;
  /**
   * The password, when the URL has none. By default the driver's own sources apply: `PGPASSWORD`, then
   * `~/.pgpass`. (Keep it out of files others can read; see docs/register.md.)
   */
  password?: string;
  /**
   * With `false`, a database (schema) without a register is refused instead of initialised: what a workspace
   * opening its existing register wants, since an empty register would hand out status indexes again. Default true.
   */
  create?: boolean;
  /** How long a write waits for another server's row lock before failing with REGISTER_LOCKED; default 10 s. */
  lockTimeoutMs?: number;
  /** Connections kept open to the database (besides the one holding this process's liveness lock); default 4. */
  poolSize?: number;
  /** Clock for the recorded times (tests). */
  now?: () => Date;
}

/** The schema name a register uses by default. */
export const DEFAULT_PG_SCHEMA = 'microcred';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Transactions retried after a deadlock or serialization failure before the error is handed on. */
const RETRIES = 5;

type PgModule = typeof import('pg');

/**
 * Opens the issuance register kept in a PostgreSQL database, creating (or migrating) its schema when needed:
 * the register for several issuing servers sharing one database.
 *
 * How it keeps the guarantees of {@link IssuanceRegister} across servers (docs/register.md, "PostgreSQL"):
 * - **Allocation** runs in the database (one function call): it takes the status list's row lock (`SELECT … FOR
 *   UPDATE`), so allocations of one list are serial across every server, and the allocations table's primary key and
 *   triggers make a second hand-out of an index, a freed index or a moved one impossible even for hand-written SQL.
 * - **One credential per learner and achievement**: a reservation takes a transaction-level advisory lock on its
 *   idempotency key before it looks the key up, so two servers reserving the same key queue instead of both seeing
 *   "not there yet"; the primary key on the key stays the last word.
 * - **Crash detection**: each open register holds a session-level advisory lock on a connection of its own.
 *   PostgreSQL drops it when the process dies (SIGKILL included) or, across machines, when TCP keepalive gives up on
 *   the connection, so any server can tell a crashed holder's reservation from a running one, on any host.
 * - Every write is one transaction at READ COMMITTED with row locks, committed with `synchronous_commit` on (the
 *   server's default) before the call resolves; deadlocks and serialization failures are retried.
 */
export async function openPostgresRegister(
  url: string,
  options: PostgresRegisterOptions = {},
): Promise<IssuanceRegister> {
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new MicrocredError('INVALID_INPUT', 'The register database must be a postgres:// or postgresql:// URL', {
      path: '$.url',
    });
  }
  const schema = options.schema ?? DEFAULT_PG_SCHEMA;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'The schema name must be lower-case letters, digits and _, starting with a letter or _ (at most 63)',
      { path: '$.schema' },
    );
  }
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new MicrocredError('INVALID_INPUT', 'lockTimeoutMs must be a non-negative integer', {
      path: '$.lockTimeoutMs',
    });
  }
  const poolSize = options.poolSize ?? 4;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1)
    throw new MicrocredError('INVALID_INPUT', 'poolSize must be a positive integer', { path: '$.poolSize' });
  const pg = await loadPg();
  const connection: ClientConfig = {
    // The driver lets the URL's fields override separate ones, so a separate password goes into the URL.
    connectionString: options.password !== undefined ? withPassword(url, options.password) : url,
    // Notices a server (or a network path) that went away instead of waiting on a dead socket.
    keepAlive: true,
    connectionTimeoutMillis: 15_000,
    application_name: 'microcred-register',
  };
  const namespace = lockNamespace(schema);
  const pool = new pg.Pool({ ...connection, max: poolSize });
  // An idle connection that breaks is dropped by the pool; the next call opens another. Without a listener the
  // error would end the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // Queued before any query of the caller's: every statement on this connection sees the register's schema.
    client.query(`SET search_path TO ${quote(schema)}; SET lock_timeout = ${lockTimeoutMs}`).catch(() => {});
  });
  try {
    await pg_(
      () => migrate(pool, schema, namespace, options.create !== false),
      `Cannot open the register in ${describeUrl(url)}`,
    );
    const register = new PostgresRegister(
      pool,
      () => new pg.Client(connection),
      schema,
      namespace,
      options.now ?? (() => new Date()),
    );
    await pg_(() => register.startSession(), `Cannot reach the register database ${describeUrl(url)}`);
    return register;
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
}

/** Loads `pg` (an optional peer dependency: only PostgreSQL users install it), or says what to install. */
async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import('pg')) as PgModule & { default?: PgModule };
    return mod.default ?? mod;
  } catch (e) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'A PostgreSQL register needs the pg package: run "npm install pg" beside microcredentials',
      { cause: e },
    );
  }
}

/** The first key of this register's advisory locks: one per schema, so registers in one database never wait on each other. */
function lockNamespace(schema: string): number {
  return createHash('sha256').update(`microcred-register:${schema}`).digest().readUInt32BE(0) & 0x7fffffff;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function withPassword(url: string, password: string): string {
  if (typeof password !== 'string')
    throw new MicrocredError('INVALID_INPUT', 'The password must be a string', { path: '$.password' });
  try {
    const u = new URL(url);
    u.password = encodeURIComponent(password);
    return u.toString();
  } catch {
    throw new MicrocredError('INVALID_INPUT', 'The register database must be a postgres:// or postgresql:// URL', {
      path: '$.url',
    });
  }
}

/** The URL without its password, for messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'the database URL given';
  }
}

async function migrate(pool: Pool, schema: string, namespace: number, create: boolean): Promise<void> {
  await transaction(pool, async (db) => {
    // Two servers starting at once: the second waits here and then finds the schema current.
    await db.query('SELECT pg_advisory_xact_lock($1::bigint << 32)', [namespace]);
    const found = await db.query<{ mark: string | null; objects: string }>(
      `SELECT obj_description(n.oid, 'pg_namespace') AS mark, (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid) AS objects
       FROM pg_namespace n WHERE n.nspname = $1`,
      [schema],
    );
    const existing = found.rows[0];
    if (existing?.mark !== PG_SCHEMA_MARK) {
      if (existing && Number(existing.objects) > 0) {
        throw new MicrocredError(
          'INVALID_INPUT',
          `The schema ${schema} holds tables but is not an issuance register of this library; name another schema`,
          { path: '$.schema' },
        );
      }
      if (!create) {
        throw new MicrocredError(
          'INVALID_INPUT',
          `There is no register in schema ${schema} of this database. Restore it from your backup (or check the URL and schema): an empty register would forget every credential issued and could give a status index out twice`,
          { path: '$.schema' },
        );
      }
      if (!existing) await db.query(`CREATE SCHEMA ${quote(schema)}`);
      await db.query(`COMMENT ON SCHEMA ${quote(schema)} IS '${PG_SCHEMA_MARK}'`);
    }
    // SET LOCAL: the functions created below capture this path (SET search_path FROM CURRENT).
    await db.query(`SET LOCAL search_path TO ${quote(schema)}`);
    await db.query('CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at text NOT NULL)');
    const current =
      (await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')).rows[0]!.v ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `The register in schema ${schema} has schema version ${current}, written by a newer version of this library (this one knows up to ${PG_SCHEMA_VERSION})`,
      );
    }
    for (let version = current; version < PG_SCHEMA_VERSION; version++) {
      await db.query(PG_MIGRATIONS[version]!);
      await db.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [
        version + 1,
        new Date().toISOString(),
      ]);
    }
  });
}

/** SQLSTATEs after which the whole transaction is run again: a deadlock, or a serialization failure. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `fn` in one transaction on one pooled connection, committing when it returns and retrying after a deadlock. */
async function transaction<T>(pool: Pool, fn: (db: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const db = await pool.connect();
    let broken = false;
    try {
      await db.query('BEGIN');
      const result = await fn(db);
      await db.query('COMMIT');
      return result;
    } catch (e) {
      await db.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (attempt < RETRIES && RETRYABLE.has((e as { code?: string }).code ?? '')) continue;
      throw e;
    } finally {
      db.release(broken);
    }
  }
}

/** Driver and server errors become MicrocredErrors with a message a registrar can act on; ours pass through. */
async function pg_<T>(fn: () => Promise<T>, context: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translate(e, context);
  }
}

function translate(e: unknown, context: string): MicrocredError {
  if (e instanceof MicrocredError) return e;
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  // lock_not_available (lock_timeout) and query_canceled: another server held the row longer than we wait.
  if (code === '55P03' || code === '57014') {
    return new MicrocredError(
      'REGISTER_LOCKED',
      `${context}: the register is locked by another process (waited the lock timeout); try again`,
      { cause: e },
    );
  }
  // Connection failures, a server shutting down, refused logins, a missing database, and the driver's own socket errors.
  if (
    /^(08|57P|28|3D)/.test(code) ||
    /^E[A-Z]+$/.test(code) ||
    /Connection terminated|timeout expired|connect/i.test(message)
  ) {
    return new MicrocredError('REGISTER_UNAVAILABLE', `${context}: ${message}`, { cause: e });
  }
  return new MicrocredError('INVALID_INPUT', `${context}: ${message}`, { cause: e });
}

class PostgresRegister implements IssuanceRegister {
  /** This process's session: renewed when the connection holding its liveness lock is lost (see startSession). */
  private session = '';
  private liveness: Client | undefined;
  private livenessLost = false;
  private closed = false;
  /** SQL that is true when the holder session of row alias `s` still holds its liveness lock. */
  private readonly alive: string;

  constructor(
    private readonly pool: Pool,
    private readonly newClient: () => Client,
    private readonly schema: string,
    private readonly namespace: number,
    private readonly clock: () => Date,
  ) {
    this.alive = `(s.closed_at IS NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks k
      WHERE k.locktype = 'advisory' AND k.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
        AND k.classid = ${namespace}::oid AND k.objid = s.lock_key::oid AND k.objsubid = 2 AND k.granted))`;
  }

  /**
   * Opens a connection of its own, takes this process's liveness lock on it and records a new session. Called at open,
   * and again before the next write when that connection was lost (a database restart, a network cut): by then other
   * servers may already have taken over the reservations of the old session, so this process continues as a new
   * session and completing one of the old reservations is refused rather than racing whoever took it over.
   */
  async startSession(): Promise<void> {
    const client = this.newClient();
    const lost = (): void => {
      if (this.liveness === client) this.livenessLost = true;
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`SET search_path TO ${quote(this.schema)}`);
      const key = (await client.query<{ key: number }>(`SELECT nextval('session_lock_keys')::integer AS key`)).rows[0]!
        .key;
      await client.query('SELECT pg_advisory_lock($1, $2)', [this.namespace, key]);
      const session = randomUUID();
      await client.query('INSERT INTO sessions (id, lock_key, pid, host, opened_at) VALUES ($1, $2, $3, $4, $5)', [
        session,
        key,
        process.pid,
        HOST,
        this.now(),
      ]);
      const previous = this.liveness;
      this.liveness = client;
      this.session = session;
      this.livenessLost = false;
      await previous?.end().catch(() => {});
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
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
    return this.write(async (db) => {
      await db.query(
        'INSERT INTO status_lists (id, purpose, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
        [id, purpose, size, this.now()],
      );
      const existing = await this.requireList(db, id);
      if (existing.purpose !== purpose || existing.size !== size) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `Status list ${id} already exists for ${existing.purpose} with ${existing.size} entries; a list's purpose and size never change`,
        );
      }
      return listInfo(existing);
    });
  }

  async learnerSalt(learnerRef: string, options: { create?: boolean } = {}): Promise<string | undefined> {
    this.open();
    const ref = text(learnerRef, '$.learnerRef');
    const create = object(options, '$').create === true;
    const stored = (
      await this.read<{ salt: string }>('SELECT salt FROM learner_salts WHERE learner_ref = $1', [ref])
    )[0]?.salt;
    if (stored !== undefined || !create) return stored;
    return this.write(async (db) => {
      // As in the SQLite register: the salt goes into a credential only after the reservation that follows it, and
      // that commit flushes the write-ahead log up to and including this one, so this commit need not wait for it.
      await db.query('SET LOCAL synchronous_commit = off');
      await db.query(
        'INSERT INTO learner_salts (learner_ref, salt, created_at) VALUES ($1, $2, $3) ON CONFLICT (learner_ref) DO NOTHING',
        [ref, newLearnerSalt(), this.now()],
      );
      return (await db.query<{ salt: string }>('SELECT salt FROM learner_salts WHERE learner_ref = $1', [ref])).rows[0]!
        .salt;
    });
  }

  async workspaceBinding(bind?: { workspaceId: string; issuer: string }): Promise<WorkspaceBinding | undefined> {
    this.open();
    const read = async (db: Pool | PoolClient): Promise<WorkspaceBinding | undefined> => {
      const row = (
        await db.query<{ workspace_id: string; issuer: string; bound_at: string }>(
          'SELECT workspace_id, issuer, bound_at FROM workspace_binding WHERE one = 1',
        )
      ).rows[0];
      return row ? { workspaceId: row.workspace_id, issuer: row.issuer, boundAt: row.bound_at } : undefined;
    };
    if (bind === undefined) return pg_(() => read(this.pool), 'Cannot read the register');
    const input = object(bind, '$');
    const workspaceId = text(input.workspaceId, '$.workspaceId');
    const issuer = text(input.issuer, '$.issuer');
    return this.write(async (db) => {
      await db.query(
        'INSERT INTO workspace_binding (one, workspace_id, issuer, bound_at) VALUES (1, $1, $2, $3) ON CONFLICT (one) DO NOTHING',
        [workspaceId, issuer, this.now()],
      );
      return read(db);
    });
  }

  async recordPublication(publication: PublicationInput): Promise<void> {
    this.open();
    const p = publicationInput(publication);
    await this.write(async (db) => {
      await this.requireList(db, p.listId);
      await db.query(
        'INSERT INTO publications (list_id, published_at, valid_until, set_count, sha256) VALUES ($1, $2, $3, $4, $5)',
        [p.listId, this.now(), p.validUntil, p.setCount, p.sha256],
      );
    });
  }

  async lastPublication(listId: string): Promise<Publication | undefined> {
    this.open();
    const rows = await this.read<PublicationRow>(
      'SELECT * FROM publications WHERE list_id = $1 ORDER BY seq DESC LIMIT 1',
      [text(listId, '$.listId')],
    );
    return rows[0] && toPublication(rows[0]);
  }

  async saveOffer(offer: OfferInput): Promise<void> {
    this.open();
    const o = offerInput(offer);
    await this.write(async (db) => {
      const saved = await db.query(
        'INSERT INTO offers (code_sha256, body, expires_at, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code_sha256) DO NOTHING',
        [o.codeSha256, o.body, o.expiresAt, this.now()],
      );
      if (saved.rowCount !== 1)
        throw new MicrocredError('INVALID_INPUT', 'An offer with this code is already saved', { path: '$.codeSha256' });
    });
  }

  async findOffer(codeSha256: string): Promise<OfferRecord | undefined> {
    this.open();
    const rows = await this.read<OfferRow>('SELECT * FROM offers WHERE code_sha256 = $1', [
      sha256Hex(codeSha256, '$.codeSha256'),
    ]);
    return rows[0] && toOffer(rows[0]);
  }

  async countWrongTxCode(codeSha256: string, burnAt: number): Promise<number> {
    this.open();
    const hash = sha256Hex(codeSha256, '$.codeSha256');
    const limit = burnLimit(burnAt);
    return this.write(async (db) => {
      // One statement: two servers counting at once each add one (the row lock orders them).
      const row = (
        await db.query<{ wrong_tx_codes: number }>(
          'UPDATE offers SET wrong_tx_codes = wrong_tx_codes + 1, burnt = (burnt OR wrong_tx_codes + 1 >= $1) WHERE code_sha256 = $2 RETURNING wrong_tx_codes',
          [limit, hash],
        )
      ).rows[0];
      if (!row) throw new MicrocredError('NOT_FOUND', 'No such offer', { path: '$.codeSha256' });
      return row.wrong_tx_codes;
    });
  }

  async redeemOffer(redemption: OfferRedemption): Promise<boolean> {
    this.open();
    const r = redemptionInput(redemption);
    return this.write(async (db) => {
      const claimed = await db.query(
        'UPDATE offers SET redeemed_at = $1 WHERE code_sha256 = $2 AND redeemed_at IS NULL AND NOT burnt',
        [this.now(), r.codeSha256],
      );
      if (claimed.rowCount !== 1) return false;
      await db.query('INSERT INTO offer_access_tokens (token_sha256, code_sha256, expires_at) VALUES ($1, $2, $3)', [
        r.accessTokenSha256,
        r.codeSha256,
        r.tokenExpiresAt,
      ]);
      return true;
    });
  }

  async offerForAccessToken(
    accessTokenSha256: string,
  ): Promise<{ offer: OfferRecord; tokenExpiresAt: string } | undefined> {
    this.open();
    const rows = await this.read<OfferRow & { token_expires_at: string }>(
      'SELECT o.*, t.expires_at AS token_expires_at FROM offer_access_tokens t JOIN offers o ON o.code_sha256 = t.code_sha256 WHERE t.token_sha256 = $1',
      [sha256Hex(accessTokenSha256, '$.accessTokenSha256')],
    );
    if (!rows[0]) return undefined;
    const { token_expires_at, ...offer } = rows[0];
    return { offer: toOffer(offer), tokenExpiresAt: token_expires_at };
  }

  async addServiceToken(token: ServiceTokenInput): Promise<void> {
    this.open();
    const t = serviceTokenInput(token);
    await this.write(async (db) => {
      const added = await db.query(
        'INSERT INTO service_tokens (id, sha256, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [t.id, t.sha256, t.label ?? null, this.now(), t.revokedAt ?? null],
      );
      if (added.rowCount !== 1)
        throw new MicrocredError('INVALID_INPUT', 'A service token with this id or hash is already recorded', {
          path: '$.id',
        });
    });
  }

  async revokeServiceToken(id: string): Promise<ServiceTokenRecord | undefined> {
    this.open();
    const tokenId = text(id, '$.id');
    return this.write(async (db) => {
      await db.query('UPDATE service_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
        this.now(),
        tokenId,
      ]);
      const row = (await db.query<ServiceTokenRow>('SELECT * FROM service_tokens WHERE id = $1', [tokenId])).rows[0];
      return row && toServiceToken(row);
    });
  }

  async serviceTokens(): Promise<ServiceTokenRecord[]> {
    this.open();
    return (await this.read<ServiceTokenRow>('SELECT * FROM service_tokens ORDER BY created_at, id')).map(
      toServiceToken,
    );
  }

  async isLiveServiceToken(sha256: string): Promise<boolean> {
    this.open();
    const rows = await this.read<{ one: number }>(
      'SELECT 1 AS one FROM service_tokens WHERE sha256 = $1 AND revoked_at IS NULL',
      [sha256Hex(sha256, '$.sha256')],
    );
    return rows.length === 1;
  }

  async linkLearner(refs: readonly string[]): Promise<string> {
    this.open();
    const wanted = linkRefs(refs);
    return this.write(async (db) => {
      // One linker at a time across every server: two rows naming one learner at once must agree on who it is.
      await db.query('LOCK TABLE learner_links IN SHARE ROW EXCLUSIVE MODE');
      const links = new Map(
        (
          await db.query<{ ref: string; learner_ref: string }>(
            'SELECT ref, learner_ref FROM learner_links WHERE ref = ANY($1)',
            [wanted],
          )
        ).rows.map((r) => [r.ref, r.learner_ref]),
      );
      const holding = new Set(
        (
          await db.query<{ ref: string }>(
            'SELECT learner_ref AS ref FROM issuances WHERE learner_ref = ANY($1) UNION SELECT learner_ref FROM learner_salts WHERE learner_ref = ANY($1)',
            [wanted],
          )
        ).rows.map((r) => r.ref),
      );
      const learner = learnerOfRefs(
        wanted,
        (ref) => links.get(ref),
        (ref) => holding.has(ref),
      );
      const at = this.now();
      for (const ref of [learner, ...wanted]) {
        await db.query(
          'INSERT INTO learner_links (ref, learner_ref, created_at) VALUES ($1, $2, $3) ON CONFLICT (ref) DO NOTHING',
          [ref, learner, at],
        );
      }
      return learner;
    });
  }

  async learnerOf(ref: string): Promise<string | undefined> {
    this.open();
    return (
      await this.read<{ learner_ref: string }>('SELECT learner_ref FROM learner_links WHERE ref = $1', [
        text(ref, '$.ref'),
      ])
    )[0]?.learner_ref;
  }

  async allocateStatusIndex(listId: string): Promise<number> {
    this.open();
    const id = text(listId, '$.listId');
    return this.write((db) => this.allocate(db, id));
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
    return this.write(async (db) => {
      // Two servers reserving one key queue here; the second then finds the first one's row (READ COMMITTED takes a
      // fresh snapshot per statement).
      await db.query(`SELECT pg_advisory_xact_lock(($1::bigint << 32) | (hashtext($2)::bigint & 4294967295))`, [
        this.namespace,
        key,
      ]);
      const existing = await this.issuance(db, 'i.key = $1', [key], 'liveness');
      if (existing) return this.resume(db, existing, learnerRef);
      const credentialId = wantedId ?? `urn:uuid:${randomUUID()}`;
      // A fresh random UUID cannot be taken; a given id is checked (the unique constraint stays the last word).
      if (
        wantedId !== undefined &&
        (await db.query('SELECT 1 FROM issuances WHERE credential_id = $1', [credentialId])).rowCount
      ) {
        throw new MicrocredError('INVALID_INPUT', `Credential id ${credentialId} is already in the register`, {
          path: '$.credentialId',
        });
      }
      const index = listId === undefined ? null : await this.allocate(db, listId);
      const at = this.now();
      const inserted = await db.query<IssuanceRow>(
        `INSERT INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, list_id, status_index, reserved_at, claimed_by, claimed_at, learner_label)
         VALUES ($1, $2, $3, $4, $5, 'reserved', $6, $7, $8, $9, $8, $10)
         RETURNING *, $11::integer AS holder_pid, $12::text AS holder_host, NULL::text AS holder_closed_at, NULL::text AS list_purpose`,
        [
          key,
          rosterKey,
          learnerRef,
          achievementId,
          credentialId,
          listId ?? null,
          index,
          at,
          this.session,
          learnerLabel,
          process.pid,
          HOST,
        ],
      );
      const record = toRecord(inserted.rows[0]!);
      if (listId === undefined) return record;
      // Read in the same transaction, after this allocation: the list row stays locked until the commit.
      const count = await db.query<{ allocated: number }>('SELECT allocated FROM status_lists WHERE id = $1', [listId]);
      return { ...record, listAllocated: Number(count.rows[0]!.allocated) };
    });
  }

  async completeIssuance(completion: CompleteInput): Promise<IssuanceRecord> {
    this.open();
    const c = completionInput(completion);
    return this.write(async (db) => {
      // The usual case in one statement: our own reservation, completed. Anything else is explained below.
      const done = await db.query<IssuanceRow>(
        `UPDATE issuances SET state = 'issued', format = $1, credential_hash = $2, file = $3, issued_at = $4, claimed_by = NULL, claimed_at = NULL
         WHERE key = $5 AND state = 'reserved' AND credential_id = $6 AND claimed_by = $7
         RETURNING *, NULL::integer AS holder_pid, NULL::text AS holder_host, NULL::text AS holder_closed_at, NULL::text AS list_purpose`,
        [c.format, c.hash, c.file, this.now(), c.key, c.credentialId, this.session],
      );
      if (done.rows[0]) {
        if (c.bytes)
          await db.query('INSERT INTO issued_credentials (credential_id, bytes) VALUES ($1, $2)', [
            c.credentialId,
            Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength),
          ]);
        return toRecord(done.rows[0]);
      }
      const already = completionRefusal(await this.issuance(db, 'i.key = $1', [c.key], true), c, this.session);
      if (already) return already;
      throw new MicrocredError('INVALID_INPUT', `${c.key} changed while it was being completed; try again`, {
        path: '$.key',
      });
    });
  }

  async findByKey(key: string): Promise<IssuanceRecord | undefined> {
    this.open();
    const row = await this.issuance(this.pool, 'i.key = $1', [text(key, '$.key')]);
    return row && toRecord(row);
  }

  async issuedCredential(credentialId: string): Promise<Uint8Array | undefined> {
    this.open();
    const id = text(credentialId, '$.credentialId');
    const [row] = await this.read<{ bytes: Buffer; credential_hash: string | null }>(
      'SELECT k.bytes, i.credential_hash FROM issued_credentials k JOIN issuances i ON i.credential_id = k.credential_id WHERE k.credential_id = $1',
      [id],
    );
    return row && checkedCredentialBytes(id, row.bytes, row.credential_hash);
  }

  async findByCredentialId(credentialId: string): Promise<IssuanceRecord | undefined> {
    this.open();
    const row = await this.issuance(this.pool, 'i.credential_id = $1', [text(credentialId, '$.credentialId')]);
    return row && toRecord(row);
  }

  async listIssued(filter: IssuedFilter = {}): Promise<IssuanceRecord[]> {
    this.open();
    const input = object(filter, '$');
    const where = [`i.state = 'issued'`];
    const params: (string | number)[] = [];
    const add = (sql: string, value: string): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (input.achievementId !== undefined) add('i.achievement_id = ?', text(input.achievementId, '$.achievementId'));
    if (input.learnerRef !== undefined) add('i.learner_ref = ?', text(input.learnerRef, '$.learnerRef'));
    if (input.issuedFrom !== undefined) add('i.issued_at >= ?', isoBound(input.issuedFrom, '$.issuedFrom', 'start'));
    if (input.issuedUntil !== undefined) add('i.issued_at < ?', isoBound(input.issuedUntil, '$.issuedUntil', 'end'));
    if (input.status !== undefined) {
      const status = oneOf(input.status, ['active', 'revoked', 'suspended'] as const, '$.status');
      where.push(
        status === 'active' ? 'NOT i.revoked AND NOT i.suspended' : status === 'revoked' ? 'i.revoked' : 'i.suspended',
      );
    }
    let limit = '';
    if (input.limit !== undefined) {
      if (typeof input.limit !== 'number' || !Number.isSafeInteger(input.limit) || input.limit < 1)
        throw new MicrocredError('INVALID_INPUT', 'limit must be a positive integer', { path: '$.limit' });
      limit = ` LIMIT ${input.limit}`;
    }
    // COLLATE "C": the same order as SQLite's binary comparison, whatever the database's locale.
    const rows = await this.read<IssuanceRow>(
      `${SELECT_ISSUANCE} WHERE ${where.join(' AND ')} ORDER BY i.issued_at COLLATE "C", i.key COLLATE "C"${limit}`,
      params,
    );
    return rows.map(toRecord);
  }

  async statusLists(): Promise<StatusListInfo[]> {
    this.open();
    return (await this.read<ListRow>('SELECT * FROM status_lists ORDER BY created_at COLLATE "C", created_seq')).map(
      listInfo,
    );
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
    return this.write(async (db) => {
      const row = await this.requireCredential(db, credentialId, true);
      if (row.list_purpose !== null && row.list_purpose !== purpose) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `${credentialId} carries a ${row.list_purpose} status entry, so a ${purpose} could never be published; ` +
            (purpose === 'revocation' ? 'suspend it instead' : 'revoke it instead if it must end'),
          { path: '$.purpose' },
        );
      }
      const status = toStatus(row);
      const current = purpose === 'revocation' ? status.revoked : status.suspended;
      if (purpose === 'revocation' && current && !value) {
        throw new MicrocredError(
          'STATUS_ERROR',
          `${credentialId} is revoked, and revocation is final; issue a new credential instead`,
          { path: '$.value' },
        );
      }
      const lastChange = async (): Promise<ChangeRow | undefined> =>
        (
          await db.query<ChangeRow>(
            'SELECT * FROM status_changes WHERE credential_id = $1 AND purpose = $2 ORDER BY seq DESC LIMIT 1',
            [credentialId, purpose],
          )
        ).rows[0];
      if (current === value && !restate) {
        const last = await lastChange();
        return { recorded: false, ...(last ? { change: toChange(last) } : {}), status };
      }
      await db.query(
        'INSERT INTO status_changes (credential_id, purpose, value, reason, actor, at, session_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [credentialId, purpose, value, reason, actor, this.now(), this.session],
      );
      return {
        recorded: true,
        change: toChange((await lastChange())!),
        status: toStatus((await this.issuance(db, 'i.credential_id = $1', [credentialId]))!),
      };
    });
  }

  async currentStatus(credentialId: string): Promise<CredentialStatus> {
    this.open();
    return toStatus(await this.requireCredential(this.pool, text(credentialId, '$.credentialId')));
  }

  async statusHistory(credentialId: string): Promise<StatusChange[]> {
    this.open();
    const id = text(credentialId, '$.credentialId');
    await this.requireCredential(this.pool, id);
    return (await this.read<ChangeRow>('SELECT * FROM status_changes WHERE credential_id = $1 ORDER BY seq', [id])).map(
      toChange,
    );
  }

  async bitstring(listId: string): Promise<Bitstring> {
    this.open();
    const id = text(listId, '$.listId');
    // One statement, so one snapshot: never a mix of before and after a concurrent change.
    const rows = await this.read<{ size: number; set: number[] }>(
      `SELECT l.size, ARRAY(SELECT i.status_index FROM issuances i WHERE i.list_id = l.id
         AND CASE WHEN l.purpose = 'revocation' THEN i.revoked ELSE i.suspended END) AS set
       FROM status_lists l WHERE l.id = $1`,
      [id],
    );
    const list = rows[0];
    if (!list) throw noList(id);
    const bits = new Bitstring({ entries: list.size });
    for (const idx of list.set) bits.set(idx, true);
    return bits;
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
    return this.write(async (db) => {
      const report: OrphanReport = { orphans: [], inProgress: [] };
      const now = this.clock().getTime();
      const reserved = await db.query<IssuanceRow>(
        `${this.selectWithLiveness()} WHERE i.state = 'reserved' ORDER BY i.reserved_at COLLATE "C", i.key COLLATE "C" FOR UPDATE OF i`,
      );
      for (const row of reserved.rows) {
        const stale =
          staleAfterMs !== undefined && row.claimed_at !== null && now - Date.parse(row.claimed_at) >= staleAfterMs;
        if (row.claimed_by !== null && !stale && this.holderAlive(row)) {
          report.inProgress.push(toRecord(row));
          continue;
        }
        await db.query(
          `UPDATE issuances SET claimed_by = NULL, claimed_at = NULL WHERE key = $1 AND state = 'reserved'`,
          [row.key],
        );
        report.orphans.push(toRecord((await this.issuance(db, 'i.key = $1', [row.key]))!));
      }
      return report;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      // Marks our reservations as abandoned at once (ending the connection below drops the liveness lock too).
      await this.pool
        .query('UPDATE sessions SET closed_at = $1 WHERE id = $2', [this.now(), this.session])
        .catch(() => {});
    } finally {
      const liveness = this.liveness;
      this.liveness = undefined;
      await liveness?.end().catch(() => {});
      await this.pool.end().catch(() => {});
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private now(): string {
    return this.clock().toISOString();
  }

  private open(): void {
    if (this.closed) throw new MicrocredError('INVALID_INPUT', 'The register is closed');
  }

  private write<T>(fn: (db: PoolClient) => Promise<T>): Promise<T> {
    return pg_(async () => {
      if (this.livenessLost) await this.startSession();
      return transaction(this.pool, fn);
    }, 'The register refused the change');
  }

  private async read<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return pg_(async () => (await this.pool.query<R>(sql, params)).rows, 'Cannot read the register');
  }

  /** Picks and records a fresh index inside the caller's transaction (the database function allocate_index). */
  private async allocate(db: PoolClient, listId: string): Promise<number> {
    // 53 random bits from node:crypto as a number in [0, 1): uniform and unpredictable (an index must not reveal
    // issue order); the bias of floor(draw * free) is below 2^-30 for any list size.
    const draw = Number(randomBytes(8).readBigUInt64BE() >> 11n) / 2 ** 53;
    try {
      return (
        await db.query<{ idx: number }>('SELECT allocate_index($1, $2, $3, $4) AS idx', [
          listId,
          draw,
          this.session,
          this.now(),
        ])
      ).rows[0]!.idx;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'P0002') throw noList(listId);
      if (code === '54000')
        throw new MicrocredError(
          'STATUS_ERROR',
          `Status list ${listId} is full: all its indexes are in use; start a new list`,
        );
      if (code === '23505') {
        throw new MicrocredError(
          'STATUS_ERROR',
          `A status index of ${listId} is already allocated, but the register's free order said it was free; the register was edited by hand`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  /** An existing reservation or issuance for a key: hand it back, taking over a reservation whose process died. */
  private async resume(db: PoolClient, row: IssuanceRow, learnerRef: string): Promise<IssuanceRecord> {
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
    await db.query('UPDATE issuances SET claimed_by = $1, claimed_at = $2 WHERE key = $3', [
      this.session,
      this.now(),
      row.key,
    ]);
    return toRecord((await this.issuance(db, 'i.key = $1', [row.key]))!);
  }

  private holderAlive(row: IssuanceRow & { holder_alive?: boolean }): boolean {
    return row.claimed_by !== null && row.holder_alive === true;
  }

  private selectWithLiveness(): string {
    return SELECT_ISSUANCE.replace('FROM issuances i', `, ${this.alive} AS holder_alive FROM issuances i`);
  }

  /**
   * One issuance row by a condition on `i`; with `lock`, row-locked for the transaction; with `'liveness'` also with
   * whether its holder still runs (a look at pg_locks, so only where a reservation may be taken over).
   */
  private async issuance(
    db: Pool | PoolClient,
    condition: string,
    params: unknown[],
    lock: boolean | 'liveness' = false,
  ): Promise<(IssuanceRow & { holder_alive?: boolean }) | undefined> {
    const select = lock === 'liveness' ? this.selectWithLiveness() : SELECT_ISSUANCE;
    const sql = lock ? `${select} WHERE ${condition} FOR UPDATE OF i` : `${select} WHERE ${condition}`;
    return (await db.query<IssuanceRow & { holder_alive?: boolean }>(sql, params)).rows[0];
  }

  private async requireList(db: PoolClient, id: string): Promise<ListRow> {
    const list = (await db.query<ListRow>('SELECT * FROM status_lists WHERE id = $1', [id])).rows[0];
    if (!list) throw noList(id);
    return list;
  }

  private async requireCredential(db: Pool | PoolClient, credentialId: string, lock = false): Promise<IssuanceRow> {
    const row = await pg_(
      () => this.issuance(db, 'i.credential_id = $1', [credentialId], lock),
      'Cannot read the register',
    );
    if (!row)
      throw new MicrocredError('INVALID_INPUT', `No credential ${credentialId} in the register`, {
        path: '$.credentialId',
      });
    return row;
  }
}

const SELECT_ISSUANCE = `
  SELECT i.*, s.pid AS holder_pid, s.host AS holder_host, s.closed_at AS holder_closed_at, l.purpose AS list_purpose
  FROM issuances i
  LEFT JOIN sessions s ON s.id = i.claimed_by
  LEFT JOIN status_lists l ON l.id = i.list_id`;

function noList(id: string): MicrocredError {
  return new MicrocredError('STATUS_ERROR', `No status list ${id} in the register; create it with ensureStatusList`, {
    path: '$.listId',
  });
}

function listInfo(list: ListRow): StatusListInfo {
  return { id: list.id, purpose: list.purpose, size: list.size, createdAt: list.created_at, allocated: list.allocated };
}
