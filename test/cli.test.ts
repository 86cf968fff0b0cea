import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteRegister } from '../src/node';
import { execFileSync } from 'node:child_process';
import { openDatabase, type Database } from '../src/node/register/driver';
import { cli, cliAsync, waitExit } from './helpers/cli';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until a process sent SIGSTOP is stopped (state T in /proc), so what it holds can no longer change. */
async function stopped(pid: number): Promise<void> {
  for (;;) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return sleep(200); // no /proc (not Linux): give the signal time to land
    }
    if (/\) [Tt] /.test(stat)) return;
    await sleep(2);
  }
}

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
    const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    // The first run reads the roster from a pipe (as `--roster <(export-tool)` does) that this test feeds a few rows
    // ahead of the register, so it cannot reach the end of the roster however the machine schedules the two
    // processes. Polling the output folder and then killing raced the batch itself: a test process starved for a
    // few seconds found all 300 done. The batch is frozen (SIGSTOP) once the register shows it holding a reservation,
    // and killed only if it still holds one while frozen, so the kill lands mid-issuance, with files on disk.
    const fifo = path.join(tmp, 'k.fifo');
    execFileSync('mkfifo', [fifo]);
    // Read-write: opening a FIFO this way does not wait for the reader (Linux), and the rows sit in the pipe until read.
    const feed = fs.openSync(fifo, fs.constants.O_RDWR);
    let fed = 0;
    const feedRows = (n: number) => {
      const next = lines.slice(fed, Math.min(fed + n, lines.length - 10));
      if (next.length) fs.writeSync(feed, next.join('\n') + '\n');
      fed += next.length;
    };
    fs.writeSync(feed, header + '\n');
    feedRows(5);
    const child = cliAsync(['issue', '-w', ws, '--definition', DEFINITION, '--roster', fifo, '--out', out]);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = waitExit(child);
    const onDisk = () => (fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.json')).length : 0);
    let db: Database | undefined;
    let heldAtKill: string[] = [];
    let partial = 0;
    try {
      while (heldAtKill.length === 0) {
        expect(child.exitCode, stderr).toBeNull();
        await sleep(5);
        // The register is opened once the batch has issued something (it is then in WAL mode, with its -shm file).
        if (!db) {
          if (onDisk() === 0) continue;
          db = await openDatabase(path.join(ws, 'register.sqlite'), { readonly: true });
        }
        const held = () =>
          (
            db!
              .prepare(
                "SELECT i.credential_id AS id FROM issuances i JOIN sessions s ON s.id = i.claimed_by WHERE i.state = 'reserved' AND s.pid = ?",
              )
              .all(child.pid) as { id: string }[]
          ).map((r) => r.id);
        const issued = (db.prepare("SELECT COUNT(*) AS n FROM issuances WHERE state = 'issued'").get() as { n: number })
          .n;
        if (issued >= lines.length - 10) throw new Error('the batch was never seen holding a reservation');
        // Keep a few rows in the pipe, so the batch is always mid-row; never the last ten.
        if (issued >= fed - 3) feedRows(5);
        if (held().length === 0) continue;
        child.kill('SIGSTOP');
        await stopped(child.pid!);
        heldAtKill = held();
        partial = onDisk();
        if (heldAtKill.length === 0) child.kill('SIGCONT');
      }
    } finally {
      db?.close();
      child.kill('SIGKILL');
      await exited;
      fs.closeSync(feed);
    }
    expect(heldAtKill).toHaveLength(1);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);
    expect(onDisk(), 'nothing was written after the freeze').toBe(partial);

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
    // The reservation the kill left open was completed by the re-run, under the id it had reserved.
    expect(ids).toContain(heldAtKill[0]);
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
    // JSON with no credential @context is not a credential at all: unusable input, as a random file.
    expect(cli(['verify', junk]).code).toBe(2);
    const unsigned = path.join(tmp, 'unsigned.json');
    fs.writeFileSync(
      unsigned,
      '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:u", "credentialSubject": {"id": "did:example:l"}}',
    );
    expect(cli(['verify', unsigned]).code).toBe(1);
    expect(cli(['verify', path.join(tmp, 'missing.json')]).code).toBe(2);
  }, 120_000);
});
