/**
 * The same roster issued by two `microcred issue` processes at once (two registrars, or one who started it twice), as
 * a registrar would, through the CLI. Which learners the two meet on depends on the scheduler; what must hold does
 * not: every learner is issued exactly once between them, every problem either reports is the retryable "being
 * issued right now" (naming its line), and running the roster again finishes with nothing left to do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteRegister } from '../src/node';
import { cli, cliAsync, waitExit } from './helpers/cli';

const DEFINITION = path.resolve('examples/rei-programme.yaml');
const LEARNERS = 120;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'register-roster-twice-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Summary {
  issued: number;
  skipped: number;
  problems: { line: number; message: string }[];
}

/** Runs the child to its end, reading all it prints: its exit code and the JSON summary it printed. */
async function finish(child: ChildProcess): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await waitExit(child);
  return { code, summary: JSON.parse(stdout) as Summary, stderr };
}

it('two `microcred issue` of one roster at once: each learner once, only retryable problems, a re-run finishes it', async () => {
  const ws = path.join(tmp, 'office');
  const init = cli(['init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/']);
  expect(init.code, init.stderr).toBe(0);
  const roster = path.join(tmp, 'roster.csv');
  const rows = ['email,name,grade,part'];
  for (let i = 0; i < LEARNERS; i++)
    rows.push(`learner${i}@example.ee,Learner ${i},${'ABCD'[i % 4]},Critical thinking and argumentation`);
  fs.writeFileSync(roster, rows.join('\n') + '\n');
  const out = path.join(ws, 'out');
  const args = ['issue', '-w', ws, '--definition', DEFINITION, '--roster', roster, '--out', out, '--json'];

  const [a, b] = await Promise.all([finish(cliAsync(args)), finish(cliAsync(args))]);
  for (const run of [a, b]) {
    // 0 when it met no learner in progress, 1 (some rows failed) when it did; never a crash or a usage error.
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.code === 1).toBe(run.summary.problems.length > 0);
    for (const p of run.summary.problems) {
      expect(p.message).toMatch(/being issued right now by process \d+/);
      expect(p.line).toBeGreaterThanOrEqual(2);
      expect(p.line).toBeLessThanOrEqual(LEARNERS + 1);
    }
  }
  // Each learner issued by exactly one of the two; the other skipped it or reported it in progress.
  expect(a.summary.issued + b.summary.issued).toBe(LEARNERS);
  expect(a.summary.skipped + a.summary.problems.length + b.summary.skipped + b.summary.problems.length).toBe(LEARNERS);
  // A learner one run reported in progress was issued by the other (nothing is left half-way).
  const register = await openSqliteRegister(path.join(ws, 'register.sqlite'));
  const issued = await register.listIssued();
  expect(issued).toHaveLength(LEARNERS);
  expect(await register.recoverOrphans()).toEqual({ orphans: [], inProgress: [] });
  await register.close();
  expect(new Set(issued.map((r) => r.rosterKey)).size).toBe(LEARNERS);
  expect(new Set(issued.map((r) => r.statusIndex)).size).toBe(LEARNERS);
  expect(new Set(issued.map((r) => r.credentialId)).size).toBe(LEARNERS);
  expect(fs.readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(LEARNERS);

  // The re-run a registrar makes after a reported problem: nothing left to issue, nothing issued twice.
  const again = await finish(cliAsync(args));
  expect(again.code, again.stderr).toBe(0);
  expect([again.summary.issued, again.summary.skipped, again.summary.problems]).toEqual([0, LEARNERS, []]);
  const after = await openSqliteRegister(path.join(ws, 'register.sqlite'));
  expect(await after.listIssued()).toEqual(issued);
  await after.close();
}, 240_000);
