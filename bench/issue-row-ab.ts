/**
 * A paired A/B of one change on the register-backed issue path: `issueRow` (award, sign eddsa-rdfc-2022, write the
 * file with fsync, reserve and complete in the SQLite register) on one workspace as the library does it, against the
 * same workspace seen through a register wrapped to behave as before the change, interleaved round by round in one
 * process, so that load from other processes falls on both alike. Used by bench/ab-kept-bytes.ts and
 * bench/ab-register-mark.ts; each takes `[--rounds 10] [--per 20] [--dir /dev/shm]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { definitionFromData } from '../src';
import { initWorkspace, issueRow, type IssuanceRegister, type Workspace } from '../src/node';

export interface IssueRowAb {
  rounds: number;
  per: number;
  /** A fresh folder for the workspace and the issued files, removed by {@link runIssueRowAb}. */
  tmp: string;
}

/** The run's counts from the command line, and its folder (`name` goes into the folder's name). */
export function issueRowAbOptions(name: string): IssueRowAb {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, per: { type: 'string' }, dir: { type: 'string' } },
  });
  return {
    rounds: Number(values.rounds ?? 10),
    per: Number(values.per ?? 20),
    tmp: fs.mkdtempSync(path.join(values.dir ?? os.tmpdir(), `microcred-bench-${name}-`)),
  };
}

/** `ws` with the register's method `name` replaced by what `wrap` makes of the original (bound to the register). */
export function withRegisterMethod<K extends keyof IssuanceRegister>(
  ws: Workspace,
  name: K,
  wrap: (original: IssuanceRegister[K]) => IssuanceRegister[K],
): Workspace {
  const register = new Proxy(ws.register, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      const bound = typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return key === name ? wrap(bound as IssuanceRegister[K]) : bound;
    },
  });
  return { ...ws, register };
}

function row(email: string, i: number): Parameters<typeof issueRow>[2] {
  const identity = { type: 'email' as const, value: email };
  return {
    line: i,
    learner: { email },
    identity,
    identities: [identity],
    learnerRef: '',
    key: '',
    grade: 'ABCDE'[i % 5]!,
    part: 'Critical thinking and argumentation',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ms per credential with the change (`now`) and without it (`before`), and where the run wrote. */
export interface IssueRowAbResult {
  now: number;
  before: number;
  workspaceDir: string;
  outDir: string;
}

/** Times `issueRow` on one workspace as it is and as `before` makes it look, alternating which side goes first. */
export async function timeIssueRow(ab: IssueRowAb, before: (ws: Workspace) => Workspace): Promise<IssueRowAbResult> {
  const data = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
  const workspaceDir = path.join(ab.tmp, 'ws');
  const { workspace } = await initWorkspace(workspaceDir, {
    name: 'Bench University',
    country: 'EE',
    statusBaseUrl: 'https://bench.example/status/',
  });
  const issuer = workspace.config.issuer;
  const { definition } = definitionFromData({
    ...data,
    issuer: { id: issuer.id, name: issuer.name!, country: issuer.address!.addressCountryCode! },
  });
  const outDir = path.join(ab.tmp, 'out');
  fs.mkdirSync(outDir);
  const sides = { now: workspace, before: before(workspace) };
  const times: Record<keyof typeof sides, number[]> = { now: [], before: [] };
  let n = 0;
  const issueOne = async (ws: Workspace) =>
    issueRow(ws, definition, row(`l${n}@example.ee`, n++), { format: 'eddsa-rdfc-2022', outDir });
  for (let i = 0; i < 5; i++) await issueOne(workspace); // warm-up, not counted
  for (let round = 0; round < ab.rounds; round++) {
    // Alternate which side goes first, so neither always follows the other's fsyncs.
    const order = round % 2 ? (['now', 'before'] as const) : (['before', 'now'] as const);
    for (const side of order) {
      for (let i = 0; i < ab.per; i++) {
        const t = performance.now();
        await issueOne(sides[side]);
        times[side].push(performance.now() - t);
      }
    }
  }
  await workspace.close();
  return { now: median(times.now), before: median(times.before), workspaceDir, outDir };
}

/** Runs `main`, then removes the run's folder; a failure sets the exit code. */
export function runIssueRowAb(ab: IssueRowAb, main: () => Promise<void>): void {
  main()
    .finally(() => fs.rmSync(ab.tmp, { recursive: true, force: true }))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
