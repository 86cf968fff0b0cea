import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The CLI in-process (src/node does not re-export it: the library layer does not reach up into the CLI).
import { main as runCli } from '../src/cli/main';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-cli-office-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI in this process (no child process per call: the suite stays fast). */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe('terminal output', () => {
  it('a credential whose names carry escape sequences cannot draw a fake VERIFIED', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a fixture edited freely by the test
    type Loose = Record<string, any>;
    const credential = JSON.parse(fs.readFileSync('test/fixtures-own/eu-microcredential.json', 'utf8')) as Loose;
    const fake = '\u001b[2K\u001b[1A\u001b[2K\r\u001b[32mVERIFIED\u001b[0m\u009b2K\u202e';
    credential.name = `Evil${fake}`;
    credential.credentialSubject.achievement.name = `Evil${fake}`;
    credential.issuer.name = `Evil${fake}`;
    const file = path.join(tmp, 'evil.json');
    fs.writeFileSync(file, JSON.stringify(credential));
    for (const args of [[file], [file, '--details'], [file, '--json'], [file, file]]) {
      const r = await run('verify', '--offline', ...args);
      const all = r.stdout + r.stderr;
      expect(r.code).toBe(1);
      expect(all).not.toMatch(/[\u001b\u009b\u202e\r]/);
      if (args.length === 1) {
        // Its proof does not hold (offline, the key cannot even be looked up): its content is not shown as fact at all.
        expect(r.stdout.split('\n')[0]).toMatch(/^✗ .*: do not trust its content/);
        expect(r.stdout).not.toContain('Evil');
      }
      if (args[0] === '--json' || args[1] === '--json') expect(r.stdout).toContain('Evil\\u001b[2K\\u001b[1A');
    }
  });
});

