/**
 * The issuance register within one process: idempotent reservations, status changes and their history, the
 * published bitstring, a full list, the schema's own guards and hostile input — one suite run against both
 * registers, SQLite and PostgreSQL — then what only the SQLite file has (file mode, WAL, versions).
 * (Several processes and SIGKILL: register-processes.test.ts; PostgreSQL's schema: register-postgres.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/node/register/driver';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MicrocredError } from '../src/errors';
import {
  credentialHash,
  issuanceKey,
  openPostgresRegister,
  openSqliteRegister,
  type IssuanceRegister,
} from '../src/node/register';
import { describePostgres, freshSchema, rawSql } from './helpers/postgres';
import { decodeBitstring, encodeBitstring, MIN_STATUS_LIST_ENTRIES } from '../src/status';

const REVOCATION = 'https://registrar.example.edu/status/revocation-1';
const SUSPENSION = 'https://registrar.example.edu/status/suspension-1';
const DATABASES = 'https://registrar.example.edu/achievements/databases-101';
const NETWORKS = 'https://registrar.example.edu/achievements/networks-201';
const SIZE = MIN_STATUS_LIST_ENTRIES;

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function newFile(): string {
  return path.join(dir, `register-${++counter}.sqlite`);
}

/** One register implementation under test: where a new register goes, how to open it, and raw SQL beside it. */
interface Backend {
  /** A place for a new, empty register: a file (SQLite) or a schema (PostgreSQL). */
  place(): string;
  open(place: string, options?: { now?: () => Date }): Promise<IssuanceRegister>;
  /** Runs SQL on the register's database directly, as a second program or a hand-written session would. */
  exec(place: string, sql: string): Promise<void>;
  /** How the database writes a boolean column's values. */
  bool: { true: string; false: string };
  /** Guards only this database has (PostgreSQL: TRUNCATE, which skips row triggers, and the list counter). */
  extraAttempts: Record<string, string>;
  /**
   * SQL that keeps these bytes (hex) for the credential past every guard the schema has, as an operator owning the
   * tables can: the register's code is then the last check.
   */
  forceKeptBytes(credentialId: string, hex: string): string;
  /** Attempts on the kept bytes only this database refuses (SQLite: REPLACE; PostgreSQL: TRUNCATE, unhashed bytes). */
  keptBytesAttempts: Record<string, string>;
  /** SQL that takes a register back to the schema version before it kept issued credentials' bytes. */
  beforeKeptBytes: string;
}

const sqliteBackend: Backend = {
  place: newFile,
  open: (file, options) => openSqliteRegister(file, options),
  async exec(file, sql) {
    const raw = await openDatabase(file);
    try {
      raw.pragma('foreign_keys = ON');
      raw.exec(sql);
    } finally {
      raw.close();
    }
  },
  bool: { true: '1', false: '0' },
  extraAttempts: {
    // REPLACE deletes the row in its way without firing delete triggers (unless recursive_triggers is on).
    replaceRevoked: `INSERT OR REPLACE INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, list_id, status_index, reserved_at) SELECT key, roster_key, learner_ref, achievement_id, credential_id, 'reserved', list_id, status_index, reserved_at FROM issuances WHERE revoked = 1`,
    replaceHistory: `INSERT OR REPLACE INTO status_changes (seq, credential_id, purpose, value, reason, at) SELECT seq, credential_id, 'suspension', 0, 'r', 'x' FROM status_changes`,
    replaceSalt: `INSERT OR REPLACE INTO learner_salts (learner_ref, salt, created_at) SELECT learner_ref, 'another-salt', created_at FROM learner_salts`,
    replaceLink: `INSERT OR REPLACE INTO learner_links (ref, learner_ref, created_at) SELECT ref, ref, created_at FROM learner_links WHERE ref <> learner_ref`,
    replaceBinding: `INSERT OR REPLACE INTO workspace_binding (one, workspace_id, issuer, bound_at) VALUES (1, 'another-workspace', 'did:example:another', 'x')`,
  },
  keptBytesAttempts: {
    replace: `INSERT OR REPLACE INTO issued_credentials (credential_id, bytes) SELECT credential_id, X'00' FROM issued_credentials`,
  },
  forceKeptBytes: (id, hex) => `INSERT INTO issued_credentials (credential_id, bytes) VALUES ('${id}', X'${hex}')`,
  beforeKeptBytes: 'DROP TABLE issued_credentials; DELETE FROM schema_version WHERE version = 9',
};

function postgresBackend(url: string): Backend {
  return {
    place: () => freshSchema('register'),
    open: (schema, options) => openPostgresRegister(url, { schema, ...options }),
    exec: async (schema, sql) => void (await rawSql(url, schema, sql)),
    bool: { true: 'true', false: 'false' },
    extraAttempts: {
      truncateAllocations: 'TRUNCATE allocations CASCADE',
      truncateIssuances: 'TRUNCATE issuances CASCADE',
      truncateHistory: 'TRUNCATE status_changes',
      truncateSalts: 'TRUNCATE learner_salts',
      truncateLists: 'TRUNCATE status_lists CASCADE',
      resetListCounter: 'UPDATE status_lists SET allocated = 0',
      resizeList: 'UPDATE status_lists SET size = size * 2',
      deleteList: 'DELETE FROM status_lists',
      changeSalt: `UPDATE learner_salts SET salt = 'another-salt'`,
      deleteSalt: 'DELETE FROM learner_salts',
      rehashIssued: `UPDATE issuances SET credential_hash = repeat('0', 64) WHERE state = 'issued'`,
    },
    keptBytesAttempts: {
      truncate: 'TRUNCATE issued_credentials',
      notTheHashedBytes: `INSERT INTO issued_credentials (credential_id, bytes) SELECT credential_id, '\\x00'::bytea FROM issuances WHERE state = 'issued' AND credential_id NOT IN (SELECT credential_id FROM issued_credentials)`,
    },
    forceKeptBytes: (id, hex) =>
      `ALTER TABLE issued_credentials DISABLE TRIGGER issued_credentials_match; INSERT INTO issued_credentials (credential_id, bytes) VALUES ('${id}', '\\x${hex}'::bytea); ALTER TABLE issued_credentials ENABLE TRIGGER issued_credentials_match`,
    beforeKeptBytes:
      'DROP TABLE issued_credentials; DROP FUNCTION issued_credential_matches(); DELETE FROM schema_version WHERE version = 5',
  };
}

describe('SQLite register', () => behaviour(sqliteBackend));
describePostgres('PostgreSQL register', (url) => behaviour(postgresBackend(url)));

async function rejection(promise: Promise<unknown>): Promise<MicrocredError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MicrocredError);
  return error as MicrocredError;
}

