/**
 * One side of the benchmark alone in its own process — ours or the reference stack — timing the same issue and
 * verify operations as bench/run.ts on the same credentials. In the shared process of run.ts each side also pays for
 * the other's garbage (jsonld.js leaves megabytes per RDFC operation), which a service running one library never
 * does; run.ts starts this script for each side in turn and shows both views. Also times the varied generated
 * credentials (bench/varied.ts; ms per credential) and the floor: one node:crypto Ed25519 verification, timed
 * after every verify round, so that "verify ÷ floor" is a same-run ratio. Prints one JSON line: ms/op medians.
 *
 *   node --import tsx bench/alone.ts --side ours|reference [--quick]
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { referenceIssuer, referenceVerify } from './reference';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { summarize, timeIt } from './stats';
import { variedCredentials } from './varied';

const { values } = parseArgs({ options: { side: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const side = values.side;
if (side !== 'ours' && side !== 'reference') throw new Error('--side ours|reference');
const ROUNDS = values.quick ? 2 : 11;

const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const medians: Record<string, number> = {};

// The floor: one Ed25519 verification of 64 bytes through node:crypto, with an imported key object. It is timed
// right after every timed verify round, and "verify ÷ floor" is the median of those per-round ratios, so that the
// shared machine's changing speed hits both sides of each ratio alike.
const pair = crypto.generateKeyPairSync('ed25519');
const data = crypto.randomBytes(64);
const signature = crypto.sign(null, data, pair.privateKey);
const floors: number[] = [];

/**
 * The warm-up before an operation's timed rounds: at least `minimum` runs and at least WARM_UP_MS of them, the same
 * time for both sides. A fixed count alone leaves a side whose operation takes under a millisecond mid-optimisation:
 * V8 is still compiling its functions on background threads when the timing starts (300 runs of our JCS verify are
 * ~0.2 s; after 3,000 it settles, bench/verify-steps.ts), while one of ~18 ms has long settled. A service that
 * verifies all day runs the steady state, which is what this script's "alone" view stands for.
 */
const WARM_UP_MS = values.quick ? 0 : 2000;
async function warmUp(minimum: number, run: () => Promise<void>): Promise<void> {
  const until = performance.now() + WARM_UP_MS;
  for (let w = 0; w < minimum || performance.now() < until; w++) await run();
}
const floorRatios: Record<string, number[]> = {};
async function floorAfter(operation: string, verifyMs: number): Promise<void> {
  const floor = await timeIt(async () => crypto.verify(null, data, pair.publicKey, signature), values.quick ? 10 : 500);
  floors.push(floor);
  (floorRatios[operation] ??= []).push(verifyMs / floor);
}
for (const [label, credential] of Object.entries({ seed: seedCredential(issuer), large: largeCredential(issuer) })) {
  for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
    const signed =
      side === 'ours' ? await issue(credential, { key, format: suite }) : await ref.issue(credential, suite);
    const doIssue =
      side === 'ours' ? () => issue(credential, { key, format: suite }) : () => ref.issue(credential, suite);
    const doVerify = side === 'ours' ? () => verify(signed) : () => referenceVerify(signed, suite);
    const slowSide = side === 'reference' && suite === 'eddsa-rdfc-2022';
    // Enough operations per round for ~10 ms or more on either side, after the warm-up (JIT).
    const iterations = values.quick ? 3 : slowSide ? 5 : 40;
    await warmUp(values.quick ? 0 : slowSide ? 20 : 300, async () => {
      await doIssue();
      await doVerify();
    });
    const issues: number[] = [];
    const verifies: number[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const i = await timeIt(doIssue, iterations);
      const v = await timeIt(doVerify, iterations);
      if (r === 0) continue;
      if (suite === 'eddsa-rdfc-2022') await floorAfter(`${label} ${suite} verify`, v);
      issues.push(i);
      verifies.push(v);
    }
    medians[`${label} ${suite} issue`] = summarize(issues).median;
    medians[`${label} ${suite} verify`] = summarize(verifies).median;
  }
}

// Varied credentials: every round issues (and verifies) each of them once; the figure is ms per credential.
const varied = variedCredentials(issuer, values.quick ? 5 : 50);
const signedVaried: object[] = [];
for (const credential of varied)
  signedVaried.push(
    side === 'ours' ? await issue(credential, { key }) : await ref.issue(credential, 'eddsa-rdfc-2022'),
  );
const issueAll = async () => {
  for (const credential of varied)
    await (side === 'ours' ? issue(credential, { key }) : ref.issue(credential, 'eddsa-rdfc-2022'));
};
const verifyAll = async () => {
  for (const signed of signedVaried) {
    const ok =
      side === 'ours' ? (await verify(signed)).verified : (await referenceVerify(signed, 'eddsa-rdfc-2022')).verified;
    if (!ok) throw new Error('a varied credential did not verify');
  }
};
await warmUp(values.quick ? 0 : side === 'ours' ? 10 : 1, async () => {
  await issueAll();
  await verifyAll();
});
const variedIssues: number[] = [];
const variedVerifies: number[] = [];
for (let r = 0; r <= ROUNDS; r++) {
  const i = await timeIt(issueAll, 1);
  const v = await timeIt(verifyAll, 1);
  if (r === 0) continue;
  await floorAfter('varied eddsa-rdfc-2022 verify', v / varied.length);
  variedIssues.push(i / varied.length);
  variedVerifies.push(v / varied.length);
}
medians['varied eddsa-rdfc-2022 issue'] = summarize(variedIssues).median;
medians['varied eddsa-rdfc-2022 verify'] = summarize(variedVerifies).median;

medians['Ed25519 verify (floor)'] = summarize(floors).median;
for (const [operation, ratios] of Object.entries(floorRatios))
  medians[`${operation} ÷ floor`] = summarize(ratios).median;
console.log(JSON.stringify(medians));