describe('the CLI explains itself', () => {
  it('--version, and --help with examples for every command', async () => {
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const top = await run('--help');
    // Every exit code docs/cli.md lists, 4 included: a script reading "4" must find it in --help too.
    expect(top.stdout).toMatch(
      /Exit codes: 0 .*, 1 .*, 2 .*, 3 .*, 4 \(verify\) whether it was revoked could not be checked/,
    );
    for (const name of [
      'init',
      'issue',
      'verify',
      'validate',
      'list',
      'find',
      'revoke',
      'suspend',
      'reinstate',
      'status',
      'bake',
      'unbake',
      'keys',
    ]) {
      expect(top.stdout).toContain(`  ${name} `);
      const h = await run(name, '--help');
      expect(h.code, name).toBe(0);
      expect(h.stdout).toMatch(/usage: microcred/);
      expect(h.stdout, name).toMatch(/examples:\n {2}microcred /);
    }
  });

  it('exit codes as documented: random bytes are unusable input (2), a wrong credential is not verified (1); no stack traces', async () => {
    const random = path.join(tmp, 'random.bin');
    fs.writeFileSync(random, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256)));
    expect((await run('verify', random)).code).toBe(2);
    // JSON that is not a credential at all (no @context) is unusable input too; one that is written as a credential
    // but does not verify (here: unsigned) is a verdict.
    const junk = path.join(tmp, 'junk.json');
    fs.writeFileSync(junk, '{"not": "a credential"}');
    expect((await run('verify', junk)).code).toBe(2);
    const unsigned = path.join(tmp, 'unsigned.json');
    fs.writeFileSync(
      unsigned,
      '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:u", "credentialSubject": {"id": "did:example:l"}}',
    );
    expect((await run('verify', unsigned)).code).toBe(1);
    const badJwks = path.join(tmp, 'bad-jwks.json');
    fs.writeFileSync(badJwks, '{ nope');
    const r = await run('verify', junk, '--jwks', badJwks);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // A roster that cannot be read at all (not UTF-8) is unusable input too; one bad row is a verdict (1).
    const ws = path.join(tmp, 'exit-office');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const latin = path.join(tmp, 'latin.csv');
    fs.writeFileSync(
      latin,
      Buffer.concat([
        Buffer.from('email,grade,part\nj'),
        Buffer.from([0xfc]),
        Buffer.from('ri@example.ee,A,Critical thinking and argumentation\n'),
      ]),
    );
    const refused = await run('issue', '-w', ws, '--definition', 'examples/rei-programme.yaml', '--roster', latin);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: not valid utf-8 text .*--encoding cp1252/);
    const dir = await run('verify', tmp);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/Expected a file but found a folder/);
    expect(dir.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate reads every input the verifier reads and lists every problem of a definition, in --json as a list', async () => {
    const { parse, stringify } = await import('yaml');
    const y = parse(fs.readFileSync('examples/rei-programme.yaml', 'utf8')) as {
      issuer?: unknown;
      programme: { parts: Record<string, unknown>[] };
    };
    delete y.issuer;
    y.programme.parts[2]!.participation = { mode: 'by carrier pigeon' };
    delete y.programme.parts[1]!.learningOutcomes;
    const def = path.join(tmp, 'bad-definition.yaml');
    fs.writeFileSync(def, stringify(y));
    const r = await run('validate', def, '--json');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as { valid: boolean; problems: { path: string; message: string }[] };
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.path)).toEqual([
      '$.programme.parts[1].learningOutcomes',
      '$.programme.parts[2].participation.mode',
    ]);
    // The hint names the keys a YAML author writes, not IRIs.
    expect(result.problems[1]!.message).toMatch(/write one of: .*online.*blended/);
    expect(result.problems[1]!.message).not.toMatch(/http:\/\/data\.europa\.eu/);

    const ws = path.join(tmp, 'validate-office');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const out = path.join(tmp, 'validate-out');
    for (const format of ['vc-jwt', 'eddsa-jcs-2022']) {
      const issued = await run(
        'issue',
        '-w',
        ws,
        '--definition',
        'examples/rei-programme.yaml',
        '--learner',
        `v-${format}@example.ee`,
        '--grade',
        'A',
        '--part',
        'Critical thinking and argumentation',
        '--format',
        format,
        '--out',
        out,
        '--json',
      );
      expect(issued.code, issued.stderr).toBe(0);
    }
    const jwt = fs.readdirSync(out).find((f) => f.endsWith('.jwt'))!;
    const json = fs.readdirSync(out).find((f) => f.endsWith('.json'))!;
    const png = path.join(tmp, 'badge.png');
    // A 1x1 PNG.
    fs.writeFileSync(
      png,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const baked = path.join(tmp, 'baked.png');
    expect((await run('bake', png, path.join(out, json), '--out', baked)).code).toBe(0);
    const all = await run('validate', path.join(out, jwt), path.join(out, json), baked, '--json');
    expect(all.code, all.stdout).toBe(0);
    expect(
      (JSON.parse(all.stdout) as { results: { kind: string; valid: boolean }[] }).results.map((x) => [x.kind, x.valid]),
    ).toEqual([
      ['credential', true],
      ['credential', true],
      ['credential', true],
    ]);
    // bake over a baked image speaks CLI: --replace, not { replace: true }.
    const again = await run('bake', baked, path.join(out, json), '--out', path.join(tmp, 'again.png'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--replace/);
    expect(again.stderr).not.toMatch(/replace: true/);
    expect(
      (await run('bake', baked, path.join(out, json), '--out', path.join(tmp, 'again.png'), '--replace')).code,
    ).toBe(0);
    // Issue 19: --out never overwrites without --force (the input credential least of all), and writes atomically.
    const credentialBytes = fs.readFileSync(path.join(out, json));
    const overInput = await run('bake', png, path.join(out, json), '--out', path.join(out, json));
    expect(overInput.code).toBe(2);
    expect(overInput.stderr).toMatch(/already exists; add --force/);
    expect(fs.readFileSync(path.join(out, json)).equals(credentialBytes)).toBe(true);
    const bakedBytes = fs.readFileSync(baked);
    expect((await run('bake', png, path.join(out, json), '--out', baked)).code).toBe(2);
    expect(fs.readFileSync(baked).equals(bakedBytes)).toBe(true);
    expect((await run('bake', png, path.join(out, json), '--out', baked, '--force')).code).toBe(0);
    const unbaked = path.join(tmp, 'unbaked.json');
    expect((await run('unbake', baked, '--out', unbaked)).code).toBe(0);
    const overUnbaked = await run('unbake', baked, '--out', path.join(out, json));
    expect(overUnbaked.code).toBe(2);
    expect(overUnbaked.stderr).toMatch(/already exists; add --force/);
    expect(fs.readFileSync(path.join(out, json)).equals(credentialBytes)).toBe(true);
    expect((await run('unbake', baked, '--out', unbaked, '--force')).code).toBe(0);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await run('validate', random())).code).toBe(2);
    function random(): string {
      const f = path.join(tmp, 'random2.bin');
      fs.writeFileSync(f, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80]));
      return f;
    }
  }, 60_000);
});

