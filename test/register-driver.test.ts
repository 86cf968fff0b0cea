// The SQLite driver adapter: the register's few calls behave the same over node:sqlite and better-sqlite3. Each CI
// run covers the driver its Node picks by default (Node 20: better-sqlite3; Node 22.13+/24: node:sqlite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MicrocredError } from '../src/errors';
import { openSqliteRegister } from '../src/node/register';
import { defaultDriver, isBusyError, openDatabase } from '../src/node/register/driver';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-driver-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const newFile = () => path.join(dir, `db-${++counter}.sqlite`);
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const hasBuiltinSqlite = major > 22 || (major === 22 && minor >= 13);

async function rejection(p: Promise<unknown>): Promise<MicrocredError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MicrocredError);
  return e as MicrocredError;
}

describe('which driver runs', () => {
  it('is node:sqlite from Node 22.13, better-sqlite3 before; and the Node is the one CI asked for', () => {
    // Printed so a CI log shows which Node and driver each run really used.
    console.log(`register driver: ${defaultDriver()} on Node ${process.version}`);
    expect(defaultDriver()).toBe(hasBuiltinSqlite ? 'node:sqlite' : 'better-sqlite3');
    const expected = process.env.MICROCRED_CI_NODE_MAJOR;
    if (expected) expect(`v${major}`).toBe(`v${expected}`);
  });

  it('refuses an unknown or unavailable driver with INVALID_INPUT', async () => {
    expect((await rejection(openDatabase(newFile(), { driver: 'mysql' as never }))).code).toBe('INVALID_INPUT');
    if (!hasBuiltinSqlite) {
      expect((await rejection(openDatabase(newFile(), { driver: 'node:sqlite' }))).message).toMatch(/Node 22\.13/);
    }
    const saved = process.env.MICROCRED_SQLITE_DRIVER;
    process.env.MICROCRED_SQLITE_DRIVER = 'postgres';
    try {
      expect((await rejection(openSqliteRegister(newFile()))).message).toMatch(/MICROCRED_SQLITE_DRIVER/);
    } finally {
      if (saved === undefined) delete process.env.MICROCRED_SQLITE_DRIVER;
      else process.env.MICROCRED_SQLITE_DRIVER = saved;
    }
  });
});

describe('a workspace', () => {
  it('is not started at all when no driver can be loaded (no key file left behind)', async () => {
    const { initWorkspace } = await import('../src/node/workspace');
    const office = path.join(dir, 'office-without-driver');
    const saved = process.env.MICROCRED_SQLITE_DRIVER;
    process.env.MICROCRED_SQLITE_DRIVER = 'none-such';
    try {
      const options = { name: 'Test University', country: 'EE', statusBaseUrl: 'https://test.example/status/' };
      expect((await rejection(initWorkspace(office, options))).code).toBe('INVALID_INPUT');
      expect(fs.existsSync(office)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.MICROCRED_SQLITE_DRIVER;
      else process.env.MICROCRED_SQLITE_DRIVER = saved;
    }
  });
});

describe('the adapter', () => {
  it('runs statements, pragmas and rows the same way on either driver', async () => {
    const db = await openDatabase(newFile());
    try {
      expect(db.driver).toBe(defaultDriver());
      expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
      expect(db.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT');
      const insert = db.prepare<[string], never>('INSERT INTO t (name) VALUES (?)');
      expect(Number(insert.run('a').changes)).toBe(1);
      insert.run('b');
      const byName = db.prepare<[string], { id: number; name: string }>('SELECT * FROM t WHERE name = ?');
      expect(byName.get('b')).toEqual({ id: 2, name: 'b' });
      expect(db.prepare('SELECT * FROM t WHERE name = ?').get('zzz')).toBeUndefined();
      const names = db.prepare<[], { name: string }>('SELECT name FROM t ORDER BY id').all();
      expect(names.map((r) => r.name)).toEqual(['a', 'b']);
    } finally {
      db.close();
    }
  });

  it('rolls a failed transaction back, and a failed nested one back to its savepoint only', async () => {
    const db = await openDatabase(newFile());
    try {
      db.exec('CREATE TABLE t (name TEXT NOT NULL) STRICT');
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      const select = db.prepare<[], { name: string }>('SELECT name FROM t ORDER BY rowid');
      const names = () => select.all().map((r) => r.name);
      expect(() =>
        db
          .transaction(() => {
            insert.run('lost');
            throw new Error('boom');
          })
          .immediate(),
      ).toThrow('boom');
      expect(names()).toEqual([]);
      db.transaction(() => {
        insert.run('kept');
        expect(() =>
          db
            .transaction(() => {
              insert.run('inner');
              throw new Error('inner boom');
            })
            .immediate(),
        ).toThrow('inner boom');
      }).immediate();
      expect(names()).toEqual(['kept']);
      // A constraint failure inside (SQLite's own error) rolls back too, and the connection stays usable.
      expect(() => db.transaction(() => insert.run(null)).deferred()).toThrow();
      expect(db.transaction(() => (insert.run('after'), names())).deferred()).toEqual(['kept', 'after']);
    } finally {
      db.close();
    }
  });

  it("a register locked by another connection fails with the register's 'locked' message, not a driver error", async () => {
    const file = newFile();
    const register = await openSqliteRegister(file, { busyTimeoutMs: 0 });
    await register.ensureStatusList({ id: 'https://example.org/status/1', purpose: 'revocation', size: 131_072 });
    const other = await openDatabase(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const error = await rejection(register.allocateStatusIndex('https://example.org/status/1'));
      expect(error.code).toBe('REGISTER_LOCKED');
      expect(error.message).toMatch(/locked by another process/);
      expect(isBusyError(error.cause)).toBe(true);
      other.exec('ROLLBACK');
      expect(await register.allocateStatusIndex('https://example.org/status/1')).toBeGreaterThanOrEqual(0);
    } finally {
      other.close();
      await register.close();
    }
  });
});
