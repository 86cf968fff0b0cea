/**
 * Review round ten: a status change writes the folder's register mark; when that write fails, the error says the
 * change is recorded and need not be made again. It must then be whole: the part and the programme credentials
 * revoked with it (the mark was written after the part's change, before the cascade, leaving the programme valid).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as runCli } from '../src/cli/main';
import { REGISTER_MARK } from '../src/node/register-mark';

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
async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}
const row = (email: string, grade: string, part: number | undefined): string =>
  `${email},${grade},"${part === undefined ? '' : PARTS[part]}",${part === undefined ? '' : DATES[part]}`;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review10-cascade-'));
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
        'https://u.example/status/',
      )
    ).code,
  ).toBe(0);
  const lines = ['email,grade,part,awarded on'];
  const grades = ['A', 'B', 'A', 'pass', 'pass'];
  for (let i = 0; i < 5; i++) lines.push(row('liis@example.ee', grades[i]!, i));
  lines.push(row('liis@example.ee', '', undefined));
  fs.writeFileSync(path.join(tmp, 'r.csv'), lines.join('\n') + '\n');
  const r = await run('issue', '-w', ws, '--definition', DEFINITION, '--roster', path.join(tmp, 'r.csv'));
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a status change whose mark cannot be written', () => {
  it('fails only after the programme awarded on the part is revoked too, as its words (need not be made again) say', async () => {
    const found = JSON.parse((await run('find', '-w', ws, '--learner', 'liis@example.ee', '--json')).stdout) as {
      credentialId: string;
      achievementId: string;
    }[];
    const programme = found.find((f) => f.achievementId.endsWith('/programme'))!;
    const part = found.find((f) => f.achievementId.endsWith('/critical-thinking'))!;
    // The folder's mark cannot be written (a directory in its place stands for a read-only or full folder).
    const mark = path.join(ws, REGISTER_MARK);
    fs.rmSync(mark, { force: true });
    fs.mkdirSync(mark);
    fs.writeFileSync(path.join(mark, 'x'), 'x');
    const r = await run('revoke', part.credentialId, '--reason', 'Plagiarism', '-w', ws);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the change need not be made again/);
    const revoked = JSON.parse((await run('list', '-w', ws, '--status', 'revoked', '--json')).stdout) as {
      credentialId: string;
    }[];
    const ids = revoked.map((x) => x.credentialId);
    expect(ids).toContain(part.credentialId);
    // The error says the change need not be made again: the programme awarded on the part must be revoked already.
    expect(ids.includes(programme.credentialId)).toBe(ids.includes(part.credentialId));
  }, 60_000);
});
