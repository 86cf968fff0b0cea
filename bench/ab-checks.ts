/**
 * Before/after in one process: two checkouts of this library (e.g. `git archive main | tar -x -C /tmp/base`, with a
 * node_modules link) loaded side by side and timed alternately, round by round, on the seed credential: rdfc verify,
 * JCS verify and JCS issue, plus one Ed25519 verification. Process CPU time per operation (steadier than wall time
 * on a shared machine), medians, and the after/before ratio paired round by round. Both sides see the same load.
 *
 *   node --import tsx bench/ab-checks.ts /path/to/before /path/to/after [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-checks.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
const before = (await import(`${beforeDir}/src/index.ts`)) as Lib;
const after = (await import(`${afterDir}/src/index.ts`)) as Lib;
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { secretKeyMultibase } = await referenceIssuer();

const ops: Record<string, () => Promise<unknown>> = {};
let floorOp: (() => Promise<unknown>) | undefined;
for (const [side, lib] of [
  ['before', before],
  ['after', after],
] as const) {
  const key = lib.importKey({ secretKeyMultibase });
  const credential = seedCredential(benchIssuer(key.controller));
  const rdfc = await lib.issue(credential, { key, format: 'eddsa-rdfc-2022' });
  const jcs = await lib.issue(credential, { key, format: 'eddsa-jcs-2022' });
  for (const signed of [rdfc, jcs]) if (!(await lib.verify(signed)).verified) throw new Error(`${side}: not verified`);
  ops[`${side} rdfc verify`] = () => lib.verify(rdfc);
  ops[`${side} jcs verify`] = () => lib.verify(jcs);
  ops[`${side} jcs issue`] = () => lib.issue(credential, { key, format: 'eddsa-jcs-2022' });
  if (!floorOp) {
    const data = new Uint8Array(64);
    const signature = await key.sign(data);
    floorOp = () => key.verify(data, signature);
  }
}
ops['ed25519 verify'] = floorOp!;
for (const op of Object.values(ops)) for (let i = 0; i < 300; i++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 15); r++) {
  for (const [name, op] of Object.entries(ops)) {
    const n = name.startsWith('ed25519') ? 400 : 40;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / n);
  }
}
const median = (xs: number[]) => summarize(xs).median;
const floor = median(cpu['ed25519 verify']!);
for (const op of ['rdfc verify', 'jcs verify', 'jcs issue']) {
  const b = cpu[`before ${op}`]!;
  const a = cpu[`after ${op}`]!;
  const paired = median(a.map((x, i) => x / b[i]!));
  console.log(
    `${op.padEnd(12)} before ${median(b).toFixed(3)} ms (${(median(b) / floor).toFixed(2)}× Ed25519)  after ${median(a).toFixed(3)} ms (${(median(a) / floor).toFixed(2)}× Ed25519)  after/before ${paired.toFixed(3)}`,
  );
}
console.log(`Ed25519 verify ${floor.toFixed(4)} ms CPU`);