describe('finding and revoking by learner', () => {
  it('list / find by learner, achievement, date and status; revoke by learner + achievement; labels, never identifiers', async () => {
    const ws = path.join(tmp, 'find-office');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const roster = path.join(tmp, 'find.csv');
    fs.writeFileSync(
      roster,
      'Email;Student ID;Grade;Part\nmari@example.ee;;A;Critical thinking and argumentation\nmari@example.ee;;B;Basics of ethics\n;S-001;C;Critical thinking and argumentation\n',
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
    const listed = await run('list', '-w', ws);
    expect(listed.stdout).toMatch(/3 credentials/);
    expect(listed.stdout).not.toMatch(/mari@example\.ee|S-001/);
    expect(listed.stdout).toMatch(/m\*\*\*@example\.ee/);
    const mari = JSON.parse((await run('find', '-w', ws, '--learner', 'mari@example.ee', '--json')).stdout) as {
      credentialId: string;
      achievementId: string;
    }[];
    expect(mari).toHaveLength(2);
    expect(JSON.parse((await run('find', '-w', ws, '--learner', 'S-001', '--json')).stdout)).toHaveLength(1);
    expect(
      JSON.parse((await run('find', '-w', ws, '--achievement', 'critical-thinking', '--json')).stdout),
    ).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect(JSON.parse((await run('list', '-w', ws, '--from', today, '--until', today, '--json')).stdout)).toHaveLength(
      3,
    );
    expect(JSON.parse((await run('list', '-w', ws, '--until', '2000-01-01', '--json')).stdout)).toHaveLength(0);
    expect((await run('find', '-w', ws)).code).toBe(2);
    // Ambiguous without the achievement; exact with it.
    expect((await run('revoke', '--learner', 'mari@example.ee', '--reason', 'x', '-w', ws)).code).toBe(2);
    const revoked = await run(
      'revoke',
      '--learner',
      'mari@example.ee',
      '--achievement',
      'critical-thinking',
      '--reason',
      'Grade annulled',
      '-w',
      ws,
      '--json',
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    const gone = JSON.parse((await run('list', '-w', ws, '--status', 'revoked', '--json')).stdout) as {
      credentialId: string;
      achievementId: string;
    }[];
    expect(gone.map((r) => r.credentialId)).toEqual(
      mari.filter((r) => r.achievementId.endsWith('/critical-thinking')).map((r) => r.credentialId),
    );
    expect(JSON.parse((await run('list', '-w', ws, '--status', 'active', '--json')).stdout)).toHaveLength(2);
    // Issuing the revoked one again is not "Already issued …; nothing to do" (exit 0): the learner holds no valid
    // credential, and the registrar is told why nothing was issued.
    const again = await run(
      'issue',
      '-w',
      ws,
      '-d',
      'examples/rei-programme.yaml',
      '--learner',
      'mari@example.ee',
      '--grade',
      'B',
      '--part',
      'critical-thinking',
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^Not issued: .* was revoked, and a revocation is final/m);
    expect(again.stderr).toContain(gone[0]!.credentialId);
  }, 60_000);
});

describe('init and git', () => {
  it('refuses a workspace inside a git work tree that does not ignore it, or writes the ignore entry with --gitignore', async () => {
    const { spawnSync } = await import('node:child_process');
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    if (spawnSync('git', ['init', '-q', repo]).status !== 0) return; // no git here: nothing to guard
    const args = ['--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/'];
    const refused = await run('init', path.join(repo, 'office'), ...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/inside the git repository .* not ignored/);
    expect(fs.existsSync(path.join(repo, 'office'))).toBe(false);
    expect((await run('init', repo, ...args)).code).toBe(2);
    const ok = await run('init', path.join(repo, 'office'), ...args, '--gitignore');
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toContain('/office/');
    expect(spawnSync('git', ['check-ignore', '-q', 'office/keys/issuer-key.json'], { cwd: repo }).status).toBe(0);
    // Already ignored: no flag needed.
    expect((await run('init', path.join(repo, 'office', 'nested'), ...args)).code).toBe(0);
  });
});

describe('status publish killed for real', () => {
  it('SIGKILL at several moments never leaves a list that lets a revoked credential verify', async () => {
    const { cliAsync } = await import('./helpers/cli');
    // The child may have finished before the kill: then its 'exit' has already fired.
    const exited = (child: ReturnType<typeof cliAsync>) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
    const { verify } = await import('../src');
    const ws = path.join(tmp, 'kill-publish');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const out = path.join(tmp, 'kill-out');
    const issued = await run(
      'issue',
      '-w',
      ws,
      '--definition',
      'examples/rei-programme.yaml',
      '--learner',
      'k@example.ee',
      '--grade',
      'A',
      '--part',
      'Critical thinking and argumentation',
      '--format',
      'eddsa-jcs-2022',
      '--out',
      out,
      '--json',
    );
    const credential = JSON.parse(fs.readFileSync((JSON.parse(issued.stdout) as { file: string }).file, 'utf8')) as {
      id: string;
    };
    expect((await run('revoke', credential.id, '--reason', 'annulled', '-w', ws)).code).toBe(0);
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const list = path.join(ws, 'status', 'revocation.json');
    for (const delay of [50, 400, 900, 1500]) {
      const child = cliAsync(['status', 'publish', '-w', ws]);
      const done = exited(child);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await done;
      const report = await verify(credential as object, {
        fetchStatusList: async () => JSON.parse(fs.readFileSync(list, 'utf8')) as unknown,
      });
      expect(
        report.checks.some((c) => c.code === 'REVOKED'),
        `killed after ${delay} ms`,
      ).toBe(true);
    }
  }, 120_000);
});

describe('issuing for an EU Digital Identity Wallet', () => {
  it('--format dc+sd-jwt writes an SD-JWT VC bound to the wallet key given with --holder-key, and verify reads it', async () => {
    const { exportJWK, generateKeyPair } = await import('jose');
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const wallet = path.join(tmp, 'mari-wallet.jwk');
    fs.writeFileSync(wallet, JSON.stringify(await exportJWK(publicKey)));
    const ws = path.join(tmp, 'sd-jwt-office');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const out = path.join(tmp, 'sd-jwt-out');
    const common = ['issue', '-w', ws, '--definition', 'examples/rei-programme.yaml', '--out', out];
    const part = ['--grade', 'A', '--part', 'Critical thinking and argumentation'];
    const issued = await run(
      ...common,
      '--learner',
      'mari@example.ee',
      ...part,
      '--format',
      'dc+sd-jwt',
      '--holder-key',
      wallet,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const file = fs.readdirSync(out).find((f) => f.endsWith('.sd-jwt'))!;
    const sdJwt = fs.readFileSync(path.join(out, file), 'utf8').trim();
    const payload = JSON.parse(Buffer.from(sdJwt.split('.')[1]!, 'base64url').toString()) as {
      cnf: { jwk: Record<string, unknown> };
    };
    expect(payload.cnf.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', x: (await exportJWK(publicKey)).x });
    // Verified as what it is, against the Token Status List published beside the bitstring list.
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const verified = await run('verify', path.join(out, file), '--status-dir', path.join(ws, 'status'), '--json');
    const report = JSON.parse(verified.stdout) as { verified: boolean; format: string; checks: { check: string }[] };
    expect(verified.code, verified.stdout).toBe(0);
    expect(report).toMatchObject({ verified: true, format: 'dc+sd-jwt' });
    expect(report.checks.map((c) => c.check)).toContain('status');

    // A private key, a roster, or another format with --holder-key: refused before anything is issued.
    const secret = path.join(tmp, 'mari-wallet-secret.jwk');
    fs.writeFileSync(secret, JSON.stringify(await exportJWK(privateKey)));
    const leaked = await run(
      ...common,
      '--learner',
      'jaan@example.ee',
      ...part,
      '--format',
      'dc+sd-jwt',
      '--holder-key',
      secret,
    );
    expect(leaked.code).toBe(2);
    expect(leaked.stderr).toMatch(/mari-wallet-secret.jwk holds a private key/);
    const roster = path.join(tmp, 'sd-jwt-roster.csv');
    fs.writeFileSync(roster, 'email,grade,part\njaan@example.ee,A,critical-thinking\n');
    const many = await run(...common, '--roster', roster, '--format', 'dc+sd-jwt', '--holder-key', wallet);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/--learner/);
    const other = await run(...common, '--learner', 'jaan@example.ee', ...part, '--holder-key', wallet);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/dc\+sd-jwt/);
    expect(fs.readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([file]);
    // Nothing reserved for them either: the register holds Mari's credential only.
    const listed = JSON.parse((await run('list', '-w', ws, '--json')).stdout) as { learnerLabel: string }[];
    expect(listed.map((r) => r.learnerLabel)).toEqual(['m***@example.ee']);
  });

  it('in a workspace that suspends, the SD-JWT VC points to a 2-bit token list: suspended, then valid again', async () => {
    const ws = path.join(tmp, 'sd-jwt-suspending-office');
    const init = ['init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/'];
    expect((await run(...init, '--status-purpose', 'suspension')).code).toBe(0);
    const out = path.join(tmp, 'sd-jwt-suspending-out');
    const issued = await run(
      ...['issue', '-w', ws, '--definition', 'examples/rei-programme.yaml', '--out', out, '--format', 'dc+sd-jwt'],
      ...['--learner', 'mari@example.ee', '--grade', 'A', '--part', 'Critical thinking and argumentation', '--json'],
    );
    expect(issued.code, issued.stderr).toBe(0);
    const { file, credentialId } = JSON.parse(issued.stdout) as { file: string; credentialId: string };
    const verifyNow = async () => {
      expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
      const r = await run('verify', file, '--status-dir', path.join(ws, 'status'), '--json');
      const report = JSON.parse(r.stdout) as { checks: { check: string; status: string; code?: string }[] };
      return { code: r.code, status: report.checks.find((c) => c.check === 'status') };
    };
    expect(await verifyNow()).toMatchObject({ code: 0, status: { status: 'pass' } });
    const reason = ['--reason', 'Under review by the examination board', '-w', ws];
    expect((await run('suspend', credentialId, ...reason)).code).toBe(0);
    expect(await verifyNow()).toMatchObject({ code: 1, status: { status: 'fail', code: 'SUSPENDED' } });
    expect((await run('reinstate', credentialId, ...reason)).code).toBe(0);
    expect(await verifyNow()).toMatchObject({ code: 0, status: { status: 'pass' } });
  });
});
