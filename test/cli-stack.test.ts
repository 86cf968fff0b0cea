import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main as runCli } from '../src/cli/main';
import { createPresentation, generateKey, signPresentation, verifyClr } from '../src';
import { openWorkspace } from '../src/node/index';
import { createServiceApp, createServiceToken } from '../src/server/index';

/**
 * Stacks and transcripts through the CLI, with the seed programme (examples/rei-programme.yaml): the register's per-learner salt,
 * the awarding rule for programme rows, `verify --stack`, the CLR-aware `verify`, and `transcript`.
 */

const DEFINITION = 'examples/rei-programme.yaml';
const PARTS = [
  'Critical thinking and argumentation',
  'Basics of ethics',
  'Research integrity: framework, requirements, values and principles of action',
  'Ethics in an organization',
  'Workplace applications of practical ethics',
];
const DATES = ['2024-01-26', '2024-01-26', '2024-01-26', '2024-06-14', '2024-06-14'];

let tmp: string;
let ws: string;
let firstRun: { code: number; stdout: string; stderr: string };

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

/** A roster row; the programme row leaves `part` empty (the programme itself). */
const row = (email: string, grade: string, part: number | undefined): string =>
  `${email},${grade},"${part === undefined ? '' : PARTS[part]}",${part === undefined ? '' : DATES[part]}`;

