/**
 * What keeping each issued credential's bytes in the register costs the issue path: `issueRow` (award, sign
 * eddsa-rdfc-2022, write the file with fsync, reserve and complete in the SQLite register) with the bytes kept, as
 * the library now does, against the same with a register that is handed no bytes (as before), interleaved round by
 * round in one process on one workspace, so that load from other processes falls on both alike.
 *
 *   npx tsx bench/ab-kept-bytes.ts [--rounds 10] [--per 20] [--dir /dev/shm]
 *
 * Reported: median ms per credential of each side and their ratio (kept / not kept), and the register's size per
 * credential with the bytes kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { definitionFromData } from '../src';
import { initWorkspace, issueRow, type Workspace } from '../src/node';

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, per: { type: 'string' }, dir: { type: 'string' } },
});
const ROUNDS = Number(values.rounds ?? 10);
const PER = Number(values.per ?? 20);
const tmp = fs.mkdtempSync(path.join(values.dir ?? os.tmpdir(), 'microcred-bench-kept-'));

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

/** The workspace with a register that is handed no bytes at completion: the issue path as it was before. */
function withoutKeptBytes(ws: Workspace): Workspace {
  const register = new Proxy(ws.register, {
    get(target, name) {
      if (name === 'completeIssuance')
        return ({ credential: _, ...rest }: Parameters<typeof target.completeIssuance>[0]) =>
          target.completeIssuance(rest);
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...ws, register };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const data = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
  const { workspace } = await initWorkspace(path.join(tmp, 'ws'), {
    name: 'Bench University',
    country: 'EE',
    statusBaseUrl: 'https://bench.example/status/',
  });
  const issuer = workspace.config.issuer;
  const { definition } = definitionFromData({
    ...data,
    issuer: { id: issuer.id, name: issuer.name!, country: issuer.address!.addressCountryCode! },
  });
  const outDir = path.join(tmp, 'out');
  fs.mkdirSync(outDir);
  const sides = { kept: workspace, notKept: withoutKeptBytes(workspace) };
  const times: Record<keyof typeof sides, number[]> = { kept: [], notKept: [] };
  let n = 0;
  const issueOne = async (ws: Workspace) =>
    issueRow(ws, definition, row(`l${n}@example.ee`, n++), { format: 'eddsa-rdfc-2022', outDir });
  for (let i = 0; i < 5; i++) await issueOne(workspace); // warm-up, not counted
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so neither always follows the other's fsyncs.
    const order = round % 2 ? (['kept', 'notKept'] as const) : (['notKept', 'kept'] as const);
    for (const side of order) {
      for (let i = 0; i < PER; i++) {
        const t = performance.now();
        await issueOne(sides[side]);
        times[side].push(performance.now() - t);
      }
    }
  }
  await workspace.close();
  const registerBytes = fs.statSync(path.join(tmp, 'ws', 'register.sqlite')).size;
  const kept = median(times.kept);
  const notKept = median(times.notKept);
  console.log(
    JSON.stringify(
      {
        perSide: ROUNDS * PER,
        keptMedianMs: Number(kept.toFixed(2)),
        notKeptMedianMs: Number(notKept.toFixed(2)),
        ratio: Number((kept / notKept).toFixed(3)),
        fileBytesPerCredential: Math.round(
          fs.readdirSync(outDir).reduce((s, f) => s + fs.statSync(path.join(outDir, f)).size, 0) /
            fs.readdirSync(outDir).length,
        ),
        registerFileBytes: registerBytes,
      },
      null,
      2,
    ),
  );
}

main()
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }))
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
