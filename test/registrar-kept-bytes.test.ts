import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main as runCli } from '../src/cli/main';
import { MicrocredError } from '../src';
import { readIssuedBytes } from '../src/node/programme-parts';
import { credentialHash, type IssuanceRecord } from '../src/node/register';
import type { Workspace } from '../src/node/workspace';

/**
 * The registrar's commands on a server whose folders lack the issued files another server wrote (several servers on one
 * register keep no shared issued/): the programme's awarding rule, the transcript and revocation's look for programmes
 * awarded on a part read the register's kept bytes when the file is not here. A file that is here but changed is
 * still a reason, not passed over.
 */

const DEFINITION = 'examples/rei-programme.yaml';
const PARTS = [
  'Critical thinking and argumentation',
  'Basics of ethics',
  'Research integrity: framework, requirements, values and principles of action',
  'Ethics in an organization',
  'Workplace applications of practical ethics',
];
const GRADES = ['A', 'B', 'A', 'pass', 'pass'];
const DATES = ['2024-01-26', '2024-01-26', '2024-01-26', '2024-06-14', '2024-06-14'];

let tmp: string;
let ws: string;

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

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

/** This server's folders of issued files as another server's would look from here: none of the files are present. */
function issuedElsewhere(): void {
  for (const name of ['credentials', 'issued']) {
    const folder = path.join(ws, name);
    if (fs.existsSync(folder)) fs.renameSync(folder, fs.mkdtempSync(path.join(tmp, `${name}-elsewhere-`)) + '/moved');
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-kept-bytes-'));
  ws = path.join(tmp, 'office');
  const init = await run(
    'init',
    ws,
    '--name',
    'University of Tartu',
    '--country',
    'EE',
    '--status-url',
    'https://www.ut.ee/status/',
  );
  expect(init.code, init.stderr).toBe(0);
  const lines = ['email,grade,part,awarded on'];
  for (let i = 0; i < 5; i++) lines.push(`mari@example.ee,${GRADES[i]},"${PARTS[i]}",${DATES[i]}`);
  fs.writeFileSync(path.join(tmp, 'parts.csv'), lines.join('\n') + '\n');
  const issued = await run('issue', '-w', ws, '--definition', DEFINITION, '--roster', path.join(tmp, 'parts.csv'));
  expect(issued.code, issued.stderr).toBe(0);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the registrar on a server without the issued files', () => {
  it('awards the programme on parts whose files are elsewhere, from the bytes the register kept', async () => {
    issuedElsewhere();
    const programme = await run('issue', '-w', ws, '--definition', DEFINITION, '--learner', 'mari@example.ee');
    expect(programme.code, programme.stderr).toBe(0);
    const mari = await find('mari@example.ee');
    const made = mari.find((f) => f.achievementId.endsWith('/programme'))!;
    const named = (JSON.parse(fs.readFileSync(made.file, 'utf8')) as { relatedResource: { id: string }[] })
      .relatedResource;
    expect(named.map((r) => r.id).sort()).toEqual(
      mari
        .filter((f) => f !== made)
        .map((f) => f.credentialId)
        .sort(),
    );
  }, 60_000);

  it('makes the transcript from the kept bytes, and still refuses a file that is here but changed', async () => {
    issuedElsewhere();
    const made = await run(
      'transcript',
      '-w',
      ws,
      '--learner',
      'mari@example.ee',
      '--out',
      path.join(tmp, 't1.json'),
      '--json',
    );
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout).credentials).toHaveLength(6);
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const v = await run('verify', path.join(tmp, 't1.json'), '--status-dir', path.join(ws, 'status'));
    expect(v.stdout.split('\n')[0], v.stdout).toBe('TRANSCRIPT VERIFIED');

    // A changed copy at the recorded path (a wrong restore): for the registrar to look into, not passed over.
    const part = (await find('mari@example.ee')).find((f) => f.achievementId.endsWith('/research-integrity'))!;
    const kept = await run('transcript', '-w', ws, '--learner', 'mari@example.ee', '--out', path.join(tmp, 't0.json'));
    expect(kept.code, kept.stderr).toBe(0);
    const original = fs.readFileSync(path.join(tmp, 't0.json'), 'utf8');
    expect(original).toContain(part.credentialId);
    fs.mkdirSync(path.dirname(part.file), { recursive: true });
    fs.writeFileSync(part.file, '{"changed": true}\n');
    const refused = await run(
      'transcript',
      '-w',
      ws,
      '--learner',
      'mari@example.ee',
      '--out',
      path.join(tmp, 't2.json'),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/has changed since .* was issued/);
    fs.rmSync(part.file);
  }, 60_000);

  it('revoking a part finds the programme awarded on it though the programme file is elsewhere', async () => {
    issuedElsewhere();
    const mari = await find('mari@example.ee');
    const programme = mari.find((f) => f.achievementId.endsWith('/programme'))!;
    const part = mari.find((f) => f.achievementId.endsWith('/critical-thinking'))!;
    const revoked = await run('revoke', part.credentialId, '--reason', 'Plagiarism found after the award', '-w', ws);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`and the programme credential ${programme.credentialId}`);
  }, 60_000);
});

describe('readIssuedBytes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-read-issued-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const text = '{"id":"urn:uuid:1"}';
  const record = (file: string | undefined): IssuanceRecord =>
    ({ credentialId: 'urn:uuid:1', credentialHash: credentialHash(text), ...(file ? { file } : {}) }) as IssuanceRecord;
  const workspace = (kept: () => Promise<Uint8Array | undefined>): Workspace =>
    ({ dir, register: { issuedCredential: kept } }) as unknown as Workspace;
  const keptText = async () => new TextEncoder().encode(text);

  it('reads the file when it holds the recorded bytes, without asking the register', async () => {
    fs.writeFileSync(path.join(dir, 'a.json'), text);
    const read = await readIssuedBytes(
      workspace(async () => {
        throw new Error('not asked');
      }),
      record(path.join(dir, 'a.json')),
    );
    expect('bytes' in read && read.bytes.toString()).toBe(text);
  });

  it('takes the kept bytes when the file is missing or none was recorded; the file reason when none were kept', async () => {
    for (const file of [path.join(dir, 'missing.json'), undefined]) {
      const read = await readIssuedBytes(workspace(keptText), record(file));
      expect('bytes' in read && read.bytes.toString()).toBe(text);
      const none = await readIssuedBytes(
        workspace(async () => undefined),
        record(file),
      );
      expect(none).toMatchObject({ why: expect.stringMatching(/cannot be read|no file recorded/) });
    }
  });

  it('never passes over a changed file, and turns kept bytes that fail their check into a reason', async () => {
    fs.writeFileSync(path.join(dir, 'b.json'), '{"other":1}');
    expect(await readIssuedBytes(workspace(keptText), record(path.join(dir, 'b.json')))).toMatchObject({
      changed: true,
    });
    const inconsistent = workspace(async () => {
      throw new MicrocredError('REGISTER_INCONSISTENT', 'bytes differ', { path: '$.credentialId' });
    });
    expect(await readIssuedBytes(inconsistent, record(path.join(dir, 'missing.json')))).toMatchObject({
      why: expect.stringMatching(/copy in the register does not have the SHA-256/),
    });
    const broken = workspace(async () => {
      throw new Error('the database is down');
    });
    await expect(readIssuedBytes(broken, record(path.join(dir, 'missing.json')))).rejects.toThrow(/database is down/);
  });
});