interface Found {
  credentialId: string;
  achievementId: string;
  file: string;
}
async function find(learner: string): Promise<Found[]> {
  const r = await run('find', '-w', ws, '--learner', learner, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Found[];
}
const isProgramme = (f: Found) => f.achievementId.endsWith('/programme');
const salts = (file: string): string[] => {
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as { credentialSubject: { identifier?: { salt?: string }[] } };
  return (c.credentialSubject.identifier ?? []).map((i) => i.salt!);
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-cli-stack-'));
  ws = path.join(tmp, 'office');
  expect(
    (
      await run(
        'init',
        ws,
        '--name',
        'University of Tartu',
        '--country',
        'EE',
        '--status-url',
        'https://www.ut.ee/status/',
      )
    ).code,
  ).toBe(0);
  // mari: all five parts passed; jaan: all five, "Basics of ethics" failed; kai: two of five. Each asks for the programme.
  const lines = ['email,grade,part,awarded on'];
  const grades = ['A', 'B', 'A', 'pass', 'pass'];
  for (let i = 0; i < 5; i++) lines.push(row('mari@example.ee', grades[i]!, i));
  for (let i = 0; i < 5; i++) lines.push(row('jaan@example.ee', i === 1 ? 'F' : grades[i]!, i));
  for (let i = 0; i < 2; i++) lines.push(row('kai@example.ee', grades[i]!, i));
  lines.push(
    row('mari@example.ee', '', undefined),
    row('jaan@example.ee', '', undefined),
    row('kai@example.ee', '', undefined),
  );
  fs.writeFileSync(path.join(tmp, 'roster.csv'), lines.join('\n') + '\n');
  firstRun = await run(
    'issue',
    '-w',
    ws,
    '--definition',
    DEFINITION,
    '--roster',
    path.join(tmp, 'roster.csv'),
    '--json',
  );
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('microcred issue: programme rows follow the awarding rule', () => {
  it('a learner with all five parts passed gets the programme; failed or missing parts refuse the row with the reason; other rows still issue', async () => {
    expect(firstRun.code, firstRun.stderr).toBe(1);
    const summary = JSON.parse(firstRun.stdout) as {
      issued: number;
      skipped: number;
      problems: { line: number; message: string }[];
      notAwarded: { line: number; message: string }[];
    };
    // jaan's F is not awarded (a micro-credential certifies outcomes achieved), so his programme lacks that part.
    expect(summary.issued).toBe(5 + 4 + 2 + 1);
    expect(summary.notAwarded).toEqual([
      { line: 8, message: expect.stringMatching(/^not awarded: F is below the lowest passing grade E/) },
    ]);
    expect(summary.problems.map((p) => p.line)).toEqual([15, 16]);
    const [jaan, kai] = summary.problems.map((p) => p.message);
    expect(jaan).toMatch(/programme .* is not earned/);
    expect(jaan).toMatch(/No credential for the part "Basics of ethics"/);
    expect(jaan).not.toMatch(/\$\.parts/);
    expect(kai).toMatch(/No credential for the part "Research integrity/);
    expect(kai).toMatch(/No credential for the part "Ethics in an organization"/);
    expect(kai).toMatch(/No credential for the part "Workplace applications/);
    expect((await find('mari@example.ee')).filter(isProgramme)).toHaveLength(1);
    expect((await find('jaan@example.ee')).filter(isProgramme)).toHaveLength(0);
    // A refused row leaves nothing in the register: no reservation, no status index.
    expect(JSON.parse((await run('list', '-w', ws, '--achievement', 'programme', '--json')).stdout)).toHaveLength(1);
  });

  it("the programme credential names each of the learner's part credentials (relatedResource with digestMultibase)", async () => {
    const mari = await find('mari@example.ee');
    const programme = JSON.parse(fs.readFileSync(mari.find(isProgramme)!.file, 'utf8')) as {
      relatedResource: { id: string; digestMultibase: string }[];
    };
    expect(programme.relatedResource.map((r) => r.id).sort()).toEqual(
      mari
        .filter((f) => !isProgramme(f))
        .map((f) => f.credentialId)
        .sort(),
    );
    for (const r of programme.relatedResource) expect(r.digestMultibase).toMatch(/^u[\w-]{40,}$/);
  });

  it('re-running the roster issues nothing twice and refuses the same rows again', async () => {
    const again = await run(
      'issue',
      '-w',
      ws,
      '--definition',
      DEFINITION,
      '--roster',
      path.join(tmp, 'roster.csv'),
      '--json',
    );
    expect(again.code).toBe(1);
    const summary = JSON.parse(again.stdout) as { issued: number; skipped: number; problems: unknown[] };
    expect(summary).toMatchObject({ issued: 0, skipped: 12 });
    expect(summary.problems).toHaveLength(2);
    expect(JSON.parse((await run('list', '-w', ws, '--json')).stdout)).toHaveLength(12);
  });

  it('one learner on the command line: refused with every reason and exit 1', async () => {
    const r = await run('issue', '-w', ws, '--definition', DEFINITION, '--learner', 'kai@example.ee');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Not issued: the programme .* is not earned: No credential for the part/);
  });

  it('a part revoked in the register, or whose file changed since it was issued, is a reason too', async () => {
    const lines = ['email,grade,part,awarded on'];
    for (const who of ['rein@example.ee', 'tiit@example.ee'])
      for (let i = 0; i < 5; i++) lines.push(row(who, i < 3 ? 'A' : 'pass', i));
    fs.writeFileSync(path.join(tmp, 'parts.csv'), lines.join('\n') + '\n');
    expect(
      (await run('issue', '-w', ws, '--definition', DEFINITION, '--roster', path.join(tmp, 'parts.csv'))).code,
    ).toBe(0);
    const revoked = await run(
      'revoke',
      '-w',
      ws,
      '--learner',
      'rein@example.ee',
      '--achievement',
      'basics-of-ethics',
      '--reason',
      'Grade annulled',
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    const tiitFile = (await find('tiit@example.ee')).find((f) => f.achievementId.endsWith('/research-integrity'))!.file;
    fs.writeFileSync(tiitFile, fs.readFileSync(tiitFile, 'utf8').replace('"A"', '"B"'));
    const rein = await run('issue', '-w', ws, '--definition', DEFINITION, '--learner', 'rein@example.ee');
    expect(rein.code).toBe(1);
    expect(rein.stderr).toMatch(/"Basics of ethics" \(urn:uuid:[^)]+\) is revoked in the register/);
    expect(rein.stderr).not.toMatch(/No credential for the part "Basics of ethics"/);
    const tiit = await run('issue', '-w', ws, '--definition', DEFINITION, '--learner', 'tiit@example.ee');
    expect(tiit.code).toBe(1);
    expect(tiit.stderr).toMatch(/"Research integrity: .*" \(urn:uuid:[^)]+\) has changed in .* since it was issued/);
  });
});

describe('one salt per learner', () => {
  it("a learner's credentials carry one salt (equal identity hashes), and no other learner's do", async () => {
    const mari = (await find('mari@example.ee')).flatMap((f) => salts(f.file));
    const jaan = (await find('jaan@example.ee')).flatMap((f) => salts(f.file));
    expect(mari).toHaveLength(6);
    expect(new Set(mari).size).toBe(1);
    expect(new Set(jaan).size).toBe(1);
    expect(jaan[0]).not.toBe(mari[0]);
  });

  it('init --salt-per-credential keeps a fresh salt per credential', async () => {
    const other = path.join(tmp, 'per-credential');
    expect(
      (
        await run(
          'init',
          other,
          '--name',
          'U',
          '--country',
          'EE',
          '--status-url',
          'https://u.example/status/',
          '--salt-per-credential',
        )
      ).code,
    ).toBe(0);
    for (let i = 0; i < 2; i++)
      expect(
        (
          await run(
            'issue',
            '-w',
            other,
            '--definition',
            DEFINITION,
            '--learner',
            'mari@example.ee',
            '--grade',
            'A',
            '--part',
            PARTS[i]!,
          )
        ).code,
      ).toBe(0);
    const files = (
      JSON.parse((await run('find', '-w', other, '--learner', 'mari@example.ee', '--json')).stdout) as Found[]
    ).map((f) => f.file);
    expect(new Set(files.flatMap(salts)).size).toBe(2);
  });
});

describe('microcred verify --stack', () => {
  it('the programme and its parts, in any order: each verdict, then each stack check, exit 0; --json gives the report', async () => {
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const files = (await find('mari@example.ee')).map((f) => f.file);
    const r = await run('verify', '--stack', ...files, '--status-dir', path.join(ws, 'status'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('STACK VERIFIED');
    // No trust source: as `verify` says for one file, the issuer's name is its own claim; a self-made "University" would
    // read the same, so the stack's verdict does not read as plainly confirmed.
    expect(r.stdout.split('\n')[1]).toMatch(/^ {2}! The issuer's identity is not confirmed/);
    expect(r.stdout).toMatch(
      /Programme:\n {2}! "Academic and Research Integrity: from theory to practice" \(.*\): verified, but the issuer's identity is not confirmed \(it calls itself ".+"\)/,
    );
    const trustFile = path.join(tmp, 'trusted-issuers.json');
    fs.writeFileSync(
      trustFile,
      JSON.stringify([JSON.parse(fs.readFileSync(path.join(ws, 'microcred.json'), 'utf8')).did]),
    );
    const trusted = await run(
      'verify',
      '--stack',
      ...files,
      '--status-dir',
      path.join(ws, 'status'),
      '--trust',
      trustFile,
    );
    expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
    expect(trusted.stdout).not.toMatch(/not confirmed/);
    expect(trusted.stdout).toMatch(
      /Programme:\n {2}✓ "Academic and Research Integrity: from theory to practice" \(.*\): verified\n/,
    );
    expect(r.stdout).toMatch(/Parts \(5\):/);
    for (const check of ['parts', 'learner', 'results', 'credits', 'dates', 'issuers', 'integrity'])
      expect(r.stdout).toMatch(new RegExp(`✓ ${check} `));
    const json = await run('verify', '--stack', ...files, '--status-dir', path.join(ws, 'status'), '--json');
    const report = JSON.parse(json.stdout) as {
      verified: boolean;
      parts: unknown[];
      checks: { check: string; status: string }[];
    };
    expect(report.verified).toBe(true);
    expect(report.parts).toHaveLength(5);
    expect(report.checks.find((c) => c.check === 'learner')?.status).toBe('pass');
  }, 60_000);

  it('a part of another learner, a missing part: exit 1 with the file named; no programme: exit 2', async () => {
    const mari = await find('mari@example.ee');
    const jaanPart = (await find('jaan@example.ee')).find((f) => f.achievementId.endsWith('/critical-thinking'))!.file;
    const swapped = mari.filter((f) => !f.achievementId.endsWith('/critical-thinking')).map((f) => f.file);
    const r = await run('verify', '--stack', ...swapped, jaanPart, '--status-dir', path.join(ws, 'status'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('STACK NOT VERIFIED');
    expect(r.stdout).toMatch(
      new RegExp(
        `✗ learner +"Critical thinking and argumentation" \\(${jaanPart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) cannot be linked`,
      ),
    );
    const missing = await run(
      'verify',
      '--stack',
      ...mari.slice(1).map((f) => f.file),
      '--status-dir',
      path.join(ws, 'status'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/✗ parts +No credential for the part/);
    const noProgramme = await run('verify', '--stack', ...mari.filter((f) => !isProgramme(f)).map((f) => f.file));
    expect(noProgramme.code).toBe(2);
    expect(noProgramme.stderr).toMatch(/None of the files is a programme credential/);
  }, 60_000);

  it('a presentation holding the stack, with --challenge', async () => {
    const holder = generateKey();
    const credentials = (await find('mari@example.ee')).map(
      (f) => JSON.parse(fs.readFileSync(f.file, 'utf8')) as Record<string, unknown>,
    );
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: credentials, holder: holder.controller }),
      { key: holder, challenge: 'n-0nce', domain: 'hr.example.com' },
    );
    const file = path.join(tmp, 'vp.json');
    fs.writeFileSync(file, JSON.stringify(vp));
    const ok = await run(
      'verify',
      '--stack',
      file,
      '--challenge',
      'n-0nce',
      '--domain',
      'hr.example.com',
      '--status-dir',
      path.join(ws, 'status'),
    );
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^PRESENTATION VERIFIED/);
    expect(ok.stdout).toMatch(/\nSTACK VERIFIED/);
    const replayed = await run(
      'verify',
      '--stack',
      file,
      '--challenge',
      'another',
      '--domain',
      'hr.example.com',
      '--status-dir',
      path.join(ws, 'status'),
    );
    expect(replayed.code).toBe(1);
  }, 60_000);
});

describe('microcred transcript', () => {
  it('makes the CLR 2.0 for one learner from the register: mode 0600, never overwritten, verified by microcred verify and verifyClr', async () => {
    const out = path.join(tmp, 'mari-transcript.json');
    const made = await run('transcript', '-w', ws, '--learner', 'mari@example.ee', '--out', out, '--json');
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ file: out, linked: true, leftOut: [] });
    expect(JSON.parse(made.stdout).credentials).toHaveLength(6);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const v = await run('verify', out, '--status-dir', path.join(ws, 'status'));
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout.split('\n')[0]).toBe('TRANSCRIPT VERIFIED');
    expect(v.stdout.split('\n')[1]).toMatch(/^ {2}! The issuer's identity is not confirmed/);
    expect(v.stdout).toMatch(/Credentials inside \(6\)/);
    expect(v.stdout).toMatch(/✓ integrity +Each part is byte for byte/);
    const statusDir = path.join(ws, 'status');
    const report = await verifyClr(fs.readFileSync(out, 'utf8'), {
      fetchStatusList: async (url) =>
        JSON.parse(fs.readFileSync(path.join(statusDir, `${url.split('/').pop()}.json`), 'utf8')),
    });
    expect(report.verified).toBe(true);
    expect(report.stack?.verified).toBe(true);
    const before = fs.readFileSync(out);
    const again = await run('transcript', '-w', ws, '--learner', 'mari@example.ee', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists .*refusing to overwrite/);
    expect(fs.readFileSync(out)).toEqual(before);
  }, 60_000);

  it('leaves out a revoked credential (partial transcript) and says so', async () => {
    const r = await run('transcript', '-w', ws, '--learner', 'rein@example.ee');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Wrote the transcript .*transcripts\/transcript--[0-9a-f-]+\.json \(4 credentials\)/);
    expect(r.stdout).toMatch(/left out urn:uuid:\S+ \(basics-of-ethics\): revoked/);
    const file = /Wrote the transcript (\S+)/.exec(r.stdout)![1]!;
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { partial?: boolean }).partial).toBe(true);
    expect((await run('transcript', '-w', ws, '--learner', 'nobody@example.ee')).code).toBe(2);
  }, 60_000);
});

