// The CLI's service commands: token create/list/revoke, offer (a roster to OpenID4VCI offers), serve (a real
// process on 127.0.0.1, stopped by SIGTERM).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { initWorkspace, openWorkspace } from '../src/node/index';
import { tokenChecker } from '../src/server/index';
import { cliAsync, waitExit } from './helpers/cli';
import { describePostgres, freshSchema } from './helpers/postgres';

let dir: string;
let ws: string;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-serve-'));
  ws = path.join(dir, 'ws');
  const { workspace } = await initWorkspace(ws, {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://uni.example.edu/status/',
  });
  await workspace.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('microcred token', () => {
  it('creates a token (printed once, stored hashed), lists it without the secret, revokes it', async () => {
    const created = await run(['token', 'create', '-w', ws, '--label', 'SIS']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^mcs_[A-Za-z0-9_-]{43}$/);
    const workspace = await openWorkspace(ws);
    const checker = tokenChecker(workspace);
    expect(await checker(token)).toBe(true);
    const listed = await run(['token', 'list', '-w', ws, '--json']);
    const [info] = JSON.parse(listed.stdout) as { id: string; label: string }[];
    expect(info).toMatchObject({ label: 'SIS' });
    expect(listed.stdout).not.toContain(token.slice(4));
    expect((await run(['token', 'revoke', info!.id, '-w', ws])).code).toBe(0);
    expect(await checker(token)).toBe(false);
    await workspace.close();
    expect((await run(['token', 'revoke', 'nope', '-w', ws])).code).toBe(2);
    expect((await run(['token', 'rotate', '-w', ws])).code).toBe(2);
  });
});

