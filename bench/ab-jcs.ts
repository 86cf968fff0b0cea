/**
 * eddsa-jcs-2022 before/after at steady state, in one process: two checkouts loaded side by side, each warmed up with
 * 3,000 runs of every operation (our verify is still being optimised after a few hundred; docs/speed.md), then timed
 * alternately with the order flipped every round (ABBA), so that neither side always runs right after the other's
 * garbage. Whole `verify` and `issue` of the seed credential, the proof step alone (`verifyProofSet`,
 * `createProof`) and its hashData (`computeHashData`: the JCS of the document and proof options, and their SHA-256);
 * process CPU time per operation, medians, after/before paired round by round, and each in units of
 * one Ed25519 verification timed in the same rounds.
 *
 *   node --import tsx bench/ab-jcs.ts BEFORE_DIR AFTER_DIR [rounds] [--warm N] [--large]
 */
import { parseArgs } from 'node:util';
import { summarize } from './stats';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { warm: { type: 'string', default: '3000' }, large: { type: 'boolean', default: false } },
});
const [beforeDir, afterDir, roundsArg] = positionals;
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-jcs.ts BEFORE_DIR AFTER_DIR [rounds] [--warm N]');
type Lib = typeof import('../src/index');
type ProofLib = typeof import('../src/entries/proof');
type DataIntegrity = typeof import('../src/proof/data-integrity');
const { benchIssuer, largeCredential, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { secretKeyMultibase } = await referenceIssuer();
const makeCredential = values.large ? largeCredential : seedCredential;

type Ops = Record<string, () => Promise<unknown>>;
const sides: Record<'before' | 'after', Ops> = { before: {}, after: {} };
let floor: (() => Promise<unknown>) | undefined;
for (const [side, dir] of [
  ['before', beforeDir],
  ['after', afterDir],
] as const) {
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  const proof = (await import(`${dir}/src/entries/proof.ts`)) as ProofLib;
  const { computeHashData } = (await import(`${dir}/src/proof/data-integrity.ts`)) as DataIntegrity;
  const key = lib.importKey({ secretKeyMultibase });
  const credential = makeCredential(benchIssuer(key.controller));
  // As a verifier meets it: parsed from JSON text.
  const signed = JSON.parse(JSON.stringify(await lib.issue(credential, { key, format: 'eddsa-jcs-2022' })));
  if (!(await lib.verify(signed)).verified) throw new Error(`${side}: not verified`);
  const { proof: proofs, ...unsigned } = signed as Record<string, unknown>;
  const { proofValue: _value, ...config } = (proofs as Record<string, unknown>[])[0]!;
  sides[side] = {
    'jcs verify': () => lib.verify(signed),
    'jcs issue': () => lib.issue(credential, { key, format: 'eddsa-jcs-2022' }),
    verifyProofSet: () => proof.verifyProofSet(signed),
    createProof: () => proof.createProof(unsigned, { key, cryptosuite: 'eddsa-jcs-2022' }),
    'JCS + SHA-256': () => computeHashData(unsigned, config, 'eddsa-jcs-2022'),
  };
  if (!floor) {
    const data = new Uint8Array(64);
    const signature = await key.sign(data);
    floor = () => key.verify(data, signature);
  }
}
const names = Object.keys(sides.before);
for (const ops of Object.values(sides))
  for (const op of Object.values(ops)) for (let i = 0; i < Number(values.warm); i++) await op();

const cpu: Record<string, number[]> = {};
async function time(name: string, op: () => Promise<unknown>, n: number): Promise<void> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const used = process.cpuUsage(start);
  (cpu[name] ??= []).push((used.user + used.system) / n);
}
for (let r = 0; r < Number(roundsArg ?? 21); r++) {
  const order = r % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const);
  for (const name of names) for (const side of order) await time(`${side} ${name}`, sides[side][name]!, 40);
  await time('floor', floor!, 200);
}
const median = (xs: number[]) => summarize(xs).median;
const fl = median(cpu.floor!);
console.log(`Ed25519 verify (floor) ${fl.toFixed(1)} µs CPU; ${values.large ? 'large' : 'seed'} credential`);
for (const name of names) {
  const b = cpu[`before ${name}`]!;
  const a = cpu[`after ${name}`]!;
  const inFloors = (xs: number[]) => median(xs.map((x, i) => x / cpu.floor![i]!)).toFixed(2);
  console.log(
    `${name.padEnd(15)} before ${median(b).toFixed(1)} µs (${inFloors(b)} floors)  after ${median(a).toFixed(1)} µs (${inFloors(a)} floors)  after/before ${median(a.map((x, i) => x / b[i]!)).toFixed(3)}`,
  );
}
