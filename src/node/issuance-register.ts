import fs from 'node:fs';
import { createRequire } from 'node:module';
import { MicrocredError } from '../errors';
import { Bitstring } from '../status/bitstring';

/** One credential in the register. */
export interface IssuanceRecord {
  /** Idempotency key: the same key never yields two credentials (e.g. achievement id + learner reference). */
  key: string;
  credentialId: string;
  learnerRef: string;
  achievementId: string;
  state: 'reserved' | 'issued';
  format?: string;
  listId?: string;
  statusIndex?: number;
  credentialHash?: string;
  file?: string;
  reservedAt: string;
  issuedAt?: string;
}

export interface StatusChange {
  credentialId: string;
  purpose: 'revocation' | 'suspension';
  value: boolean;
  reason: string;
  actor?: string;
  at: string;
}

/**
 * The issuing office's memory: which credential holds which status index, what was revoked or suspended and why.
 * Async so that a shared server database can implement it; `openSqliteRegister` is the single-file implementation.
 */
export interface IssuanceRegister {
  ensureStatusList(list: { id: string; purpose: string; size: number }): Promise<void>;
  /**
   * Reserves a credential for `key`: a new credential id and a status index never handed out before, picked at random
   * (an index reveals nothing about issue order). An existing reservation or issuance for the key is returned as is.
   */
  reserve(input: { key: string; learnerRef: string; achievementId: string; listId?: string; credentialId?: string }): Promise<IssuanceRecord>;
  complete(input: { key: string; format: string; credentialHash: string; file?: string }): Promise<IssuanceRecord>;
  findByKey(key: string): Promise<IssuanceRecord | undefined>;
  findByCredentialId(credentialId: string): Promise<IssuanceRecord | undefined>;
  listIssued(filter?: { achievementId?: string }): Promise<IssuanceRecord[]>;
  /** Records a status change. Revocation is final; suspension can be lifted (reinstate). */
  setStatus(change: Omit<StatusChange, 'at'>): Promise<StatusChange>;
  currentStatus(credentialId: string): Promise<{ revoked: boolean; suspended: boolean }>;
  statusHistory(credentialId: string): Promise<StatusChange[]>;
  /** The bitstring of a list for `purpose`, from the current statuses (for publishing). */
  bitstring(listId: string, purpose: 'revocation' | 'suspension'): Promise<Bitstring>;
  /** Reservations never completed (a crash mid-batch); re-running the batch completes them with the same id and index. */
  orphans(): Promise<IssuanceRecord[]>;
  close(): Promise<void>;
}

type Db = {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): { run(...a: unknown[]): { changes: number }; get(...a: unknown[]): unknown; all(...a: unknown[]): unknown[] };
  transaction<T extends (...args: never[]) => unknown>(fn: T): T & { immediate: T };
  close(): void;
};

const SCHEMA_VERSION = 1;
const MIGRATIONS = [
  `CREATE TABLE status_lists (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, size INTEGER NOT NULL CHECK (size > 0), created_at TEXT NOT NULL) STRICT;
   CREATE TABLE issuances (
     key TEXT PRIMARY KEY,
     credential_id TEXT NOT NULL UNIQUE,
     learner_ref TEXT NOT NULL,
     achievement_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('reserved', 'issued')),
     format TEXT,
     list_id TEXT REFERENCES status_lists(id),
     status_index INTEGER,
     credential_hash TEXT,
     file TEXT,
     reserved_at TEXT NOT NULL,
     issued_at TEXT,
     UNIQUE (list_id, status_index)
   ) STRICT;
   CREATE INDEX issuances_achievement ON issuances(achievement_id);
   CREATE TABLE status_changes (
     seq INTEGER PRIMARY KEY,
     credential_id TEXT NOT NULL REFERENCES issuances(credential_id),
     purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
     value INTEGER NOT NULL CHECK (value IN (0, 1)),
     reason TEXT NOT NULL,
     actor TEXT,
     at TEXT NOT NULL
   ) STRICT;`,
];

