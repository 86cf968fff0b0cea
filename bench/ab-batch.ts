/**
 * Before/after of the batch's per-credential work in one process: two checkouts of this library (e.g. `git archive
 * main | tar -x -C /tmp/base`, with a node_modules link) loaded side by side, each awarding the seed programme's
 * first course to a learner and issuing it (eddsa-rdfc-2022), as a bench/batch.mjs worker does, timed alternately
 * round by round. Process CPU time per credential (steadier than wall time on a shared machine), medians, the
 * after/before ratio paired round by round, and one Ed25519 signature in the same run as a yardstick.
 *
 *   node --import tsx bench/ab-batch.ts /path/to/before /path/to/after [rounds]
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-batch.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));

const ops: Record<string, () => Promise<unknown>> = {};
let secretKeyMultibase: string | undefined;
for (const [side, dir] of [
  ['before', beforeDir],
  ['after', afterDir],
] as const) {
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  secretKeyMultibase ??= lib.generateKey().exportSecretKeyMultibase();
  const key = lib.importKey({ secretKeyMultibase });
  const { issuer, definition } = lib.definitionFromData({
    ...programme,
    issuer: { ...programme.issuer, id: key.controller },
  });
  const course = 'parts' in definition ? definition.parts[0]! : definition;
  let i = 0;
  ops[side] = async () => {
    i++;
    const credential = lib.award(course, {
      issuer,
      learner: { email: `learner${i}@example.ee` },
      grade: 'ABCDE'[i % 5],
      awardedOn: '2024-01-26',
    });
    return lib.issue(credential, { key });
  };
  if (side === 'after') {
    const data = new Uint8Array(64);
    ops['ed25519 sign'] = () => key.sign(data);
  }
}
for (const op of Object.values(ops)) for (let i = 0; i < 300; i++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 15); r++) {
  for (const [name, op] of Object.entries(ops)) {
    const n = name.startsWith('ed25519') ? 400 : 100;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / n);
  }
}
const median = (xs: number[]) => summarize(xs).median;
const floor = median(cpu['ed25519 sign']!);
const b = cpu.before!;
const a = cpu.after!;
const paired = median(a.map((x, i) => x / b[i]!));
console.log(
  `award+issue  before ${median(b).toFixed(3)} ms (${(1000 / median(b)).toFixed(0)}/s, ${(median(b) / floor).toFixed(1)}× Ed25519 sign)  after ${median(a).toFixed(3)} ms (${(1000 / median(a)).toFixed(0)}/s, ${(median(a) / floor).toFixed(1)}×)  after/before ${paired.toFixed(3)}`,
);
console.log(`Ed25519 sign ${floor.toFixed(4)} ms CPU`);
