/**
 * What only the PostgreSQL register has: its schema in a namespace of the database, versioned migrations, refusing a
 * schema that is not a register, a register that is not there when a workspace expects one, an unreachable server,
 * and crash detection by the database connection (the behaviour shared with SQLite: register.test.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MicrocredError } from '../src/errors';
import { openPostgresRegister } from '../src/node/register';
import { PG_SCHEMA_VERSION } from '../src/node/register/postgres-schema';
import { describePostgres, freshSchema, rawSql, waitUntilNoRows } from './helpers/postgres';

const LIST = 'https://registrar.example.edu/status/revocation-1';
const ACHIEVEMENT = 'https://registrar.example.edu/achievements/databases-101';

async function rejection(promise: Promise<unknown>): Promise<MicrocredError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MicrocredError);
  return error as MicrocredError;
}

describe('PostgreSQL register options', () => {
  it('refuses a URL that is not postgres:// and a schema name that would need quoting', async () => {
    expect((await rejection(openPostgresRegister('mysql://localhost/db'))).path).toBe('$.url');
    expect(
      (await rejection(openPostgresRegister('postgres://127.0.0.1/db', { schema: 'Robert"; DROP TABLE x; --' }))).path,
    ).toBe('$.schema');
    expect((await rejection(openPostgresRegister('postgres://127.0.0.1/db', { schema: '' }))).path).toBe('$.schema');
  });

  it('an unreachable server is REGISTER_UNAVAILABLE, and the password is not in the message', async () => {
    // Port 9 on loopback (discard): nothing listens there, so the connection is refused at once.
    const e = await rejection(
      openPostgresRegister('postgres://registrar:s3cret-pw@127.0.0.1:9/register', { schema: 'x' }),
    );
    expect(e.code).toBe('REGISTER_UNAVAILABLE');
    expect(e.message).not.toContain('s3cret-pw');
  });
});

describe('without the optional pg package', () => {
  it('opening a PostgreSQL register fails with INVALID_INPUT saying what to install', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'register-nopg-'));
    try {
      await build({
        entryPoints: [path.join(root, 'src/node/register/index.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        external: ['better-sqlite3', 'pg'],
        outfile: path.join(out, 'register.mjs'),
        logLevel: 'silent',
      });
      const script = `import('./register.mjs').then((m) => m.openPostgresRegister('postgres://127.0.0.1:9/x')).then(() => console.log('opened'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`;
      const child = spawnSync(process.execPath, ['-e', script], { cwd: out, encoding: 'utf8', timeout: 60_000 });
      const error = JSON.parse(child.stdout) as { name: string; code: string; message: string };
      expect([error.name, error.code]).toEqual(['MicrocredError', 'INVALID_INPUT']);
      expect(error.message).toMatch(/npm install pg/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

describePostgres('PostgreSQL register schema', (url) => {
  it('is created under its schema, marked, at the current version; opening again migrates nothing', async () => {
    const schema = freshSchema('schema');
    await (await openPostgresRegister(url, { schema })).close();
    await (await openPostgresRegister(url, { schema })).close();
    const versions = await rawSql<{ version: number }>(
      url,
      schema,
      'SELECT version FROM schema_version ORDER BY version',
    );
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
    const [mark] = await rawSql<{ mark: string }>(
      url,
      schema,
      `SELECT obj_description(oid, 'pg_namespace') AS mark FROM pg_namespace WHERE nspname = $1`,
      [schema],
    );
    expect(mark!.mark).toBe('microcredentials issuance register');
  });

  it('two servers opening a new register at once migrate it once', async () => {
    const schema = freshSchema('race');
    const registers = await Promise.all([
      openPostgresRegister(url, { schema }),
      openPostgresRegister(url, { schema }),
      openPostgresRegister(url, { schema }),
    ]);
    await Promise.all(registers.map((r) => r.close()));
    expect(await rawSql(url, schema, 'SELECT version FROM schema_version')).toHaveLength(PG_SCHEMA_VERSION);
  });

  it('refuses a newer schema version, a schema with other tables, and (with create: false) a missing register', async () => {
    const newer = freshSchema('newer');
    await (await openPostgresRegister(url, { schema: newer })).close();
    await rawSql(url, newer, `INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01T00:00:00Z')`);
    expect((await rejection(openPostgresRegister(url, { schema: newer }))).message).toMatch(/schema version 99/);

    const other = freshSchema('other');
    await rawSql(url, 'public', `CREATE SCHEMA "${other}"; CREATE TABLE "${other}".students (id text)`);
    const notRegister = await rejection(openPostgresRegister(url, { schema: other }));
    expect([notRegister.code, notRegister.path]).toEqual(['INVALID_INPUT', '$.schema']);
    expect(notRegister.message).toMatch(/not an issuance register/);

    const missing = freshSchema('missing');
    const e = await rejection(openPostgresRegister(url, { schema: missing, create: false }));
    expect(e.message).toMatch(/no register in schema/);
    expect(await rawSql(url, 'public', 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [missing])).toEqual([]);
  });

  it("a reservation is taken over once its holder's database connection is gone, and not before", async () => {
    const schema = freshSchema('liveness');
    const a = await openPostgresRegister(url, { schema });
    const b = await openPostgresRegister(url, { schema });
    await a.ensureStatusList({ id: LIST, purpose: 'revocation', size: 131_072 });
    const input = { rosterKey: 'stu-1', learnerRef: 'stu-1', achievementId: ACHIEVEMENT, listId: LIST };
    const held = await a.reserveIssuance(input);
    expect((await rejection(b.reserveIssuance(input))).message).toMatch(/being issued right now/);
    // What a crash does: the server ends the holder's connection (close() is never called, closed_at stays empty).
    const ended = await rawSql(
      url,
      schema,
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN sessions s ON l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = s.lock_key::oid
       WHERE s.id = (SELECT claimed_by FROM issuances WHERE key = $1)`,
      [held.key],
    );
    expect(ended).toHaveLength(1);
    // pg_terminate_backend only signals; the lock goes when that backend has exited.
    const holdsLock = `SELECT 1 FROM pg_locks l JOIN sessions s ON l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = s.lock_key::oid WHERE s.id = (SELECT claimed_by FROM issuances WHERE key = $1)`;
    await waitUntilNoRows(url, schema, holdsLock, [held.key]);
    const [session] = await rawSql<{ closed_at: string | null }>(
      url,
      schema,
      'SELECT s.closed_at FROM issuances i JOIN sessions s ON s.id = i.claimed_by',
    );
    expect(session!.closed_at).toBeNull();
    const resumed = await b.reserveIssuance(input);
    expect([resumed.credentialId, resumed.statusIndex]).toEqual([held.credentialId, held.statusIndex]);
    await b.close();
    await a.close();
  });

  it('a register whose liveness connection is cut carries on as a new session, and takes back its own reservation', async () => {
    const schema = freshSchema('relive');
    const a = await openPostgresRegister(url, { schema });
    const b = await openPostgresRegister(url, { schema });
    await a.ensureStatusList({ id: LIST, purpose: 'revocation', size: 131_072 });
    const first = { rosterKey: 'stu-1', learnerRef: 'stu-1', achievementId: ACHIEVEMENT, listId: LIST };
    const held = await a.reserveIssuance(first);
    const lockOf = `FROM pg_locks l JOIN sessions s ON l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = s.lock_key::oid WHERE s.id = (SELECT claimed_by FROM issuances WHERE key = $1)`;
    expect(await rawSql(url, schema, `SELECT pg_terminate_backend(l.pid) ${lockOf}`, [held.key])).toHaveLength(1);
    await waitUntilNoRows(url, schema, `SELECT 1 ${lockOf}`, [held.key]);
    // a is alive again after its next write: what it reserves now is "in progress" for b.
    const second = { rosterKey: 'stu-2', learnerRef: 'stu-2', achievementId: ACHIEVEMENT, listId: LIST };
    await a.reserveIssuance(second);
    expect((await rejection(b.reserveIssuance(second))).message).toMatch(/being issued right now/);
    // Its reservation from before the cut is taken back with the same id and index, and completes.
    const again = await a.reserveIssuance(first);
    expect([again.credentialId, again.statusIndex]).toEqual([held.credentialId, held.statusIndex]);
    expect(
      (
        await a.completeIssuance({
          key: again.key,
          credentialId: again.credentialId,
          format: 'f',
          credentialHash: '0'.repeat(64),
        })
      ).state,
    ).toBe('issued');
    await a.close();
    await b.close();
  });
});
