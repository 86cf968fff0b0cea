/**
 * A workspace whose register is on PostgreSQL: `microcred init --database`, where the password goes (never into
 * microcred.json), issuing, listing and revoking through it, and the refusals that keep two issuers (or an empty
 * database) from sharing or replacing a register.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main as runCli } from '../src/cli/main';
import { MicrocredError } from '../src/errors';
import { openWorkspace } from '../src/node';
import { cli } from './helpers/cli';
import { describePostgres, freshSchema } from './helpers/postgres';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-cli-pg-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const INIT = ['--name', 'University of Tartu', '--country', 'EE', '--status-url', 'https://u.example/status/'];

describePostgres('a workspace with its register on PostgreSQL', (url) => {
  const withPassword = new URL(url);
  const password = decodeURIComponent(withPassword.password);
  const withoutPassword = new URL(url);
  withoutPassword.password = '';

  it('init --database keeps the password out of microcred.json (in keys/database-password, 0600); issue, list and revoke use the database', async () => {
    expect(password.length).toBeGreaterThan(0); // the CI URL carries one, so this test sees where it goes
    const schema = freshSchema('cli');
    const ws = path.join(tmp, 'office');
    const init = await run('init', ws, ...INIT, '--database', url, '--database-schema', schema, '--json');
    expect(init.code, init.stderr).toBe(0);
    // Where the password is also the user or database name, the user:password@ form is what must not appear.
    const secret = withoutPassword.toString().includes(password) ? `:${password}@` : password;
    expect(init.stdout + init.stderr).not.toContain(secret);
    const config = fs.readFileSync(path.join(ws, 'microcred.json'), 'utf8');
    expect(config).not.toContain(secret);
    expect(mode(path.join(ws, 'microcred.json'))).toBe(0o600);
    expect(JSON.parse(config).registerDatabase).toEqual({
      url: withoutPassword.toString(),
      schema,
      passwordFile: path.join('keys', 'database-password'),
    });
    expect(JSON.parse(config).registerFile).toBeUndefined();
    expect(fs.existsSync(path.join(ws, 'register.sqlite'))).toBe(false);
    expect(mode(path.join(ws, 'keys', 'database-password'))).toBe(0o600);
    expect(fs.readFileSync(path.join(ws, 'keys', 'database-password'), 'utf8').trim()).toBe(password);

    const roster = path.join(tmp, 'roster.csv');
    fs.writeFileSync(
      roster,
      'Email;Student ID;Grade;Part\nmari@example.ee;;A;Critical thinking and argumentation\njaan@example.ee;;B;Basics of ethics\n;S-001;C;Critical thinking and argumentation\n',
    );
    const issued = await run(
      'issue',
      '-w',
      ws,
      '--definition',
      'examples/rei-programme.yaml',
      '--roster',
      roster,
      '--format',
      'eddsa-jcs-2022',
      '--json',
    );
    expect(issued.code, issued.stdout + issued.stderr).toBe(0);
    expect((await run('list', '-w', ws)).stdout).toMatch(/3 credentials/);
    const again = await run(
      'issue',
      '-w',
      ws,
      '--definition',
      'examples/rei-programme.yaml',
      '--roster',
      roster,
      '--format',
      'eddsa-jcs-2022',
      '--json',
    );
    expect(again.code, again.stderr).toBe(0);
    expect((await run('list', '-w', ws)).stdout).toMatch(/3 credentials/);
    const revoked = await run(
      'revoke',
      '--learner',
      'jaan@example.ee',
      '--achievement',
      'basics-of-ethics',
      '--reason',
      'Grade annulled',
      '-w',
      ws,
      '--json',
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse((await run('list', '-w', ws, '--status', 'revoked', '--json')).stdout)).toHaveLength(1);

    // A second issuer pointed at the same schema is refused before it writes anything.
    const second = path.join(tmp, 'second');
    const refused = await run('init', second, ...INIT, '--database', url, '--database-schema', schema);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds a register/);
    expect(fs.existsSync(path.join(second, 'microcred.json'))).toBe(false);
    expect(fs.existsSync(path.join(second, 'keys'))).toBe(false);
  }, 120_000);

  it('--database-password-env stores only the variable name; opening without the variable says which one to set', async () => {
    const schema = freshSchema('env');
    const ws = path.join(tmp, 'env-office');
    process.env.MICROCRED_TEST_DB_PASSWORD = password;
    try {
      const init = await run(
        'init',
        ws,
        ...INIT,
        '--database',
        withoutPassword.toString(),
        '--database-schema',
        schema,
        '--database-password-env',
        'MICROCRED_TEST_DB_PASSWORD',
      );
      expect(init.code, init.stderr).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(ws, 'microcred.json'), 'utf8')).registerDatabase).toEqual({
        url: withoutPassword.toString(),
        schema,
        passwordEnv: 'MICROCRED_TEST_DB_PASSWORD',
      });
      expect(fs.existsSync(path.join(ws, 'keys', 'database-password'))).toBe(false);
      await (await openWorkspace(ws)).close();
    } finally {
      delete process.env.MICROCRED_TEST_DB_PASSWORD;
    }
    const unset = await openWorkspace(ws).catch((e: unknown) => e);
    expect(unset).toBeInstanceOf(MicrocredError);
    expect((unset as MicrocredError).message).toMatch(/MICROCRED_TEST_DB_PASSWORD, which is not set/);
    // A password in the URL and a variable at once is ambiguous.
    expect(
      (await run('init', path.join(tmp, 'both'), ...INIT, '--database', url, '--database-password-env', 'X')).code,
    ).toBe(2);
  }, 60_000);

  it('a workspace never opens an empty or foreign database as its register', async () => {
    const ws = path.join(tmp, 'office');
    const empty = await openWorkspace(ws, { database: { url, schema: freshSchema('empty') } }).catch((e: unknown) => e);
    expect((empty as MicrocredError).message).toMatch(/no register in schema/);
    const foreignSchema = freshSchema('foreign');
    const foreign = path.join(tmp, 'foreign');
    expect(
      (
        await run(
          'init',
          foreign,
          '--name',
          'Other',
          '--country',
          'LV',
          '--status-url',
          'https://other.example/status/',
          '--database',
          url,
          '--database-schema',
          foreignSchema,
        )
      ).code,
    ).toBe(0);
    const wrong = await openWorkspace(ws, { database: { url, schema: foreignSchema } }).catch((e: unknown) => e);
    expect((wrong as MicrocredError).message).toMatch(/not this workspace's/);
  }, 60_000);

  it('an init that fails after connecting ends (its database connections closed) and leaves no workspace', () => {
    const ws = path.join(tmp, 'bad-country');
    const started = Date.now();
    const r = cli([
      'init',
      ws,
      '--name',
      'U',
      '--country',
      'XX',
      '--status-url',
      'https://u.example/status/',
      '--database',
      url,
      '--database-schema',
      freshSchema('badinit'),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(fs.existsSync(path.join(ws, 'microcred.json'))).toBe(false);
  }, 150_000);
});
