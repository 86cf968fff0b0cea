/**
 * Before/after in one process on the rdfc verify path: two checkouts (as bench/ab-checks.ts takes them) verify the
 * same signed documents alternately, round by round, the order of the two sides alternating too: the 50 varied
 * generated credentials (bench/varied.ts; ms per credential) and the seed credential. Process CPU time, medians, and
 * the after/before ratio paired round by round, so both sides see the same load.
 *
 *   node --import tsx bench/ab-varied.ts /path/to/before /path/to/after [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-varied.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
const sides = {
  before: (await import(`${beforeDir}/src/index.ts`)) as Lib,
  after: (await import(`${afterDir}/src/index.ts`)) as Lib,
};
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { variedCredentials } = await import('./varied');
const { secretKeyMultibase } = await referenceIssuer();
const key = sides.after.importKey({ secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const varied: object[] = [];
for (const credential of variedCredentials(issuer, 50)) varied.push(await sides.after.issue(credential, { key }));
const seed = await sides.after.issue(seedCredential(issuer), { key });

const ops: Record<string, [number, () => Promise<unknown>]> = {};
for (const [side, lib] of Object.entries(sides)) {
  for (const signed of [...varied, seed]) if (!(await lib.verify(signed)).verified) throw new Error(`${side}: failed`);
  ops[`${side} varied`] = [
    varied.length,
    async () => {
      for (const signed of varied) await lib.verify(signed);
    },
  ];
  ops[`${side} seed`] = [
    40,
    async () => {
      for (let i = 0; i < 40; i++) await lib.verify(seed);
    },
  ];
}
for (const [, op] of Object.values(ops)) for (let i = 0; i < 5; i++) await op();
const cpu: Record<string, number[]> = {};
const rounds = Number(roundsArg ?? 21);
for (let r = 0; r < rounds; r++) {
  const names = Object.keys(ops);
  for (const name of r % 2 ? names.reverse() : names) {
    const [n, op] = ops[name]!;
    const start = process.cpuUsage();
    await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / n);
  }
}
const median = (xs: number[]) => summarize(xs).median;
for (const op of ['varied', 'seed']) {
  const b = cpu[`before ${op}`]!;
  const a = cpu[`after ${op}`]!;
  const paired = median(a.map((x, i) => x / b[i]!));
  console.log(
    `${op.padEnd(7)} rdfc verify  before ${median(b).toFixed(3)} ms  after ${median(a).toFixed(3)} ms  after/before (paired median of ${rounds}) ${paired.toFixed(3)}`,
  );
}
