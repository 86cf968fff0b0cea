/**
 * Before/after of an eddsa-rdfc-2022 proof's whole RDF side, in one process: two checkouts' `computeHashData` (the
 * proof configuration and the document canonicalized and hashed, as `createProof` and `verifyProof` run it) on the
 * seed credential and 20 varied credentials (bench/varied.ts), rounds interleaved, the order within a round
 * alternating; process CPU time per call, medians, and the after/before ratio paired round by round. Both sides must
 * give the same hashData.
 *
 * The checkout loaded second ran ~1-3% faster in this process whichever it was (2026-12-07, a loaded 2-core machine),
 * so run it twice with the checkouts swapped and combine the two paired ratios (after/before, then 1 / before/after).
 *
 *   node --import tsx bench/ab-proof-rdf.ts /path/to/before /path/to/after [rounds]
 */
import { importKey, issue } from '../src/index';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceIssuer } from './reference';
import { variedCredentials } from './varied';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-proof-rdf.ts BEFORE_DIR AFTER_DIR [rounds]');
type Proofs = typeof import('../src/proof/data-integrity');
const load = async (dir: string) => (await import(`${dir}/src/proof/data-integrity.ts`)) as Proofs;
const sides = { before: await load(beforeDir), after: await load(afterDir) };

const key = importKey({ secretKeyMultibase: (await referenceIssuer()).secretKeyMultibase });
const issuer = benchIssuer(key.controller);
type Pair = [Record<string, unknown>, Record<string, unknown>];
const pairs: Pair[] = [];
for (const credential of [seedCredential(issuer), ...variedCredentials(issuer, 20)]) {
  const { proof, ...unsecured } = (await issue(credential, { key })) as unknown as Record<string, unknown>;
  const { proofValue: _value, ...config } = (proof as Record<string, unknown>[])[0]!;
  config['@context'] = unsecured['@context'];
  pairs.push([unsecured, config]);
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
for (const [unsecured, config] of pairs) {
  const [b, a] = [sides.before, sides.after].map((side) => side.computeHashData(unsecured, config, 'rdfc'));
  if (hex(await b!) !== hex(await a!)) throw new Error('the two checkouts hash differently');
}

const cpuPerCall = async (side: Proofs, set: Pair[], calls: number) => {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await side.computeHashData(set[i % set.length]![0], set[i % set.length]![1], 'rdfc');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
};
const median = (values: number[]) => values.slice().sort((x, y) => x - y)[values.length >> 1]!;
const sets = { seed: pairs.slice(0, 1), varied: pairs.slice(1) };
for (const set of Object.values(sets)) for (const side of Object.values(sides)) await cpuPerCall(side, set, 2000);
const rounds = Number(roundsArg ?? 21);
for (const [name, set] of Object.entries(sets)) {
  const before: number[] = [];
  const after: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    const times = { before: 0, after: 0 };
    for (const side of order) times[side] = await cpuPerCall(sides[side], set, 200);
    before.push(times.before);
    after.push(times.after);
    ratios.push(times.after / times.before);
  }
  console.log(
    `${name.padEnd(7)} computeHashData (rdfc)  before ${median(before).toFixed(1)} µs  after ${median(after).toFixed(1)} µs  after/before (paired median of ${rounds}) ${median(ratios).toFixed(3)}`,
  );
}