/** Reserves and completes one credential the way a batch does. */
async function issueOne(register: IssuanceRegister, learner: string, listId = REVOCATION, achievementId = DATABASES) {
  const reserved = await register.reserveIssuance({ rosterKey: learner, learnerRef: learner, achievementId, listId });
  const text = JSON.stringify({ id: reserved.credentialId, index: reserved.statusIndex });
  return register.completeIssuance({
    key: reserved.key,
    credentialId: reserved.credentialId,
    format: 'ob3-jsonld',
    credentialHash: credentialHash(text),
    file: `/out/${learner}.json`,
  });
}

/** The behaviour every register implementation must have. */
function behaviour(backend: Backend): void {
  const newPlace = (): string => backend.place();

  async function withLists(place = newPlace(), options?: { now?: () => Date }): Promise<IssuanceRegister> {
    const register = await backend.open(place, options);
    await register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE });
    await register.ensureStatusList({ id: SUSPENSION, purpose: 'suspension', size: SIZE });
    return register;
  }

  describe('reservations are idempotent', () => {
    it('the same key twice returns the same record, and one index', async () => {
      const register = await withLists();
      const input = { rosterKey: 'stu-0001', learnerRef: 'stu-0001', achievementId: DATABASES, listId: REVOCATION };
      const first = await register.reserveIssuance(input);
      const second = await register.reserveIssuance(input);
      // Only the reservation that made it carries the list's count (for the workspace's high-water mark).
      const { listAllocated, ...made } = first;
      expect(listAllocated).toBe(1);
      expect(second.listAllocated).toBeUndefined();
      expect(second).toEqual(made);
      expect(first).toMatchObject({
        key: issuanceKey(input),
        state: 'reserved',
        listId: REVOCATION,
        learnerRef: 'stu-0001',
      });
      expect(first.credentialId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(Number.isInteger(first.statusIndex) && first.statusIndex! >= 0 && first.statusIndex! < SIZE).toBe(true);
      expect((await register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE })).allocated).toBe(
        1,
      );
      await register.close();
    });

    it('a resumed reservation keeps its list and index, whatever the re-run asks for', async () => {
      const register = await withLists();
      const first = await register.reserveIssuance({
        rosterKey: 'stu-1',
        learnerRef: 'stu-1',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const again = await register.reserveIssuance({
        rosterKey: 'stu-1',
        learnerRef: 'stu-1',
        achievementId: DATABASES,
        listId: SUSPENSION,
        credentialId: 'urn:uuid:other',
      });
      expect([again.listId, again.statusIndex, again.credentialId]).toEqual([
        REVOCATION,
        first.statusIndex,
        first.credentialId,
      ]);
      await register.close();
    });

    it('the same roster key for another achievement is another credential', async () => {
      const register = await withLists();
      const a = await register.reserveIssuance({
        rosterKey: 'stu-1',
        learnerRef: 'stu-1',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const b = await register.reserveIssuance({
        rosterKey: 'stu-1',
        learnerRef: 'stu-1',
        achievementId: NETWORKS,
        listId: REVOCATION,
      });
      expect(b.key).not.toBe(a.key);
      expect(b.credentialId).not.toBe(a.credentialId);
      expect(b.statusIndex).not.toBe(a.statusIndex);
      await register.close();
    });

    it('refuses a key that belongs to another learner', async () => {
      const register = await withLists();
      await register.reserveIssuance({
        rosterKey: 'row-7',
        learnerRef: 'stu-7',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const e = await rejection(
        register.reserveIssuance({
          rosterKey: 'row-7',
          learnerRef: 'stu-8',
          achievementId: DATABASES,
          listId: REVOCATION,
        }),
      );
      expect([e.code, e.path]).toEqual(['INVALID_INPUT', '$.learnerRef']);
      await register.close();
    });

    it('an issued key comes back issued, and completing it again is a no-op only with the same hash', async () => {
      const register = await withLists();
      const issued = await issueOne(register, 'stu-2');
      expect(issued).toMatchObject({ state: 'issued', format: 'ob3-jsonld', file: '/out/stu-2.json' });
      expect(issued.credentialHash).toMatch(/^[0-9a-f]{64}$/);
      expect(issued.holder).toBeUndefined();
      const again = await register.reserveIssuance({
        rosterKey: 'stu-2',
        learnerRef: 'stu-2',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      expect(again).toEqual(issued);
      const same = await register.completeIssuance({
        key: issued.key,
        credentialId: issued.credentialId,
        format: 'vc-jwt',
        credentialHash: issued.credentialHash!.toUpperCase(),
      });
      expect(same).toEqual(issued);
      const other = await rejection(
        register.completeIssuance({
          key: issued.key,
          credentialId: issued.credentialId,
          format: 'ob3-jsonld',
          credentialHash: credentialHash('another'),
        }),
      );
      expect(other.path).toBe('$.credentialHash');
      await register.close();
    });

    it('completion checks the key, the credential id and the hash', async () => {
      const register = await withLists();
      const r = await register.reserveIssuance({
        rosterKey: 'stu-3',
        learnerRef: 'stu-3',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const hash = credentialHash('x');
      expect(
        (
          await rejection(
            register.completeIssuance({ key: 'nope', credentialId: r.credentialId, format: 'f', credentialHash: hash }),
          )
        ).path,
      ).toBe('$.key');
      expect(
        (
          await rejection(
            register.completeIssuance({
              key: r.key,
              credentialId: 'urn:uuid:wrong',
              format: 'f',
              credentialHash: hash,
            }),
          )
        ).path,
      ).toBe('$.credentialId');
      expect(
        (
          await rejection(
            register.completeIssuance({ key: r.key, credentialId: r.credentialId, format: 'f', credentialHash: 'abc' }),
          )
        ).path,
      ).toBe('$.credentialHash');
      expect(
        (
          await rejection(
            register.completeIssuance({ key: r.key, credentialId: r.credentialId, format: '', credentialHash: hash }),
          )
        ).code,
      ).toBe('MISSING_ELEMENT');
      expect((await register.findByKey(r.key))!.state).toBe('reserved');
      await register.close();
    });

    it('uses a given credential id, refuses one already in the register, and issues without status when no list is named', async () => {
      const register = await withLists();
      const r = await register.reserveIssuance({
        rosterKey: 'a',
        learnerRef: 'a',
        achievementId: DATABASES,
        credentialId: 'https://registrar.example.edu/credentials/1',
      });
      expect(r.credentialId).toBe('https://registrar.example.edu/credentials/1');
      expect(r.listId).toBeUndefined();
      expect(r.statusIndex).toBeUndefined();
      const dup = await rejection(
        register.reserveIssuance({
          rosterKey: 'b',
          learnerRef: 'b',
          achievementId: DATABASES,
          credentialId: r.credentialId,
        }),
      );
      expect(dup.path).toBe('$.credentialId');
      expect(await register.findByKey(issuanceKey({ rosterKey: 'b', achievementId: DATABASES }))).toBeUndefined();
      await register.close();
    });

    it('finds and lists by achievement, issued ones only', async () => {
      const register = await withLists();
      const a = await issueOne(register, 'l1');
      const b = await issueOne(register, 'l2', REVOCATION, NETWORKS);
      await register.reserveIssuance({
        rosterKey: 'l3',
        learnerRef: 'l3',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      expect((await register.listIssued()).map((r) => r.credentialId).sort()).toEqual(
        [a.credentialId, b.credentialId].sort(),
      );
      expect((await register.listIssued({ achievementId: NETWORKS })).map((r) => r.credentialId)).toEqual([
        b.credentialId,
      ]);
      expect(await register.findByCredentialId(a.credentialId)).toEqual(a);
      expect(await register.findByCredentialId('urn:uuid:none')).toBeUndefined();
      await register.close();
    });
  });

  describe('status lists', () => {
    it('are created once; purpose and size never change; small lists are refused', async () => {
      const register = await backend.open(newPlace());
      const info = await register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE });
      expect(info).toMatchObject({ id: REVOCATION, purpose: 'revocation', size: SIZE, allocated: 0 });
      expect(await register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE })).toEqual(info);
      expect(
        (await rejection(register.ensureStatusList({ id: REVOCATION, purpose: 'suspension', size: SIZE }))).code,
      ).toBe('STATUS_ERROR');
      expect(
        (await rejection(register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE * 2 }))).code,
      ).toBe('STATUS_ERROR');
      expect(
        (await rejection(register.ensureStatusList({ id: 'https://x.example/s', purpose: 'revocation', size: 1000 })))
          .path,
      ).toBe('$.size');
      expect((await rejection(register.allocateStatusIndex('https://x.example/unknown'))).code).toBe('STATUS_ERROR');
      await register.close();
    });

    it('hands out random indexes, not sequential ones', async () => {
      const register = await withLists();
      const indexes: number[] = [];
      for (let i = 0; i < 200; i++) indexes.push(await register.allocateStatusIndex(REVOCATION));
      expect(new Set(indexes).size).toBe(200);
      // Sequential (or clustered) allocation would leak issue order and issuer volume.
      expect(indexes).not.toEqual([...indexes].sort((a, b) => a - b));
      expect(Math.max(...indexes) - Math.min(...indexes)).toBeGreaterThan(SIZE / 2);
      await register.close();
    });

    it('a nearly full list hands out exactly the last free indexes, then refuses', async () => {
      const file = newPlace();
      const register = await withLists(file);
      const free = new Set([5, 77_777, SIZE - 1]);
      // Fill everything else directly (signing 131,069 credentials would take minutes), with the shuffle state the
      // register keeps: the free indexes sit at the positions after the allocated count.
      await backend.exec(
        file,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${SIZE})
      INSERT INTO allocations (list_id, idx, allocated_at) SELECT '${REVOCATION}', i, 'x' FROM n WHERE i NOT IN (${[...free].join(',')})`,
      );
      await backend.exec(
        file,
        `INSERT INTO free_order (list_id, pos, idx) VALUES ('${REVOCATION}', ${SIZE - 3}, 5), ('${REVOCATION}', ${SIZE - 2}, 77777)`,
      );
      const got = new Set<number>();
      for (let i = 0; i < 3; i++) got.add(await register.allocateStatusIndex(REVOCATION));
      expect(got).toEqual(free);
      const full = await rejection(register.allocateStatusIndex(REVOCATION));
      expect(full.code).toBe('STATUS_ERROR');
      expect(full.message).toMatch(/full/);
      expect(
        (
          await rejection(
            register.reserveIssuance({ rosterKey: 'x', learnerRef: 'x', achievementId: DATABASES, listId: REVOCATION }),
          )
        ).code,
      ).toBe('STATUS_ERROR');
      expect(await register.findByKey(issuanceKey({ rosterKey: 'x', achievementId: DATABASES }))).toBeUndefined();
      await register.close();
    });
  });

  describe('status changes', () => {
    it('revocation is recorded with reason and actor, and is final', async () => {
      const register = await withLists();
      const c = await issueOne(register, 'stu-9');
      const revoked = await register.setStatus({
        credentialId: c.credentialId,
        purpose: 'revocation',
        value: true,
        reason: '  grade annulled, board decision 2025/14 ',
        actor: 'registrar:kim',
      });
      expect(revoked.recorded).toBe(true);
      expect(revoked.status).toEqual({ revoked: true, suspended: false });
      expect(revoked.change).toMatchObject({
        credentialId: c.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'grade annulled, board decision 2025/14',
        actor: 'registrar:kim',
      });
      const undo = await rejection(
        register.setStatus({ credentialId: c.credentialId, purpose: 'revocation', value: false, reason: 'mistake' }),
      );
      expect(undo.code).toBe('STATUS_ERROR');
      expect(undo.message).toMatch(/final/);
      // Revoking again (a retried command) records nothing and reports the original change.
      const again = await register.setStatus({
        credentialId: c.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'retry',
      });
      expect(again).toEqual({ recorded: false, change: revoked.change, status: { revoked: true, suspended: false } });
      expect(await register.statusHistory(c.credentialId)).toEqual([revoked.change]);
      expect(await register.currentStatus(c.credentialId)).toEqual({ revoked: true, suspended: false });
      expect((await register.findByCredentialId(c.credentialId))!.status.revoked).toBe(true);
      await register.close();
    });

    it('restate records a change that keeps the status, so its reason becomes the current one; a bad flag is refused', async () => {
      const register = await withLists();
      const c = await issueOne(register, 'stu-10b', SUSPENSION);
      const cascade = { credentialId: c.credentialId, purpose: 'suspension' as const, value: true };
      const first = await register.setStatus({
        ...cascade,
        reason: 'a part it was awarded on (x) was suspended: appeal',
      });
      expect(first.recorded).toBe(true);
      expect((await register.setStatus({ ...cascade, reason: 'programme under review' })).recorded).toBe(false);
      const own = await register.setStatus({ ...cascade, reason: 'programme under review', restate: true });
      expect(own).toMatchObject({ recorded: true, change: { reason: 'programme under review', value: true } });
      expect(own.change).not.toHaveProperty('restate');
      expect(own.status).toEqual({ revoked: false, suspended: true });
      expect((await register.statusHistory(c.credentialId)).map((h) => h.reason)).toEqual([
        'a part it was awarded on (x) was suspended: appeal',
        'programme under review',
      ]);
      const bad = await rejection(register.setStatus({ ...cascade, reason: 'r', restate: 'yes' as never }));
      expect(bad).toMatchObject({ code: 'INVALID_INPUT', path: '$.restate' });
      await register.close();
    });

    it('suspension can be lifted and imposed again; the history keeps every step in order', async () => {
      const register = await withLists(newPlace(), {
        now: (() => {
          let t = Date.parse('2025-07-01T09:00:00Z');
          return () => new Date((t += 60_000));
        })(),
      });
      const c = await issueOne(register, 'stu-10', SUSPENSION);
      const steps: [boolean, string][] = [
        [true, 'plagiarism investigation opened'],
        [false, 'investigation closed: no case'],
        [true, 'second complaint'],
      ];
      for (const [value, reason] of steps)
        expect(
          (await register.setStatus({ credentialId: c.credentialId, purpose: 'suspension', value, reason })).recorded,
        ).toBe(true);
      const history = await register.statusHistory(c.credentialId);
      expect(history.map((h) => [h.value, h.reason])).toEqual(steps);
      expect(history.map((h) => h.seq)).toEqual([...history.map((h) => h.seq)].sort((a, b) => a - b));
      expect(history.every((h, i) => i === 0 || h.at > history[i - 1]!.at)).toBe(true);
      expect(await register.currentStatus(c.credentialId)).toEqual({ revoked: false, suspended: true });
      await register.close();
    });

    it('refuses a purpose the credential cannot publish, a missing reason and an unknown credential', async () => {
      const register = await withLists();
      const onRevocation = await issueOne(register, 'a');
      const onSuspension = await issueOne(register, 'b', SUSPENSION);
      expect(
        (
          await rejection(
            register.setStatus({
              credentialId: onRevocation.credentialId,
              purpose: 'suspension',
              value: true,
              reason: 'r',
            }),
          )
        ).path,
      ).toBe('$.purpose');
      expect(
        (
          await rejection(
            register.setStatus({
              credentialId: onSuspension.credentialId,
              purpose: 'revocation',
              value: true,
              reason: 'r',
            }),
          )
        ).path,
      ).toBe('$.purpose');
      const noReason = await rejection(
        register.setStatus({
          credentialId: onRevocation.credentialId,
          purpose: 'revocation',
          value: true,
          reason: '   ',
        }),
      );
      expect([noReason.code, noReason.path]).toEqual(['MISSING_ELEMENT', '$.reason']);
      expect(
        (
          await rejection(
            register.setStatus({ credentialId: 'urn:uuid:none', purpose: 'revocation', value: true, reason: 'r' }),
          )
        ).path,
      ).toBe('$.credentialId');
      expect((await rejection(register.statusHistory('urn:uuid:none'))).path).toBe('$.credentialId');
      expect(await register.statusHistory(onRevocation.credentialId)).toEqual([]);
      await register.close();
    });

    it('bitstring() sets exactly the bits of the currently revoked or suspended credentials', async () => {
      const register = await withLists();
      const onRevocation = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((l) => issueOne(register, l)));
      const onSuspension = await Promise.all(['s1', 's2', 's3'].map((l) => issueOne(register, l, SUSPENSION)));
      await register.setStatus({
        credentialId: onRevocation[1]!.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      await register.setStatus({
        credentialId: onRevocation[3]!.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      for (const s of onSuspension)
        await register.setStatus({ credentialId: s.credentialId, purpose: 'suspension', value: true, reason: 'hold' });
      await register.setStatus({
        credentialId: onSuspension[0]!.credentialId,
        purpose: 'suspension',
        value: false,
        reason: 'reinstated',
      });

      const setBits = (bytes: Uint8Array): number[] => {
        const out: number[] = [];
        bytes.forEach((byte, i) => {
          for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) out.push(i * 8 + b);
        });
        return out;
      };
      const revocation = await register.bitstring(REVOCATION);
      expect(revocation.entries).toBe(SIZE);
      expect(setBits(revocation.bytes)).toEqual(
        [onRevocation[1]!.statusIndex!, onRevocation[3]!.statusIndex!].sort((a, b) => a - b),
      );
      const suspension = await register.bitstring(SUSPENSION);
      expect(setBits(suspension.bytes)).toEqual(
        [onSuspension[1]!.statusIndex!, onSuspension[2]!.statusIndex!].sort((a, b) => a - b),
      );
      // What gets published decodes to the same bits.
      const published = await decodeBitstring(await encodeBitstring(revocation));
      expect(setBits(published.bytes)).toEqual(setBits(revocation.bytes));
      expect((await rejection(register.bitstring('https://x.example/unknown'))).code).toBe('STATUS_ERROR');
      await register.close();
    });
  });

  describe('reservations held by another register in the same process', () => {
    it('are "in progress" while it is open, and taken over with the same index once it closes', async () => {
      const file = newPlace();
      const a = await withLists(file);
      const b = await backend.open(file);
      const input = { rosterKey: 'stu-5', learnerRef: 'stu-5', achievementId: DATABASES, listId: REVOCATION };
      const { listAllocated: _, ...held } = await a.reserveIssuance(input);
      expect(held.holder).toMatchObject({ pid: process.pid, host: os.hostname() });
      const busy = await rejection(b.reserveIssuance(input));
      expect(busy.message).toMatch(/being issued right now/);
      expect(busy.code).toBe('REGISTER_LOCKED');
      expect(await b.recoverOrphans()).toEqual({ orphans: [], inProgress: [held] });
      await a.close();
      const report = await b.recoverOrphans();
      expect(report.inProgress).toEqual([]);
      expect(report.orphans.map((o) => [o.credentialId, o.statusIndex])).toEqual([
        [held.credentialId, held.statusIndex],
      ]);
      const resumed = await b.reserveIssuance(input);
      expect([resumed.credentialId, resumed.statusIndex, resumed.state]).toEqual([
        held.credentialId,
        held.statusIndex,
        'reserved',
      ]);
      await b.completeIssuance({
        key: resumed.key,
        credentialId: resumed.credentialId,
        format: 'f',
        credentialHash: credentialHash('c'),
      });
      expect((await b.findByKey(held.key))!.state).toBe('issued');
      await b.close();
    });

    it('staleAfterMs releases a reservation held too long, and its old holder can no longer complete it', async () => {
      const file = newPlace();
      const a = await withLists(file);
      let offset = 0;
      const b = await backend.open(file, { now: () => new Date(Date.now() + offset) });
      const held = await a.reserveIssuance({
        rosterKey: 'stu-6',
        learnerRef: 'stu-6',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      expect((await b.recoverOrphans({ staleAfterMs: 3_600_000 })).inProgress).toHaveLength(1);
      offset = 2 * 3_600_000;
      expect((await b.recoverOrphans({ staleAfterMs: 3_600_000 })).orphans.map((o) => o.key)).toEqual([held.key]);
      const late = await rejection(
        a.completeIssuance({
          key: held.key,
          credentialId: held.credentialId,
          format: 'f',
          credentialHash: credentialHash('c'),
        }),
      );
      expect(late.path).toBe('$.key');
      await a.close();
      await b.close();
    });
  });

  describe('one learner, every identifier', () => {
    it("links a row's identifiers to one learner; a later row with any subset is that learner; two learners are refused", async () => {
      const register = await withLists();
      expect(await register.linkLearner(['ref:email', 'ref:student'])).toBe('ref:email');
      expect(await register.linkLearner(['ref:student'])).toBe('ref:email');
      expect(await register.linkLearner(['ref:national', 'ref:student'])).toBe('ref:email');
      expect(await register.learnerOf('ref:national')).toBe('ref:email');
      expect(await register.learnerOf('ref:nobody')).toBeUndefined();
      expect(await register.linkLearner(['ref:other'])).toBe('ref:other');
      expect((await rejection(register.linkLearner(['ref:other', 'ref:student']))).code).toBe('IDENTIFIER_CONFLICT');
      // Nothing of the refused row was recorded.
      expect(await register.learnerOf('ref:other')).toBe('ref:other');
      expect((await rejection(register.linkLearner([]))).code).toBe('INVALID_INPUT');
      await register.close();
    });

    it('in a register from before links, the reference that already holds credentials stays the learner', async () => {
      const register = await withLists();
      await issueOne(register, 'ref:email-old');
      // A row now gives a DID first and the old e-mail: the learner is the one with the credential, not the DID.
      expect(await register.linkLearner(['ref:did', 'ref:email-old'])).toBe('ref:email-old');
      await issueOne(register, 'ref:second');
      expect((await rejection(register.linkLearner(['ref:email-old', 'ref:second']))).code).toBe('IDENTIFIER_CONFLICT');
      await register.close();
    });

    it('the database refuses to change, delete or chain a link', async () => {
      const place = newPlace();
      const register = await withLists(place);
      await register.linkLearner(['ref:a', 'ref:b']);
      await register.close();
      const attempts = {
        relink: `UPDATE learner_links SET learner_ref = 'ref:b'`,
        unlink: `DELETE FROM learner_links`,
        chain: `INSERT INTO learner_links (ref, learner_ref, created_at) VALUES ('ref:c', 'ref:b', 'x')`,
      };
      const refused: string[] = [];
      for (const [name, sql] of Object.entries(attempts)) {
        try {
          await backend.exec(place, sql);
        } catch {
          refused.push(name);
        }
      }
      expect(refused).toEqual(Object.keys(attempts));
    });
  });

  describe("an issued credential's bytes, kept for a retry on any server", () => {
    /** Reserves one credential and completes it, keeping its bytes unless told not to. */
    async function complete(register: IssuanceRegister, learner: string, keep = true) {
      const reserved = await register.reserveIssuance({
        rosterKey: learner,
        learnerRef: learner,
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const text = JSON.stringify({ id: reserved.credentialId, learner, name: 'Tõnu ✓' }, null, 2) + '\n';
      await register.completeIssuance({
        key: reserved.key,
        credentialId: reserved.credentialId,
        format: 'ob3-jsonld',
        credentialHash: credentialHash(text),
        file: `/out/${learner}.json`,
        ...(keep ? { credential: text } : {}),
      });
      return { id: reserved.credentialId, key: reserved.key, text };
    }

    it('hands back exactly the bytes completed with, from any register on the database; none for a credential completed without them', async () => {
      const place = newPlace();
      const register = await withLists(place);
      const kept = await complete(register, 'kept');
      const bytesGiven = await register.reserveIssuance({
        rosterKey: 'bytes',
        learnerRef: 'bytes',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const jwt = new Uint8Array([0x65, 0x79, 0x4a, 0xff, 0x00, 0x0a]);
      await register.completeIssuance({
        key: bytesGiven.key,
        credentialId: bytesGiven.credentialId,
        format: 'vc-jwt',
        credentialHash: credentialHash(jwt),
        credential: jwt,
      });
      const old = await complete(register, 'old', false);
      const open = await register.reserveIssuance({
        rosterKey: 'open',
        learnerRef: 'open',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      await register.close();
      const other = await backend.open(place);
      expect(Buffer.from((await other.issuedCredential(kept.id))!).toString('utf8')).toBe(kept.text);
      expect(Buffer.from((await other.issuedCredential(bytesGiven.credentialId))!)).toEqual(Buffer.from(jwt));
      expect(await other.issuedCredential(old.id)).toBeUndefined();
      expect(await other.issuedCredential(open.credentialId)).toBeUndefined();
      expect(await other.issuedCredential('urn:uuid:nothing-here')).toBeUndefined();
      expect((await rejection(other.issuedCredential(42 as unknown as string))).code).toBe('INVALID_INPUT');
      await other.close();
    });

    it('refuses a completion whose bytes are not the ones hashed, and records nothing', async () => {
      const register = await withLists();
      const reserved = await register.reserveIssuance({
        rosterKey: 'r',
        learnerRef: 'r',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      const base = {
        key: reserved.key,
        credentialId: reserved.credentialId,
        format: 'ob3-jsonld',
        credentialHash: credentialHash('the signed text'),
      };
      const wrong = await rejection(register.completeIssuance({ ...base, credential: 'another text' }));
      expect(wrong).toMatchObject({ code: 'INVALID_INPUT', problems: [{ path: '$.credential' }] });
      const notBytes = await rejection(register.completeIssuance({ ...base, credential: 7 as unknown as string }));
      expect(notBytes).toMatchObject({ code: 'INVALID_INPUT', problems: [{ path: '$.credential' }] });
      expect((await register.findByKey(reserved.key))!.state).toBe('reserved');
      await register.completeIssuance({ ...base, credential: 'the signed text' });
      expect(Buffer.from((await register.issuedCredential(reserved.credentialId))!).toString()).toBe('the signed text');
      await register.close();
    });

    it('refuses kept bytes whose SHA-256 is not the recorded one (REGISTER_INCONSISTENT), never hands them out', async () => {
      const place = newPlace();
      const register = await withLists(place);
      const old = await complete(register, 'old', false);
      await register.close();
      // An operator puts other bytes in by hand, past the schema's guards.
      await backend.exec(
        place,
        backend.forceKeptBytes(old.id, Buffer.from(old.text.replace('old', 'odd')).toString('hex')),
      );
      const after = await backend.open(place);
      const refused = await rejection(after.issuedCredential(old.id));
      expect(refused).toMatchObject({ code: 'REGISTER_INCONSISTENT', problems: [{ path: '$.credentialId' }] });
      expect(refused.message).toMatch(/Restore the register from backup/);
      await after.close();
    });

    it('the database refuses raw SQL that would change, remove, replace or invent kept bytes', async () => {
      const place = newPlace();
      const register = await withLists(place);
      const kept = await complete(register, 'kept');
      await complete(register, 'old', false);
      const open = await register.reserveIssuance({
        rosterKey: 'open',
        learnerRef: 'open',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      await register.close();
      const attempts: Record<string, string> = {
        change: `UPDATE issued_credentials SET bytes = bytes || bytes`,
        remove: `DELETE FROM issued_credentials`,
        again: backend.forceKeptBytes(kept.id, '00').replace(/ALTER TABLE[^;]*;/g, ''),
        ofReserved: backend.forceKeptBytes(open.credentialId, '00').replace(/ALTER TABLE[^;]*;/g, ''),
        ofNothing: backend.forceKeptBytes('urn:uuid:nothing-here', '00').replace(/ALTER TABLE[^;]*;/g, ''),
        ...backend.keptBytesAttempts,
      };
      const refused: string[] = [];
      for (const [name, sql] of Object.entries(attempts)) {
        try {
          await backend.exec(place, sql);
        } catch {
          refused.push(name);
        }
      }
      expect(refused).toEqual(Object.keys(attempts));
      const after = await backend.open(place);
      expect(Buffer.from((await after.issuedCredential(kept.id))!).toString('utf8')).toBe(kept.text);
      await after.close();
    });

    it('a register from before kept bytes migrates: its credentials keep working the file way, new ones keep bytes', async () => {
      const place = newPlace();
      const register = await withLists(place);
      const before = await complete(register, 'before', false);
      await register.close();
      await backend.exec(place, backend.beforeKeptBytes);
      const migrated = await backend.open(place);
      expect(await migrated.findByCredentialId(before.id)).toMatchObject({
        state: 'issued',
        credentialHash: credentialHash(before.text),
        file: '/out/before.json',
      });
      expect(await migrated.issuedCredential(before.id)).toBeUndefined();
      const after = await complete(migrated, 'after');
      expect(Buffer.from((await migrated.issuedCredential(after.id))!).toString('utf8')).toBe(after.text);
      await migrated.close();
    });
  });

  describe('the database guards the invariants itself', () => {
    it('refuses raw SQL that would free, move or share an index, delete or un-issue a credential, rewrite history or un-revoke', async () => {
      const place = newPlace();
      const register = await withLists(place);
      const c = await issueOne(register, 'x');
      await register.setStatus({
        credentialId: c.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      const r2 = await register.reserveIssuance({
        rosterKey: 'y',
        learnerRef: 'y',
        achievementId: DATABASES,
        listId: REVOCATION,
      });
      await register.learnerSalt('y', { create: true });
      await register.linkLearner(['y', 'y-student-number']);
      await register.workspaceBinding({ workspaceId: 'the-workspace', issuer: 'did:example:university' });
      await register.close();
      const { true: yes, false: no } = backend.bool;
      const attempts: Record<string, string> = {
        freeIndex: `DELETE FROM allocations`,
        moveIndex: `UPDATE allocations SET idx = idx + 1`,
        outsideList: `INSERT INTO allocations (list_id, idx, allocated_at) VALUES ('${REVOCATION}', ${SIZE}, 'x')`,
        deleteCredential: `DELETE FROM issuances`,
        shareIndex: `UPDATE issuances SET status_index = ${c.statusIndex} WHERE key = '${r2.key.replace(/'/g, "''")}'`,
        unrevokeColumn: `UPDATE issuances SET revoked = ${no}`,
        unissue: `UPDATE issuances SET state = 'reserved'`,
        rewriteHistory: `UPDATE status_changes SET reason = 'nothing happened'`,
        eraseHistory: `DELETE FROM status_changes`,
        unrevoke: `INSERT INTO status_changes (credential_id, purpose, value, reason, at) VALUES ('${c.credentialId}', 'revocation', ${no}, 'r', 'x')`,
        unallocatedIndex: `INSERT INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, list_id, status_index, reserved_at) VALUES ('k', 'k', 'k', 'a', 'c', 'reserved', '${REVOCATION}', ${(c.statusIndex! + 1) % SIZE === r2.statusIndex ? (c.statusIndex! + 2) % SIZE : (c.statusIndex! + 1) % SIZE}, 'x')`,
        ...backend.extraAttempts,
      };
      const refused: string[] = [];
      for (const [name, sql] of Object.entries(attempts)) {
        try {
          await backend.exec(place, sql);
        } catch {
          refused.push(name);
        }
      }
      expect(refused).toEqual(Object.keys(attempts));
      // The refusals come from the rules, not from a broken connection: a harmless change still goes through.
      await backend.exec(place, `UPDATE issuances SET learner_label = 'k***' WHERE revoked = ${yes}`);
      const after = await backend.open(place);
      expect((await after.findByCredentialId(c.credentialId))!).toMatchObject({
        state: 'issued',
        statusIndex: c.statusIndex,
        learnerLabel: 'k***',
        status: { revoked: true },
      });
      expect((await after.findByKey(r2.key))!.statusIndex).toBe(r2.statusIndex);
      expect(await after.statusHistory(c.credentialId)).toHaveLength(1);
      expect((await after.statusLists()).find((l) => l.id === REVOCATION)!.allocated).toBe(2);
      expect(await after.learnerOf('y-student-number')).toBe('y');
      expect(await after.workspaceBinding()).toMatchObject({ workspaceId: 'the-workspace' });
      // Asking again for what is recorded stays harmless: the same salt, the same link, the recorded binding.
      const salt = await after.learnerSalt('y');
      expect(await after.learnerSalt('y', { create: true })).toBe(salt);
      expect(await after.linkLearner(['y-student-number'])).toBe('y');
      expect(await after.workspaceBinding({ workspaceId: 'another', issuer: 'did:example:x' })).toMatchObject({
        workspaceId: 'the-workspace',
      });
      await after.close();
    });

    it('a closed register refuses calls; closing twice is fine', async () => {
      const register = await backend.open(newPlace());
      await register.close();
      await register.close();
      expect((await rejection(register.listIssued())).code).toBe('INVALID_INPUT');
      expect((await rejection(register.allocateStatusIndex(REVOCATION))).code).toBe('INVALID_INPUT');
    });
  });

  describe("the issuing service's offers and tokens, shared by every server", () => {
    const hash = (n: number) => n.toString(16).padStart(64, '0');
    const offer = (n: number) => ({
      codeSha256: hash(n),
      body: JSON.stringify({ row: n }),
      expiresAt: '2030-01-01T00:00:00Z',
    });

    it('an offer is saved once, redeemed once (two registers racing get one access token), and burnt by wrong codes', async () => {
      const place = newPlace();
      const a = await backend.open(place);
      const b = await backend.open(place);
      await a.saveOffer(offer(1));
      expect((await rejection(b.saveOffer(offer(1)))).code).toBe('INVALID_INPUT');
      expect(await b.findOffer(hash(1))).toMatchObject({ body: '{"row":1}', wrongTxCodes: 0, burnt: false });
      expect(await b.findOffer(hash(99))).toBeUndefined();
      const results = await Promise.all(
        [a, b, a, b].map((r, i) =>
          r.redeemOffer({
            codeSha256: hash(1),
            accessTokenSha256: hash(100 + i),
            tokenExpiresAt: '2030-01-01T00:10:00Z',
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = 100 + results.indexOf(true);
      expect((await a.offerForAccessToken(hash(winner)))!.offer).toMatchObject({ codeSha256: hash(1) });
      expect((await a.offerForAccessToken(hash(winner)))!.offer.redeemedAt).toBeDefined();
      for (const loser of [100, 101, 102, 103].filter((n) => n !== winner))
        expect(await b.offerForAccessToken(hash(loser))).toBeUndefined();
      // Wrong transaction codes add up across registers; the fifth burns the offer, which then cannot be redeemed.
      await a.saveOffer(offer(2));
      const counts = await Promise.all([a, b, a, b, a].map((r) => r.countWrongTxCode(hash(2), 5)));
      expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await b.findOffer(hash(2))).toMatchObject({ wrongTxCodes: 5, burnt: true });
      expect(
        await a.redeemOffer({
          codeSha256: hash(2),
          accessTokenSha256: hash(200),
          tokenExpiresAt: '2030-01-01T00:00:00Z',
        }),
      ).toBe(false);
      expect((await rejection(a.countWrongTxCode(hash(3), 5))).code).toBe('NOT_FOUND');
      await a.close();
      await b.close();
    });

    it('a service token is recorded by hash, revoked once (for every register at once), never reused', async () => {
      const place = newPlace();
      const a = await backend.open(place);
      const b = await backend.open(place);
      await a.addServiceToken({ id: 't1', sha256: hash(7), label: 'SIS' });
      expect((await rejection(b.addServiceToken({ id: 't1', sha256: hash(8) }))).code).toBe('INVALID_INPUT');
      expect((await rejection(b.addServiceToken({ id: 't2', sha256: hash(7) }))).code).toBe('INVALID_INPUT');
      expect(await b.isLiveServiceToken(hash(7))).toBe(true);
      expect(await b.isLiveServiceToken(hash(8))).toBe(false);
      const revoked = await b.revokeServiceToken('t1');
      expect(revoked).toMatchObject({ id: 't1', label: 'SIS', revokedAt: expect.any(String) });
      expect(await a.isLiveServiceToken(hash(7))).toBe(false);
      expect((await a.revokeServiceToken('t1'))!.revokedAt).toBe(revoked!.revokedAt);
      expect(await a.revokeServiceToken('nope')).toBeUndefined();
      expect(await a.serviceTokens()).toEqual([revoked]);
      // A token recorded already revoked (moving an older token file) is never live, and keeps its revocation time.
      await a.addServiceToken({ id: 't3', sha256: hash(9), revokedAt: '2026-02-01T00:00:00Z' });
      expect(await b.isLiveServiceToken(hash(9))).toBe(false);
      expect((await b.serviceTokens()).find((t) => t.id === 't3')).toMatchObject({ revokedAt: '2026-02-01T00:00:00Z' });
      expect((await rejection(a.addServiceToken({ id: 't4', sha256: hash(10), revokedAt: 'soon' }))).code).toBe(
        'INVALID_INPUT',
      );
      await a.close();
      await b.close();
    });

    it('raw SQL cannot un-redeem, re-redeem, un-burn, reset the count, delete an offer or un-revoke a token', async () => {
      const place = newPlace();
      const register = await backend.open(place);
      await register.saveOffer(offer(1));
      await register.redeemOffer({
        codeSha256: hash(1),
        accessTokenSha256: hash(11),
        tokenExpiresAt: '2030-01-01T00:00:00Z',
      });
      await register.saveOffer(offer(2));
      for (let i = 0; i < 5; i++) await register.countWrongTxCode(hash(2), 5);
      await register.addServiceToken({ id: 't1', sha256: hash(7) });
      await register.revokeServiceToken('t1');
      await register.close();
      const { false: no } = backend.bool;
      const attempts: Record<string, string> = {
        unredeem: `UPDATE offers SET redeemed_at = NULL WHERE code_sha256 = '${hash(1)}'`,
        reredeem: `UPDATE offers SET redeemed_at = 'later' WHERE code_sha256 = '${hash(1)}'`,
        unburn: `UPDATE offers SET burnt = ${no} WHERE code_sha256 = '${hash(2)}'`,
        redeemBurnt: `UPDATE offers SET redeemed_at = 'now' WHERE code_sha256 = '${hash(2)}'`,
        resetCount: `UPDATE offers SET wrong_tx_codes = 0`,
        extendOffer: `UPDATE offers SET expires_at = '2099-01-01T00:00:00Z'`,
        deleteOffer: `DELETE FROM offers WHERE code_sha256 = '${hash(2)}'`,
        secondToken: `INSERT INTO offer_access_tokens (token_sha256, code_sha256, expires_at) VALUES ('${hash(12)}', '${hash(1)}', 'x')`,
        extendToken: `UPDATE offer_access_tokens SET expires_at = '2099-01-01T00:00:00Z'`,
        deleteToken: `DELETE FROM offer_access_tokens`,
        unrevokeToken: `UPDATE service_tokens SET revoked_at = NULL`,
        rehashToken: `UPDATE service_tokens SET sha256 = '${hash(8)}'`,
        deleteServiceToken: `DELETE FROM service_tokens`,
        upsertUnrevoke: `INSERT INTO service_tokens (id, sha256, created_at) VALUES ('t1', '${hash(7)}', 'x') ON CONFLICT (id) DO UPDATE SET revoked_at = NULL`,
        upsertUnredeem: `INSERT INTO offers (code_sha256, body, expires_at, created_at) VALUES ('${hash(1)}', 'b', 'x', 'x') ON CONFLICT (code_sha256) DO UPDATE SET redeemed_at = NULL`,
        ...(backend.bool.true === 'true'
          ? { truncateOffers: 'TRUNCATE offers CASCADE', truncateTokens: 'TRUNCATE service_tokens' }
          : {
              // REPLACE deletes the row in its way without firing delete triggers (SQLite runs them only with
              // recursive_triggers on, which another program need not set).
              replaceRevokedToken: `INSERT OR REPLACE INTO service_tokens (id, sha256, created_at) VALUES ('t1', '${hash(7)}', 'x')`,
              replaceTokenHash: `INSERT OR REPLACE INTO service_tokens (id, sha256, created_at) VALUES ('t9', '${hash(7)}', 'x')`,
              replaceRedeemedOffer: `INSERT OR REPLACE INTO offers (code_sha256, body, expires_at, created_at) VALUES ('${hash(1)}', 'b', '2099-01-01T00:00:00Z', 'x')`,
              replaceBurntOffer: `INSERT OR REPLACE INTO offers (code_sha256, body, expires_at, created_at) VALUES ('${hash(2)}', 'b', '2099-01-01T00:00:00Z', 'x')`,
              replaceAccessToken: `INSERT OR REPLACE INTO offer_access_tokens (token_sha256, code_sha256, expires_at) VALUES ('${hash(12)}', '${hash(1)}', '2099-01-01T00:00:00Z')`,
            }),
      };
      const refused: string[] = [];
      for (const [name, sql] of Object.entries(attempts)) {
        try {
          await backend.exec(place, sql);
        } catch {
          refused.push(name);
        }
      }
      expect(refused).toEqual(Object.keys(attempts));
      // A harmless change still goes through: the refusals come from the rules.
      await backend.exec(place, `UPDATE service_tokens SET revoked_at = revoked_at`);
      const after = await backend.open(place);
      expect(await after.isLiveServiceToken(hash(7))).toBe(false);
      expect(await after.findOffer(hash(2))).toMatchObject({ burnt: true, wrongTxCodes: 5 });
      await after.close();
    });
  });

  describe('hostile input', () => {
    it('every method answers arbitrary values with a MicrocredError, never a TypeError', async () => {
      const register = await withLists();
      const issued = await issueOne(register, 'h');
      const calls: ((v: unknown) => Promise<unknown>)[] = [
        (v) => register.ensureStatusList(v as never),
        (v) => register.allocateStatusIndex(v as never),
        (v) => register.reserveIssuance(v as never),
        (v) =>
          register.reserveIssuance({ rosterKey: v, learnerRef: 'h', achievementId: DATABASES, listId: v } as never),
        (v) => register.completeIssuance(v as never),
        (v) =>
          register.completeIssuance({
            key: issued.key,
            credentialId: issued.credentialId,
            format: v,
            credentialHash: v,
          } as never),
        (v) =>
          register.completeIssuance({
            key: issued.key,
            credentialId: issued.credentialId,
            format: 'ob3-jsonld',
            credentialHash: 'a'.repeat(64),
            credential: v,
          } as never),
        (v) => register.issuedCredential(v as never),
        (v) => register.findByKey(v as never),
        (v) => register.findByCredentialId(v as never),
        (v) => register.listIssued(v as never),
        (v) => register.setStatus(v as never),
        (v) => register.setStatus({ credentialId: issued.credentialId, purpose: v, value: v, reason: v } as never),
        (v) => register.currentStatus(v as never),
        (v) => register.statusHistory(v as never),
        (v) => register.bitstring(v as never),
        (v) => register.recoverOrphans(v as never),
        (v) => register.saveOffer(v as never),
        (v) => register.saveOffer({ codeSha256: v, body: v, expiresAt: v } as never),
        (v) => register.findOffer(v as never),
        (v) => register.countWrongTxCode(v as never, v as never),
        (v) => register.redeemOffer(v as never),
        (v) => register.offerForAccessToken(v as never),
        (v) => register.addServiceToken(v as never),
        (v) => register.addServiceToken({ id: v, sha256: v, label: v } as never),
        (v) => register.revokeServiceToken(v as never),
        (v) => register.isLiveServiceToken(v as never),
      ];
      const hostile = fc.oneof(
        fc.anything(),
        fc.constantFrom(null, '', '\uD800', 'x'.repeat(5000), { toString: 1 }, [], NaN, -1, 2 ** 53),
      );
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: calls.length - 1 }), hostile, async (i, value) => {
          const outcome = await calls[i]!(value).then(
            () => 'ok',
            (e: unknown) => (e instanceof MicrocredError ? 'coded' : e),
          );
          expect(['ok', 'coded']).toContain(outcome);
        }),
        { numRuns: 400 },
      );
      // Nothing hostile got in: the one credential is still the only one, unrevoked.
      expect(await register.listIssued()).toEqual([issued]);
      await register.close();
    });
  });
}

