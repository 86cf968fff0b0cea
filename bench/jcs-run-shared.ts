/**
 * The eddsa-jcs-2022 rows of `npm run bench`'s shared process, in ~15 s: the same order of work (seed, then large;
 * eddsa-rdfc-2022 rows before eddsa-jcs-2022 ones, ours and the reference alternating every `ITER` operations), so
 * the reference's jsonld.js work runs before our JCS rows as there, with fewer rounds. One process per run; run it
 * several times, alternating checkouts, since the state a process lands in is per process. Process CPU time (all
 * threads), not wall time as `npm run bench`, so that other processes on a shared machine weigh less.
 *
 *   node --expose-gc --import tsx bench/jcs-run-shared.ts [DIR] [rounds]
 */
import { resolve } from 'node:path';
import { summarize } from './stats';

const args = process.argv.slice(2);
const dir = args[0] && Number.isNaN(Number(args[0])) ? resolve(args[0]) : new URL('..', import.meta.url).pathname;
const ROUNDS = Number(args.find((a) => !Number.isNaN(Number(a))) ?? 5);
const ITER = 20;
type Lib = typeof import('../src/index');
const { importKey, issue, verify } = (await import(`${dir}/src/index.ts`)) as Lib;
const { benchIssuer, largeCredential, seedCredential } = await import('./fixtures');
const { referenceIssuer, referenceVerify, signedBothWays } = await import('./reference');
const settle = () => (globalThis as { gc?: () => void }).gc?.();
async function timeIt(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / iterations;
}

const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const credentials = { seed: seedCredential(issuer), large: largeCredential(issuer) };
const line: string[] = [];
for (const [label, credential] of Object.entries(credentials)) {
  for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
    const { ours: oursSigned, reference: refSigned } = await signedBothWays(
      { issue, verify, key },
      ref,
      credential,
      suite,
      `${label}/${suite}`,
    );
    const rows = { issue: [] as number[], verify: [] as number[] };
    settle();
    for (let r = 0; r < (suite === 'eddsa-rdfc-2022' ? 2 : ROUNDS + 1); r++) {
      const oi = await timeIt(() => issue(credential, { key, format: suite }), ITER);
      const ri = await timeIt(() => ref.issue(credential, suite), ITER);
      const ov = await timeIt(() => verify(oursSigned), ITER);
      const rv = await timeIt(() => referenceVerify(refSigned, suite), ITER);
      if (r === 0) continue;
      rows.issue.push(ri / oi);
      rows.verify.push(rv / ov);
    }
    if (suite === 'eddsa-jcs-2022')
      line.push(
        `${label} jcs issue ${summarize(rows.issue).median.toFixed(2)}×, verify ${summarize(rows.verify).median.toFixed(2)}×`,
      );
  }
}
console.log(`${dir.replace(/\/$/, '').split('/').pop()}: ${line.join('; ')} (ours ÷ reference, throughput)`);