describe('issue 19: revocation follows the stack', () => {
  it('revoking a part revokes the programme credential awarded on it and says which; the stack shows the revoked part as the reason', async () => {
    const grades = ['A', 'B', 'A', 'pass', 'pass'];
    const lines = ['email,grade,part,awarded on'];
    for (let i = 0; i < 5; i++) lines.push(row('liis@example.ee', grades[i]!, i));
    lines.push(row('liis@example.ee', '', undefined));
    fs.writeFileSync(path.join(tmp, 'liis.csv'), lines.join('\n') + '\n');
    const issued = await run('issue', '-w', ws, '--definition', DEFINITION, '--roster', path.join(tmp, 'liis.csv'));
    expect(issued.code, issued.stderr).toBe(0);
    const liis = await find('liis@example.ee');
    const programme = liis.find(isProgramme)!;
    const part = liis.find((f) => f.achievementId.endsWith('/critical-thinking'))!;
    const revoked = await run('revoke', part.credentialId, '--reason', 'Plagiarism found after the award', '-w', ws);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`and the programme credential ${programme.credentialId}`);
    const listed = JSON.parse((await run('list', '-w', ws, '--status', 'revoked', '--json')).stdout) as {
      credentialId: string;
    }[];
    expect(listed.map((r) => r.credentialId)).toEqual(
      expect.arrayContaining([part.credentialId, programme.credentialId]),
    );
    // Again: nothing new recorded, the programme still named.
    const again = await run(
      'revoke',
      part.credentialId,
      '--reason',
      'Plagiarism found after the award',
      '-w',
      ws,
      '--json',
    );
    expect(JSON.parse(again.stdout)).toMatchObject({
      recorded: false,
      programmes: [{ credentialId: programme.credentialId }],
    });
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const parts = liis.filter((f) => !isProgramme(f)).map((f) => f.file);
    const stack = await run(
      'verify',
      '--stack',
      programme.file,
      ...parts,
      '--status-dir',
      path.join(ws, 'status'),
      '--json',
    );
    expect(stack.code).toBe(1);
    const report = JSON.parse(stack.stdout) as {
      verified: boolean;
      checks: { check: string; status: string; message: string }[];
    };
    expect(report.verified).toBe(false);
    const failed = report.checks.filter((c) => c.check === 'credentials' && c.status === 'fail').map((c) => c.message);
    expect(failed).toContainEqual(
      expect.stringMatching(
        /Critical thinking and argumentation.* has been revoked by its issuer .*so a programme awarded on it does not stand/,
      ),
    );
    // The programme itself was revoked with it.
    expect(failed).toContainEqual(expect.stringMatching(/programme.* is not a valid credential: .*Revoked/i));
  }, 60_000);
});

