/**
 * What the register's high-water mark (src/node/register-mark.ts) costs the issue path: `issueRow` (award, sign
 * eddsa-rdfc-2022, write the file with fsync, reserve and complete in the SQLite register) holding each fresh
 * reservation to the workspace folder's mark and rewriting it (one lookup, one small file written, synced and renamed),
 * against the same with a register whose reservations carry no count (the mark is skipped, as before), interleaved
 * round by round in one process on one workspace, so that load from other processes falls on both alike.
 *
 *   npx tsx bench/ab-register-mark.ts [--rounds 10] [--per 20] [--dir /dev/shm]
 *
 * Reported: median ms per credential of each side and their ratio (marked / unmarked).
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
const tmp = fs.mkdtempSync(path.join(values.dir ?? os.tmpdir(), 'microcred-bench-mark-'));

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

/** The workspace with a register whose reservations carry no count: the mark is skipped, the issue path as before. */
function withoutMark(ws: Workspace): Workspace {
  const register = new Proxy(ws.register, {
    get(target, name) {
      if (name === 'reserveIssuance')
        return async (input: Parameters<typeof target.reserveIssuance>[0]) => {
          const { listAllocated: _, ...rest } = await target.reserveIssuance(input);
          return rest;
        };
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
  const sides = { marked: workspace, unmarked: withoutMark(workspace) };
  const times: Record<keyof typeof sides, number[]> = { marked: [], unmarked: [] };
  let n = 0;
  const issueOne = async (ws: Workspace) =>
    issueRow(ws, definition, row(`l${n}@example.ee`, n++), { format: 'eddsa-rdfc-2022', outDir });
  for (let i = 0; i < 5; i++) await issueOne(workspace); // warm-up, not counted
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so neither always follows the other's fsyncs.
    const order = round % 2 ? (['marked', 'unmarked'] as const) : (['unmarked', 'marked'] as const);
    for (const side of order) {
      for (let i = 0; i < PER; i++) {
        const t = performance.now();
        await issueOne(sides[side]);
        times[side].push(performance.now() - t);
      }
    }
  }
  await workspace.close();
  const marked = median(times.marked);
  const unmarked = median(times.unmarked);
  console.log(
    JSON.stringify({
      perSide: ROUNDS * PER,
      markedMedianMs: Number(marked.toFixed(3)),
      unmarkedMedianMs: Number(unmarked.toFixed(3)),
      ratio: Number((marked / unmarked).toFixed(3)),
    }),
  );
}

main()
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }))
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
