import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/node';

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
    const credential = JSON.parse(fs.readFileSync('test/fixtures-own/eu-microcredential.json', 'utf8')) as Record<string, any>;
    const fake = '\u001b[2K\u001b[1A\u001b[2K\r\u001b[32mVERIFIED\u001b[0m\u009b2K\u202e';
    credential.name = `Evil${fake}`;
    credential.credentialSubject.achievement.name = `Evil${fake}`;
    credential.issuer.name = `Evil${fake}`;
    const file = path.join(tmp, 'evil.json');
    fs.writeFileSync(file, JSON.stringify(credential));
    for (const args of [[file], [file, '--json'], [file, file]]) {
      const r = await run('verify', ...args);
      const all = r.stdout + r.stderr;
      expect(r.code).toBe(1);
      expect(all).not.toMatch(/[\u001b\u009b\u202e\r]/);
      if (args.length === 1) {
        expect(r.stdout.split('\n')[0]).toBe('NOT VERIFIED');
        expect(r.stdout).toContain('Evil\\x1b[2K\\x1b[1A');
      }
    }
  });
});
