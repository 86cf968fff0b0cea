import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/node/register/driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegister } from '../src/node/register';
import { APPLICATION_ID, MIGRATIONS } from '../src/node/register/schema';

/** The register's one salt per learner: schema version 3, migrated from a version-2 register. */

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-register-salt-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('learner salts', () => {
  it('a version-2 register migrates to version 3, keeps its credentials, and then keeps one salt per learner', async () => {
    const file = path.join(tmp, 'v2.sqlite');
    // A register as version 2 left it, with one issued credential.
    const raw = await openDatabase(file);
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS[0]!);
    raw.exec(MIGRATIONS[1]!);
    raw.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    raw.prepare('INSERT INTO schema_version VALUES (1, ?), (2, ?)').run('x', 'x');
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw
      .prepare(
        `INSERT INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, format, credential_hash, reserved_at, issued_at) VALUES ('k', 'learner:a', 'learner:a', 'https://u.example/a', 'urn:uuid:1', 'issued', 'vc-jwt', ?, 'x', 'x')`,
      )
      .run('0'.repeat(64));
    raw.close();

    const register = await openSqliteRegister(file);
    try {
      expect(await register.findByCredentialId('urn:uuid:1')).toMatchObject({
        learnerRef: 'learner:a',
        state: 'issued',
      });
      expect(await register.learnerSalt('learner:a')).toBeUndefined();
      const salt = await register.learnerSalt('learner:a', { create: true });
      expect(salt).toMatch(/^[0-9a-f]{32}$/);
      expect(await register.learnerSalt('learner:a', { create: true })).toBe(salt);
      expect(await register.learnerSalt('learner:a')).toBe(salt);
      const other = await register.learnerSalt('learner:b', { create: true });
      expect(other).not.toBe(salt);
      await expect(register.learnerSalt('')).rejects.toThrow(/required/);
    } finally {
      await register.close();
    }
    // Kept across opens, and the database itself refuses to change or delete a salt.
    const reopened = await openSqliteRegister(file);
    const kept = await reopened.learnerSalt('learner:a');
    await reopened.close();
    const db = await openDatabase(file);
    expect(
      (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() =>
      db.prepare(`UPDATE learner_salts SET salt = 'ffffffffffffffff' WHERE learner_ref = 'learner:a'`).run(),
    ).toThrow(/keeps their salt/);
    expect(() => db.prepare(`DELETE FROM learner_salts`).run()).toThrow(/keeps their salt/);
    expect(
      (db.prepare(`SELECT salt FROM learner_salts WHERE learner_ref = 'learner:a'`).get() as { salt: string }).salt,
    ).toBe(kept);
    db.close();
  });

  it('two registers on one file meeting a new learner at once agree on one salt', async () => {
    const file = path.join(tmp, 'shared.sqlite');
    const a = await openSqliteRegister(file);
    const b = await openSqliteRegister(file);
    try {
      const [x, y] = await Promise.all([
        a.learnerSalt('learner:c', { create: true }),
        b.learnerSalt('learner:c', { create: true }),
      ]);
      expect(x).toBe(y);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
