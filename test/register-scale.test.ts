import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/node/register/driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegister } from '../src/node/register';
import { APPLICATION_ID, MIGRATIONS } from '../src/node/register/schema';

const LIST = 'https://registrar.example.edu/status/revocation';
const SIZE = 131_072;
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-register-scale-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('allocation at any fill level', () => {
  it('a version-1 register with a nearly full list migrates, then hands out exactly its free indexes', async () => {
    const file = path.join(tmp, 'v1.sqlite');
    // A register as version 1 left it: indexes allocated at random positions, no shuffle state.
    const raw = await openDatabase(file);
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS[0]!);
    raw.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    raw.prepare('INSERT INTO schema_version VALUES (1, ?)').run(new Date().toISOString());
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.prepare(`INSERT INTO status_lists VALUES (?, 'revocation', ?, 'x')`).run(LIST, SIZE);
    const free = [5, 70_000, SIZE - 1];
    raw.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${SIZE})
      INSERT INTO allocations (list_id, idx, allocated_at) SELECT '${LIST}', i, 'x' FROM n WHERE i NOT IN (${free.join(',')})`);
    raw.close();
    const register = await openSqliteRegister(file);
    try {
      expect((await register.statusLists())[0]).toMatchObject({ id: LIST, allocated: SIZE - 3 });
      const got = [];
      for (let i = 0; i < 3; i++) got.push(await register.allocateStatusIndex(LIST));
      expect(got.sort((a, b) => a - b)).toEqual(free);
      await expect(register.allocateStatusIndex(LIST)).rejects.toThrow(/full/);
    } finally {
      await register.close();
    }
  });

  it('indexes from the shuffle are distinct, in range, spread over the list, and counted', async () => {
    const file = path.join(tmp, 'drain.sqlite');
    const register = await openSqliteRegister(file);
    await register.ensureStatusList({ id: LIST, purpose: 'revocation', size: SIZE });
    await register.close();
    const r = await openSqliteRegister(file);
    const seen = new Set<number>();
    for (let i = 0; i < 800; i++) seen.add(await r.allocateStatusIndex(LIST));
    await r.close();
    expect(seen.size).toBe(800);
    expect([...seen].every((i) => i >= 0 && i < SIZE)).toBe(true);
    // Uniform-looking: each eighth of the list gets its share (expected 100; a sequential or clustered pick would not).
    const buckets = Array.from({ length: 8 }, () => 0);
    for (const i of seen) buckets[Math.floor((i * 8) / SIZE)]!++;
    expect(Math.min(...buckets)).toBeGreaterThan(50);
    const db = await openDatabase(file, { readonly: true });
    expect((db.prepare('SELECT allocated FROM status_lists').get() as { allocated: number }).allocated).toBe(800);
    db.close();
  }, 120_000);
});