/** Opens (creating if needed) a register in one SQLite file: WAL, busy timeout, every write in BEGIN IMMEDIATE. */
export async function openSqliteRegister(file: string): Promise<IssuanceRegister> {
  let Database: new (f: string) => Db;
  try {
    Database = createRequire(import.meta.url)('better-sqlite3') as new (f: string) => Db;
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', 'The issuance register needs the optional dependency better-sqlite3 (npm install better-sqlite3@12)', { cause: e });
  }
  const isNew = !fs.existsSync(file);
  const db = new Database(file);
  if (isNew) fs.chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 15000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);

  const rowToRecord = (r: Record<string, unknown>): IssuanceRecord => ({
    key: r.key as string,
    credentialId: r.credential_id as string,
    learnerRef: r.learner_ref as string,
    achievementId: r.achievement_id as string,
    state: r.state as 'reserved' | 'issued',
    reservedAt: r.reserved_at as string,
    ...(r.format ? { format: r.format as string } : {}),
    ...(r.list_id ? { listId: r.list_id as string } : {}),
    ...(r.status_index !== null && r.status_index !== undefined ? { statusIndex: r.status_index as number } : {}),
    ...(r.credential_hash ? { credentialHash: r.credential_hash as string } : {}),
    ...(r.file ? { file: r.file as string } : {}),
    ...(r.issued_at ? { issuedAt: r.issued_at as string } : {}),
  });
  const byKey = db.prepare('SELECT * FROM issuances WHERE key = ?');
  const byId = db.prepare('SELECT * FROM issuances WHERE credential_id = ?');
  const indexTaken = db.prepare('SELECT 1 FROM issuances WHERE list_id = ? AND status_index = ?');
  const listSize = db.prepare('SELECT size FROM status_lists WHERE id = ?');
  const countUsed = db.prepare('SELECT COUNT(*) AS n FROM issuances WHERE list_id = ?');
  const usedIndexes = db.prepare('SELECT status_index AS i FROM issuances WHERE list_id = ?');
  const insert = db.prepare(`INSERT INTO issuances (key, credential_id, learner_ref, achievement_id, state, list_id, status_index, reserved_at) VALUES (?, ?, ?, ?, 'reserved', ?, ?, ?)`);

  const pickIndex = (listId: string): number => {
    const size = (listSize.get(listId) as { size: number } | undefined)?.size;
    if (size === undefined) throw new MicrocredError('STATUS_ERROR', `Unknown status list ${listId}`);
    const used = (countUsed.get(listId) as { n: number }).n;
    if (used >= size) throw new MicrocredError('STATUS_ERROR', `Status list ${listId} is full (${size} entries)`);
    // Uniform over free indexes; random probing is cheap while the list is sparse, a scan when it is crowded.
    if (used < size * 0.75) {
      for (let attempt = 0; attempt < 64; attempt++) {
        const i = randomBelow(size);
        if (!indexTaken.get(listId, i)) return i;
      }
    }
    const taken = new Set((usedIndexes.all(listId) as { i: number }[]).map((r) => r.i));
    const free: number[] = [];
    for (let i = 0; i < size; i++) if (!taken.has(i)) free.push(i);
    return free[randomBelow(free.length)]!;
  };

  const reserveTx = db.transaction((input: { key: string; learnerRef: string; achievementId: string; listId?: string; credentialId?: string }) => {
    const existing = byKey.get(input.key) as Record<string, unknown> | undefined;
    if (existing) return rowToRecord(existing);
    const credentialId = input.credentialId ?? `urn:uuid:${globalThis.crypto.randomUUID()}`;
    const index = input.listId ? pickIndex(input.listId) : null;
    insert.run(input.key, credentialId, input.learnerRef, input.achievementId, input.listId ?? null, index, now());
    return rowToRecord(byKey.get(input.key) as Record<string, unknown>);
  });
  const completeTx = db.transaction((input: { key: string; format: string; credentialHash: string; file?: string }) => {
    const r = db.prepare(`UPDATE issuances SET state = 'issued', format = ?, credential_hash = ?, file = ?, issued_at = COALESCE(issued_at, ?) WHERE key = ?`).run(input.format, input.credentialHash, input.file ?? null, now(), input.key);
    if (r.changes !== 1) throw new MicrocredError('INVALID_INPUT', `No reservation for ${input.key}`);
    return rowToRecord(byKey.get(input.key) as Record<string, unknown>);
  });
  const statusRows = db.prepare('SELECT * FROM status_changes WHERE credential_id = ? ORDER BY seq');
  const current = (credentialId: string) => {
    const rows = statusRows.all(credentialId) as { purpose: string; value: number }[];
    const last = (p: string) => [...rows].reverse().find((r) => r.purpose === p)?.value === 1;
    return { revoked: last('revocation'), suspended: last('suspension') };
  };
  const setStatusTx = db.transaction((change: Omit<StatusChange, 'at'>) => {
    if (!byId.get(change.credentialId)) throw new MicrocredError('INVALID_INPUT', `No credential ${change.credentialId} in the register`);
    if (!change.reason || !change.reason.trim()) throw new MicrocredError('MISSING_ELEMENT', 'A status change needs a reason', { path: '$.reason' });
    const state = current(change.credentialId);
    if (change.purpose === 'revocation' && state.revoked && !change.value) throw new MicrocredError('STATUS_ERROR', 'A revoked credential cannot be reinstated: revocation is final');
    const at = now();
    db.prepare('INSERT INTO status_changes (credential_id, purpose, value, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)').run(change.credentialId, change.purpose, change.value ? 1 : 0, change.reason.trim(), change.actor ?? null, at);
    return { ...change, reason: change.reason.trim(), at };
  });

  return {
    async ensureStatusList(list) {
      db.transaction(() => {
        const existing = listSize.get(list.id) as { size: number } | undefined;
        if (!existing) db.prepare('INSERT INTO status_lists (id, purpose, size, created_at) VALUES (?, ?, ?, ?)').run(list.id, list.purpose, list.size, now());
        else if (existing.size !== list.size) throw new MicrocredError('STATUS_ERROR', `Status list ${list.id} already has ${existing.size} entries`);
      }).immediate();
    },
    async reserve(input) {
      return reserveTx.immediate(input);
    },
    async complete(input) {
      return completeTx.immediate(input);
    },
    async findByKey(key) {
      const r = byKey.get(key) as Record<string, unknown> | undefined;
      return r ? rowToRecord(r) : undefined;
    },
    async findByCredentialId(id) {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? rowToRecord(r) : undefined;
    },
    async listIssued(filter = {}) {
      const rows = filter.achievementId
        ? db.prepare(`SELECT * FROM issuances WHERE state = 'issued' AND achievement_id = ? ORDER BY issued_at`).all(filter.achievementId)
        : db.prepare(`SELECT * FROM issuances WHERE state = 'issued' ORDER BY issued_at`).all();
      return (rows as Record<string, unknown>[]).map(rowToRecord);
    },
    async setStatus(change) {
      return setStatusTx.immediate(change);
    },
    async currentStatus(credentialId) {
      return current(credentialId);
    },
    async statusHistory(credentialId) {
      return (statusRows.all(credentialId) as Record<string, unknown>[]).map((r) => ({
        credentialId: r.credential_id as string,
        purpose: r.purpose as 'revocation' | 'suspension',
        value: r.value === 1,
        reason: r.reason as string,
        ...(r.actor ? { actor: r.actor as string } : {}),
        at: r.at as string,
      }));
    },
    async bitstring(listId, purpose) {
      const size = (listSize.get(listId) as { size: number } | undefined)?.size;
      if (size === undefined) throw new MicrocredError('STATUS_ERROR', `Unknown status list ${listId}`);
      const bits = new Bitstring({ entries: size });
      const rows = db.prepare(`SELECT i.status_index AS idx, (SELECT value FROM status_changes s WHERE s.credential_id = i.credential_id AND s.purpose = ? ORDER BY seq DESC LIMIT 1) AS v FROM issuances i WHERE i.list_id = ? AND i.status_index IS NOT NULL`).all(purpose, listId) as { idx: number; v: number | null }[];
      for (const r of rows) if (r.v === 1) bits.set(r.idx, true);
      return bits;
    },
    async orphans() {
      return (db.prepare(`SELECT * FROM issuances WHERE state = 'reserved' ORDER BY reserved_at`).all() as Record<string, unknown>[]).map(rowToRecord);
    },
    async close() {
      db.close();
    },
  };
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT');
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const from = row?.version ?? 0;
    if (from > SCHEMA_VERSION) throw new MicrocredError('INVALID_INPUT', `The register was written by a newer version (schema ${from})`);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
    else db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
  }).immediate();
}

function now(): string {
  return new Date().toISOString();
}

function randomBelow(n: number): number {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    globalThis.crypto.getRandomValues(buf);
    if (buf[0]! < limit) return buf[0]! % n;
  }
}
