/**
 * One side of the benchmark alone in its own process — ours or the reference stack — timing the same issue and
 * verify operations as bench/run.ts on the same credentials. In the shared process of run.ts each side also pays for
 * the other's garbage (jsonld.js leaves megabytes per RDFC operation), which a service running one library never
 * does; run.ts starts this script for each side in turn and shows both views. Prints one JSON line: ms/op medians.
 *
 *   node --import tsx bench/alone.ts --side ours|reference [--quick]
 */
import { parseArgs } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { referenceIssuer, referenceVerify } from './reference';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { summarize, timeIt } from './stats';

const { values } = parseArgs({ options: { side: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const side = values.side;
if (side !== 'ours' && side !== 'reference') throw new Error('--side ours|reference');
const ROUNDS = values.quick ? 2 : 11;

const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const medians: Record<string, number> = {};
for (const [label, credential] of Object.entries({ seed: seedCredential(issuer), large: largeCredential(issuer) })) {
  for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
    const signed =
      side === 'ours' ? await issue(credential, { key, format: suite }) : await ref.issue(credential, suite);
    const doIssue =
      side === 'ours' ? () => issue(credential, { key, format: suite }) : () => ref.issue(credential, suite);
    const doVerify = side === 'ours' ? () => verify(signed) : () => referenceVerify(signed, suite);
    const slowSide = side === 'reference' && suite === 'eddsa-rdfc-2022';
    // Enough operations per round for ~10 ms or more on either side, after a warm-up (JIT) of a few hundred.
    const iterations = values.quick ? 3 : slowSide ? 5 : 40;
    for (let w = 0; w < (values.quick ? 0 : slowSide ? 20 : 300); w++) {
      await doIssue();
      await doVerify();
    }
    const issues: number[] = [];
    const verifies: number[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const i = await timeIt(doIssue, iterations);
      const v = await timeIt(doVerify, iterations);
      if (r === 0) continue;
      issues.push(i);
      verifies.push(v);
    }
    medians[`${label} ${suite} issue`] = summarize(issues).median;
    medians[`${label} ${suite} verify`] = summarize(verifies).median;
  }
}
console.log(JSON.stringify(medians));
