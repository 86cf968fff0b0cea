/**
 * npm run bench:cold — the cold-start benchmark alone (bench/cold.mjs, built package): a fresh process per run, ours
 * and the reference alternating, medians field by field. The same measurement npm run bench makes, without the rest
 * of it, so a change to start-up can be compared with the reference in one short run.
 *
 *   npm run build && npm run bench:cold               # 11 runs per side
 *   npm run bench:cold -- --runs 21 --side ours       # only ours (no reference beside it)
 *   npm run bench:cold -- --runs 15 --against /tmp/base   # this build against another checkout's (built) dist/
 *
 * With --against, both are ours, interleaved, and the main thread's CPU time is printed beside the wall clock: a
 * before/after of a start-up change measured in one run (/tmp/base: `git worktree add /tmp/base main`, a
 * node_modules link, `npm run build` there).
 *
 *   npm run bench:cold -- --runs 5 --against /tmp/base --instructions   # instructions counted under valgrind
 *   npm run bench:cold -- --runs 21 --compile-cache --node "$(npx -y -p node@22 -c 'command -v node')"
 *
 * With --compile-cache, ours runs with and without NODE_COMPILE_CACHE set by the caller (a directory filled by one
 * run before the clock), interleaved, CPU time beside the wall clock: what a deployer (a serverless function) gains
 * from Node's compile cache (Node >= 22.1). --node runs the fresh processes on another Node binary.
 *
 * With --instructions each process runs under valgrind (callgrind, ~10 s each) and the count of instructions it
 * executed, all threads, is reported instead of times: other processes' load does not move it, so two builds can be
 * compared on a busy machine. NODE_EXTRA_CA_CERTS is unset for these runs (reading a CA bundle at start-up would add
 * the same ~400M instructions to both sides). Needs valgrind.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importKey, issue } from '../src/index';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';
import { referenceIssuer } from './reference';
import { benchIssuer, seedCredential } from './fixtures';

type Side = 'ours' | 'reference';
interface ColdTimes {
  load: number;
  firstIssue: number;
  firstVerify: number;
  total: number;
}
interface ColdResult extends ColdTimes {
  /** Main-thread CPU time of each stage, where the platform reports it (bench/cold.mjs). */
  cpu?: ColdTimes;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '11' },
    side: { type: 'string' },
    against: { type: 'string' },
    instructions: { type: 'boolean', default: false },
    'compile-cache': { type: 'boolean', default: false },
    node: { type: 'string' },
  },
});
const nodeBinary = values.node ?? process.execPath;
/** Filled by one run before the timed ones (--compile-cache): what a warm function instance finds. */
const cacheDir = values['compile-cache'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cold-cache-')) : undefined;
const runs = Number(values.runs);
/**
 * What each fresh process runs: a side, or with --against this build and another checkout's. Both builds are then
 * loaded by file URL (`--root`): loading this one as `microcredentials` would add the package's self-reference
 * resolution (its package.json and `exports`) to its load stage only: ~1-2 ms of CPU that the other build does not pay.
 */
const variants: { label: string; args: string[]; env?: NodeJS.ProcessEnv }[] = cacheDir
  ? [
      { label: 'no cache', args: ['--side', 'ours'] },
      { label: 'cache', args: ['--side', 'ours'], env: { NODE_COMPILE_CACHE: cacheDir } },
    ]
  : values.against
    ? [
        { label: 'this build', args: ['--side', 'ours', '--root', fileURLToPath(new URL('..', import.meta.url))] },
        { label: 'against', args: ['--side', 'ours', '--root', path.resolve(values.against)] },
      ]
    : (values.side ? [values.side as Side] : (['ours', 'reference'] as Side[])).map((side) => ({
        label: side,
        args: ['--side', side],
      }));

if (!fs.existsSync(new URL('../dist/index.js', import.meta.url)))
  throw new Error('the cold-start benchmark runs the built package: run "npm run build" first');
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const credential = seedCredential(benchIssuer(key.controller));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cold-'));
const input = path.join(dir, 'cold.json');
fs.writeFileSync(
  input,
  JSON.stringify({
    credential,
    publicKeyMultibase: ref.publicKeyMultibase,
    secretKeyMultibase: ref.secretKeyMultibase,
    signedByOurs: await issue(credential, { key }),
    signedByReference: await ref.issue(credential),
    contexts: BUNDLED_CONTEXTS,
  }),
);
const results = new Map<string, ColdResult[]>(variants.map((v) => [v.label, []]));
const instructionCounts = new Map<string, number[]>(variants.map((v) => [v.label, []]));

/** Instructions one cold-start process executes (all its threads), counted by valgrind's callgrind. */
function countInstructions(script: string[], variantEnv: NodeJS.ProcessEnv = {}): number {
  const { NODE_EXTRA_CA_CERTS: _, NODE_COMPILE_CACHE: _cache, ...env } = process.env;
  const child = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file', nodeBinary, ...script],
    { encoding: 'utf8', env: { ...env, ...variantEnv } },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(child.stderr ?? '');
  if (child.status !== 0 || !refs)
    throw new Error(`valgrind ${script.join(' ')} failed: ${child.error ?? child.stderr}`);
  return Number(refs[1]!.replaceAll(',', ''));
}
try {
  if (cacheDir) {
    const script = [fileURLToPath(new URL('./cold.mjs', import.meta.url)), '--side', 'ours', '--input', input];
    spawnSync(nodeBinary, script, { env: { ...process.env, NODE_COMPILE_CACHE: cacheDir } });
  }
  for (let run = 0; run < runs; run++) {
    for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
      const script = [fileURLToPath(new URL('./cold.mjs', import.meta.url)), ...variant.args, '--input', input];
      if (values.instructions) {
        instructionCounts.get(variant.label)!.push(countInstructions(script, variant.env));
        continue;
      }
      const { NODE_COMPILE_CACHE: _, ...env } = process.env;
      const child = spawnSync(nodeBinary, script, { encoding: 'utf8', env: { ...env, ...variant.env } });
      if (child.status !== 0) throw new Error(`bench/cold.mjs ${variant.args.join(' ')} failed: ${child.stderr}`);
      results.get(variant.label)!.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ColdResult);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
if (values.instructions) {
  console.log(`cold start, a fresh process per run under valgrind, median of ${runs} runs per side`);
  for (const { label, args } of variants) {
    const counts = instructionCounts.get(label)!;
    const name = label === 'against' ? `against ${args.at(-1)}` : label;
    const millions = (n: number) => (n / 1e6).toFixed(1);
    console.log(`${name.padEnd(10)} ${millions(median(counts))}M instructions  (${counts.map(millions).join(', ')})`);
  }
  process.exit(0);
}
console.log(
  `cold start, a fresh process per run, median of ${runs} runs per side (load average ${os.loadavg()[0]!.toFixed(1)})` +
    (values.node ? `, ${spawnSync(nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim()}` : ''),
);
const line = (rows: ColdTimes[]): string => {
  const m = (f: keyof ColdTimes) => median(rows.map((r) => r[f])).toFixed(1);
  return `load ${m('load')} ms, first issue ${m('firstIssue')} ms, first verify ${m('firstVerify')} ms, total ${m('total')} ms`;
};
for (const { label, args } of variants) {
  const rows = results.get(label)!;
  const name = label === 'against' ? `against ${args.at(-1)}` : label;
  console.log(`${name.padEnd(10)} ${line(rows)}  (totals ${rows.map((r) => r.total.toFixed(0)).join(', ')})`);
  const cpu = rows.flatMap((r) => (r.cpu ? [r.cpu] : []));
  if ((values.against || cacheDir) && cpu.length === rows.length)
    console.log(`${''.padEnd(10)} main-thread CPU: ${line(cpu)}`);
}