describe('suspension follows the stack', () => {
  it('suspending a part suspends the programme awarded on it; reinstating lifts it only when no other part is suspended and it was not suspended in its own right', async () => {
    const office = path.join(tmp, 'suspending-office');
    const init = await run(
      'init',
      office,
      '--name',
      'University of Tartu',
      '--country',
      'EE',
      '--status-url',
      'https://www.ut.ee/status/',
      '--status-purpose',
      'suspension',
    );
    expect(init.code, init.stderr).toBe(0);
    const grades = ['A', 'B', 'A', 'pass', 'pass'];
    const lines = ['email,grade,part,awarded on'];
    for (let i = 0; i < 5; i++) lines.push(row('eva@example.ee', grades[i]!, i));
    lines.push(row('eva@example.ee', '', undefined));
    fs.writeFileSync(path.join(tmp, 'eva.csv'), lines.join('\n') + '\n');
    const issued = await run('issue', '-w', office, '--definition', DEFINITION, '--roster', path.join(tmp, 'eva.csv'));
    expect(issued.code, issued.stderr).toBe(0);
    const eva = JSON.parse(
      (await run('find', '-w', office, '--learner', 'eva@example.ee', '--json')).stdout,
    ) as Found[];
    const programme = eva.find(isProgramme)!;
    const [first, second] = eva.filter((f) => !isProgramme(f));
    const suspended = async () =>
      (
        JSON.parse((await run('list', '-w', office, '--status', 'suspended', '--json')).stdout) as {
          credentialId: string;
        }[]
      ).map((r) => r.credentialId);
    const set = (verb: string, id: string, reason: string) => run(verb, id, '--reason', reason, '-w', office);

    const s1 = await set('suspend', first!.credentialId, 'Appeal lodged');
    expect(s1.code, s1.stderr).toBe(0);
    expect(s1.stdout).toContain(`and the programme credential ${programme.credentialId}`);
    expect(await suspended()).toEqual(expect.arrayContaining([first!.credentialId, programme.credentialId]));
    // A second part suspended too: reinstating the first keeps the programme suspended, naming the other part.
    expect((await set('suspend', second!.credentialId, 'Appeal lodged')).code).toBe(0);
    const r1 = await set('reinstate', first!.credentialId, 'Appeal rejected');
    expect(r1.stdout).toMatch(
      new RegExp(
        `${programme.credentialId} .* stays suspended: another of its parts is still suspended \\(${second!.credentialId}\\)`,
      ),
    );
    expect(await suspended()).toContain(programme.credentialId);
    const r2 = await set('reinstate', second!.credentialId, 'Appeal rejected');
    expect(r2.stdout).toContain(`and the programme credential ${programme.credentialId}`);
    expect(await suspended()).toEqual([]);
    // A programme suspended in its own right is not lifted by a part's reinstatement.
    expect((await set('suspend', programme.credentialId, 'Programme under review')).code).toBe(0);
    expect((await set('suspend', first!.credentialId, 'Appeal lodged')).code).toBe(0);
    const r3 = await set('reinstate', first!.credentialId, 'Appeal rejected');
    expect(r3.stdout).toMatch(/stays suspended: it was suspended in its own right/);
    expect(await suspended()).toEqual([programme.credentialId]);
    // The other order: suspended because of a part first, then in its own right. The second suspension is recorded
    // (its reason is the programme's own), so reinstating the part leaves the programme suspended.
    expect((await set('reinstate', programme.credentialId, 'Review closed')).code).toBe(0);
    expect((await set('suspend', first!.credentialId, 'Appeal lodged')).code).toBe(0);
    expect(await suspended()).toEqual(expect.arrayContaining([first!.credentialId, programme.credentialId]));
    expect((await set('suspend', programme.credentialId, 'Programme under review')).code).toBe(0);
    const r4 = await set('reinstate', first!.credentialId, 'Appeal rejected');
    expect(r4.stdout).toMatch(/stays suspended: it was suspended in its own right/);
    expect(await suspended()).toEqual([programme.credentialId]);
    // A retried suspension in its own right records nothing new.
    const again = await set('suspend', programme.credentialId, 'Programme under review');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already set .*Programme under review.*nothing recorded/);
  }, 120_000);

  it('a part suspended or reinstated through the service takes the programme awarded on it along, as the command line does', async () => {
    const office = path.join(tmp, 'service-office');
    const init = await run(
      'init',
      office,
      '--name',
      'University of Tartu',
      '--country',
      'EE',
      '--status-url',
      'https://www.ut.ee/status/',
      '--status-purpose',
      'suspension',
    );
    expect(init.code, init.stderr).toBe(0);
    const lines = ['email,grade,part,awarded on'];
    for (let i = 0; i < 5; i++) lines.push(row('ott@example.ee', ['A', 'B', 'A', 'pass', 'pass'][i]!, i));
    lines.push(row('ott@example.ee', '', undefined));
    fs.writeFileSync(path.join(tmp, 'ott.csv'), lines.join('\n') + '\n');
    const issued = await run('issue', '-w', office, '--definition', DEFINITION, '--roster', path.join(tmp, 'ott.csv'));
    expect(issued.code, issued.stderr).toBe(0);
    const ott = JSON.parse(
      (await run('find', '-w', office, '--learner', 'ott@example.ee', '--json')).stdout,
    ) as Found[];
    const programme = ott.find(isProgramme)!;
    const part = ott.find((f) => !isProgramme(f))!;
    const workspace = await openWorkspace(office);
    try {
      const app = createServiceApp({ workspace, publicUrl: 'https://www.ut.ee', webDir: false });
      const { token } = await createServiceToken(workspace);
      const change = (status: string) =>
        app.request('/credentials/status', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            credentialId: part.credentialId,
            credentialStatus: [{ type: 'BitstringStatusListEntry', status }],
            reason: 'Appeal lodged',
          }),
        });
      const status = () => workspace.register.currentStatus(programme.credentialId);
      expect((await change('suspended')).status).toBe(200);
      expect((await status()).suspended).toBe(true);
      expect((await change('reinstated')).status).toBe(200);
      expect((await status()).suspended).toBe(false);
    } finally {
      await workspace.close();
    }
  }, 120_000);
});