describe('the SQLite file', () => {
  const withLists = async (file: string): Promise<IssuanceRegister> => {
    const register = await openSqliteRegister(file);
    await register.ensureStatusList({ id: REVOCATION, purpose: 'revocation', size: SIZE });
    return register;
  };

  it('is private (0600, WAL files too), in WAL mode, at the current schema version, migrated once', async () => {
    const file = newFile();
    const register = await withLists(file);
    await issueOne(register, 'x');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    await register.close();
    await (await openSqliteRegister(file)).close();
    const raw = await openDatabase(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(
      (raw.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map((r) => r.version),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const strict = raw
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all();
    expect(strict).toEqual(
      [
        'allocations',
        'free_order',
        'issuances',
        'issued_credentials',
        'learner_links',
        'learner_salts',
        'offer_access_tokens',
        'offers',
        'publications',
        'schema_version',
        'service_tokens',
        'sessions',
        'status_changes',
        'status_lists',
        'workspace_binding',
      ].map((name) => ({ name, strict: 1 })),
    );
    raw.close();
  });

  it('refuses a register from a newer version, another SQLite database and a file that is not SQLite', async () => {
    const newer = newFile();
    await (await openSqliteRegister(newer)).close();
    const raw = await openDatabase(newer);
    raw.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, ?)').run('2030-01-01T00:00:00Z');
    raw.close();
    expect((await rejection(openSqliteRegister(newer))).message).toMatch(/schema version 99/);

    const other = newFile();
    const otherDb = await openDatabase(other);
    otherDb.exec(
      'CREATE TABLE schema_version (version INTEGER NOT NULL) STRICT; INSERT INTO schema_version VALUES (1)',
    );
    otherDb.close();
    expect((await rejection(openSqliteRegister(other))).message).toMatch(/not an issuance register/);

    const garbage = newFile();
    fs.writeFileSync(garbage, 'name,grade\nkim,A\n'.repeat(100));
    expect((await rejection(openSqliteRegister(garbage))).code).toBe('INVALID_INPUT');
    expect((await rejection(openSqliteRegister(path.join(dir, 'no-such-dir', 'r.sqlite')))).code).toBe('INVALID_INPUT');
  });
});
