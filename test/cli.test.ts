import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteRegister } from '../src/node';
import { cli, cliAsync, waitExit } from './helpers/cli';

const DEFINITION = path.resolve('examples/rei-programme.yaml');
let tmp: string;

function roster(file: string, rows: number, offset = 0, part = 'Critical thinking and argumentation'): string {
  const lines = ['email,name,grade,part'];
  for (let i = 0; i < rows; i++)
    lines.push(`learner${offset + i}@example.ee,"Learner ${offset + i}, Jr.",${'ABCDE'[(offset + i) % 5]},${part}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('microcred, end to end through the CLI only', () => {
  it('init → issue 500 → verify all → revoke one → publish → only that one is revoked, with its reason in the register', async () => {
    const ws = path.join(tmp, 'office');
    const init = cli([
      'init',
      ws,
      '--name',
      'University of Tartu',
      '--country',
      'EE',
      '--status-url',
      'https://www.ut.ee/status/',
      '--json',
    ]);
    expect(init.code, init.stderr).toBe(0);
    expect(fs.statSync(path.join(ws, 'keys', 'issuer-key.json')).mode & 0o777).toBe(0o600);

    const out = path.join(ws, 'out');
    const issued = cli([
      'issue',
      '-w',
      ws,
      '--definition',
      DEFINITION,
      '--roster',
      roster(path.join(tmp, 'r500.csv'), 500),
      '--out',
      out,
      '--json',
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(JSON.parse(issued.stdout)).toMatchObject({ issued: 500, skipped: 0, problems: [] });
    const files = fs
      .readdirSync(out)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(out, f));
    expect(files).toHaveLength(500);

    expect(cli(['status', 'publish', '-w', ws]).code).toBe(0);
    const all = cli(['verify', ...files, '--status-dir', path.join(ws, 'status'), '--json']);
    expect(all.code, all.stdout.slice(0, 2000)).toBe(0);
    expect(JSON.parse(all.stdout).results.filter((r: { verified: boolean }) => r.verified)).toHaveLength(500);

    const victim = JSON.parse(fs.readFileSync(files[123]!, 'utf8')) as { id: string };
    expect(cli(['revoke', victim.id, '--reason', 'Grade annulled by the examination board', '-w', ws]).code).toBe(0);
    expect(cli(['status', 'publish', '-w', ws]).code).toBe(0);
    const again = cli(['verify', ...files, '--status-dir', path.join(ws, 'status'), '--json']);
    expect(again.code).toBe(1);
    const failed = (
      JSON.parse(again.stdout).results as { file: string; verified: boolean; failed: { code: string }[] }[]
    ).filter((r) => !r.verified);
    expect(failed.map((r) => r.file)).toEqual([files[123]]);
    expect(failed[0]!.failed.map((c) => c.code)).toEqual(['REVOKED']);

    const register = await openSqliteRegister(path.join(ws, 'register.sqlite'));
    expect(await register.statusHistory(victim.id)).toMatchObject([
      { purpose: 'revocation', value: true, reason: 'Grade annulled by the examination board' },
    ]);
    await register.close();
    // Re-running the same roster issues nothing new.
    const rerun = cli([
      'issue',
      '-w',
      ws,
      '--definition',
      DEFINITION,
      '--roster',
      path.join(tmp, 'r500.csv'),
      '--out',
      out,
      '--json',
    ]);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ issued: 0, skipped: 500 });
    // Revocation is final.
    expect(cli(['suspend', victim.id, '--reason', 'x', '-w', ws]).code).toBe(2);
  }, 300_000);

  it('reports a bad roster row with its line number and still issues the rest', () => {
    const ws = path.join(tmp, 'office2');
    cli(['init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/']);
    const file = path.join(tmp, 'bad.csv');
    fs.writeFileSync(
      file,
      'email,grade,part\nok1@example.ee,A,Critical thinking and argumentation\nnot-an-email,A,Critical thinking and argumentation\nok2@example.ee,Z,Critical thinking and argumentation\nok3@example.ee,B,Critical thinking and argumentation\n',
    );
    const r = cli(['issue', '-w', ws, '--definition', DEFINITION, '--roster', file, '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { issued: number; problems: { line: number; message: string }[] };
    expect(summary.issued).toBe(2);
    expect(summary.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(summary.problems[1]!.message).toMatch(/grade/);
  }, 60_000);

  it('two issue processes at the same time on one workspace share no status index and lose no row', async () => {
    const ws = path.join(tmp, 'office3');
    cli(['init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/']);
    const a = cliAsync([
      'issue',
      '-w',
      ws,
      '--definition',
      DEFINITION,
      '--roster',
      roster(path.join(tmp, 'a.csv'), 150, 0),
      '--out',
      path.join(ws, 'out'),
    ]);
    const b = cliAsync([
      'issue',
      '-w',
      ws,
      '--definition',
      DEFINITION,
      '--roster',
      roster(path.join(tmp, 'b.csv'), 150, 1000),
      '--out',
      path.join(ws, 'out'),
    ]);
    expect(await Promise.all([waitExit(a), waitExit(b)])).toEqual([0, 0]);
    const register = await openSqliteRegister(path.join(ws, 'register.sqlite'));
    const rows = await register.listIssued();
    await register.close();
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.statusIndex)).size).toBe(300);
    expect(new Set(rows.map((r) => r.credentialId)).size).toBe(300);
  }, 300_000);

  it('a batch killed with SIGKILL mid-roster completes on re-run with no duplicate and no orphaned index', async () => {
    const ws = path.join(tmp, 'office4');
    cli(['init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/']);
    const out = path.join(ws, 'out');
    const file = roster(path.join(tmp, 'k.csv'), 300);
    const child = cliAsync(['issue', '-w', ws, '--definition', DEFINITION, '--roster', file, '--out', out]);
    // Kill it once some, but not all, credentials are on disk.
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const n = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.json')).length : 0;
      if (n >= 20) break;
    }
    child.kill('SIGKILL');
    await waitExit(child);
    const partial = fs.readdirSync(out).filter((f) => f.endsWith('.json')).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);

    const rerun = cli(['issue', '-w', ws, '--definition', DEFINITION, '--roster', file, '--out', out, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { issued: number; skipped: number };
    expect(summary.issued + summary.skipped).toBe(300);
    const register = await openSqliteRegister(path.join(ws, 'register.sqlite'));
    const rows = await register.listIssued();
    expect(await register.recoverOrphans()).toEqual({ orphans: [], inProgress: [] });
    // Every index ever handed out belongs to an issued credential: none was allocated and then abandoned.
    const config = JSON.parse(fs.readFileSync(path.join(ws, 'microcred.json'), 'utf8')) as { statusList: string };
    expect(
      (await register.ensureStatusList({ id: config.statusList, purpose: 'revocation', size: 131_072 })).allocated,
    ).toBe(300);
    await register.close();
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.statusIndex)).size).toBe(300);
    const ids = fs
      .readdirSync(out)
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) as { id: string }).id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.credentialId)));
  }, 300_000);

  it('usage errors exit 2, unverifiable input exits 2 or 1, --help works for every command', () => {
    expect(cli([]).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['issue', '--nonsense']).code).toBe(2);
    for (const c of [
      'init',
      'issue',
      'verify',
      'validate',
      'revoke',
      'suspend',
      'reinstate',
      'status',
      'bake',
      'unbake',
      'keys',
    ]) {
      const h = cli([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/usage: microcred/);
    }
    const junk = path.join(tmp, 'junk.json');
    fs.writeFileSync(junk, '{"not": "a credential"}');
    expect(cli(['verify', junk]).code).toBe(1);
    expect(cli(['verify', path.join(tmp, 'missing.json')]).code).toBe(2);
  }, 120_000);
});