describe('microcred offer', () => {
  it('makes one offer per roster learner: a CSV (mode 0600) with transaction codes and QR files, no learner identifier', async () => {
    const roster = path.join(dir, 'roster.csv');
    fs.writeFileSync(
      roster,
      'email,name,part,grade\nmari@example.ee,Mari Maasikas,Critical thinking and argumentation,A\njaan@example.ee,Jaan Tamm,Critical thinking and argumentation,B\n,Only A Name,,\n',
    );
    const outDir = path.join(dir, 'offers');
    const r = await run([
      'offer',
      '-w',
      ws,
      '-d',
      path.join(__dirname, '../examples/rei-programme.yaml'),
      '--roster',
      roster,
      '--public-url',
      'https://uni.example.edu',
      '--out',
      outDir,
      '--expires-days',
      '7',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 4/);
    const csv = fs.readFileSync(path.join(outDir, 'offers.csv'), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(3);
    expect(csv).toMatch(/"\d{6}"/);
    expect(csv).not.toContain('mari@example.ee');
    expect(fs.statSync(path.join(outDir, 'offers.csv')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(outDir, 'offer-line-2.svg'), 'utf8')).toMatch(/^<svg/);
    expect(
      (await run(['offer', '-w', ws, '-d', 'x.yaml', '--roster', roster, '--public-url', 'http://insecure.example']))
        .code,
    ).toBe(2);
  });

  it('offers only the formats --formats names (an SD-JWT VC for EU wallets), and refuses an unknown one', async () => {
    const roster = path.join(dir, 'roster-eudi.csv');
    fs.writeFileSync(roster, 'email,part,grade\nkati@example.ee,Critical thinking and argumentation,A\n');
    const outDir = path.join(dir, 'offers-eudi');
    const args = [
      'offer',
      '-w',
      ws,
      '-d',
      path.join(__dirname, '../examples/rei-programme.yaml'),
      '--roster',
      roster,
      '--public-url',
      'https://uni.example.edu',
      '--out',
      outDir,
    ];
    const r = await run([...args, '--formats', 'EuMicroCredential_dc_sd_jwt', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [offer] = (JSON.parse(r.stdout) as { offers: { offerUri: string }[] }).offers;
    expect(
      JSON.parse(decodeURIComponent(offer!.offerUri.split('credential_offer=')[1]!)).credential_configuration_ids,
    ).toEqual(['EuMicroCredential_dc_sd_jwt']);
    const all = await run([...args, '--json']);
    expect(
      JSON.parse(
        decodeURIComponent(
          (JSON.parse(all.stdout) as { offers: { offerUri: string }[] }).offers[0]!.offerUri.split(
            'credential_offer=',
          )[1]!,
        ),
      ).credential_configuration_ids,
    ).toContain('EuMicroCredential_dc_sd_jwt');
    const bad = await run([...args, '--formats', 'sd-jwt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('EuMicroCredential_dc_sd_jwt');
  });
});

describe('microcred serve', () => {
  it('refuses a bad port or an http public URL', async () => {
    expect((await run(['serve', '-w', ws, '--port', 'eighty'])).code).toBe(2);
    expect((await run(['serve', '-w', ws, '--public-url', 'http://uni.example.edu'])).code).toBe(2);
  });

  it('refuses a database password on the command line, and database options without --database', async () => {
    const withPassword = await run(['serve', '-w', ws, '--database', 'postgres://issuer:s3cret@127.0.0.1/credentials']);
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toMatch(/--database-password-env/);
    expect(withPassword.stderr).not.toContain('s3cret');
    expect((await run(['serve', '-w', ws, '--database', 'mysql://127.0.0.1/credentials'])).code).toBe(2);
    expect((await run(['serve', '-w', ws, '--database-schema', 'microcred'])).code).toBe(2);
    const badEnv = ['--database', 'postgres://issuer@127.0.0.1/c', '--database-password-env', 'NOT A NAME'];
    expect((await run(['serve', '-w', ws, ...badEnv])).code).toBe(2);
  });

  it('serves on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const { code, err } = await serveWhile(['-w', ws, '--public-url', 'https://uni.example.edu'], {}, async (port) => {
      const r = await fetch(`http://127.0.0.1:${port}/.well-known/openid-credential-issuer`);
      expect(((await r.json()) as { credential_issuer: string }).credential_issuer).toBe('https://uni.example.edu');
    });
    expect(code).toBe(0);
    expect(err).toMatch(/GET \/.well-known\/openid-credential-issuer 200/);
    expect(err).toMatch(/Stopped; the register is closed/);
  }, 90_000);
});

/**
 * Runs `microcred serve` on a free port of 127.0.0.1, calls `use` with the port once it listens, then stops it with
 * SIGTERM: how it exited and what it printed.
 */
async function serveWhile(
  args: string[],
  env: NodeJS.ProcessEnv,
  use: (port: number) => Promise<void>,
): Promise<{ code: number | null; err: string }> {
  const child = cliAsync(['serve', ...args, '--port', '0'], { env });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    let err = '';
    child.stderr!.setEncoding('utf8');
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', (d: string) => {
        err += d;
        const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${err}`)));
    });
    await use(port);
    const exited = waitExit(child);
    child.kill('SIGTERM');
    return { code: await exited, err };
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
}

describePostgres('microcred serve --database', (url) => {
  /** Serves until /health answers, then stops it: the health status and the exit code. */
  async function serveOnce(args: string[], env: NodeJS.ProcessEnv): Promise<{ health: number; code: number | null }> {
    let health = 0;
    const { code } = await serveWhile(args, env, async (port) => {
      health = (await fetch(`http://127.0.0.1:${port}/health`)).status;
    });
    return { health, code };
  }

  it('serves a workspace folder that names no database on the register its deployment gives, password from a variable', async () => {
    const schema = freshSchema('serve_db');
    const folder = path.join(dir, 'ws-deployed');
    const { workspace } = await initWorkspace(folder, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://uni.example.edu/status/',
      database: url,
      databaseSchema: schema,
    });
    await workspace.close();
    // The folder as an image ships it: key and configuration, but no database setting and no password file.
    const file = path.join(folder, 'microcred.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete config.registerDatabase;
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    fs.rmSync(path.join(folder, 'keys', 'database-password'), { force: true });
    expect((await run(['serve', '-w', folder])).code).not.toBe(0);

    const given = new URL(url);
    const password = decodeURIComponent(given.password);
    given.password = '';
    const database = ['--database', given.toString(), '--database-schema', schema];
    const env = { TEST_REGISTER_PASSWORD: password };
    expect(
      await serveOnce(['-w', folder, ...database, '--database-password-env', 'TEST_REGISTER_PASSWORD'], env),
    ).toEqual({
      health: 200,
      code: 0,
    });
    // Another schema of the same database holds no register of this workspace: refused, never initialised.
    process.env.TEST_REGISTER_PASSWORD = password;
    try {
      const wrong = await run([
        'serve',
        '-w',
        folder,
        '--database',
        given.toString(),
        '--database-schema',
        freshSchema('serve_empty'),
        '--database-password-env',
        'TEST_REGISTER_PASSWORD',
      ]);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/schema|register/i);
    } finally {
      delete process.env.TEST_REGISTER_PASSWORD;
    }
  }, 120_000);
});
