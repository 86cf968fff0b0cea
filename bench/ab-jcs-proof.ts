/**
 * The eddsa-jcs-2022 proof step alone, before/after in one process: `verifyProofSet` and `createProof` of the seed
 * credential from two checkouts loaded side by side, timed alternately round by round (process CPU time, medians,
 * after/before paired round by round), with one Ed25519 verification as the floor.
 *
 *   node --import tsx bench/ab-jcs-proof.ts BEFORE_DIR AFTER_DIR [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-jcs-proof.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
type Proof = typeof import('../src/entries/proof');
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { secretKeyMultibase } = await referenceIssuer();

const ops: Record<string, () => Promise<unknown>> = {};
for (const [side, dir] of [
  ['before', beforeDir],
  ['after', afterDir],
] as const) {
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  const proof = (await import(`${dir}/src/entries/proof.ts`)) as Proof;
  const key = lib.importKey({ secretKeyMultibase });
  const credential = seedCredential(benchIssuer(key.controller)) as unknown as Record<string, unknown>;
  const signed = JSON.parse(
    JSON.stringify(await proof.createProof(credential, { key, cryptosuite: 'eddsa-jcs-2022' })),
  );
  if (!(await proof.verifyProofSet(signed)).verified) throw new Error(`${side}: not verified`);
  ops[`${side} verifyProofSet`] = () => proof.verifyProofSet(signed);
  ops[`${side} createProof`] = () => proof.createProof(credential, { key, cryptosuite: 'eddsa-jcs-2022' });
  if (side === 'before') {
    const data = new Uint8Array(64);
    const signature = await key.sign(data);
    ops['Ed25519 verify (floor)'] = () => key.verify(data, signature);
  }
}
for (const op of Object.values(ops)) for (let i = 0; i < 300; i++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 31); r++) {
  for (const [name, op] of Object.entries(ops)) {
    const start = process.cpuUsage();
    for (let i = 0; i < 50; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 50);
  }
}
const median = (xs: number[]) => summarize(xs).median;
for (const [name, times] of Object.entries(cpu)) console.log(`${name.padEnd(24)} ${median(times).toFixed(1)} µs`);
for (const op of ['verifyProofSet', 'createProof']) {
  const b = cpu[`before ${op}`]!;
  const a = cpu[`after ${op}`]!;
  console.log(`${op}: after/before ${median(a.map((x, i) => x / b[i]!)).toFixed(3)} (paired)`);
}
