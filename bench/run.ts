/**
 * npm run bench — our library against the reference stack (@digitalbazaar/vc + Data Integrity), in one process,
 * interleaved round by round after a warm-up, with the same offline loader on both sides. Prints ms/op (median and
 * interquartile range) and the ratio reference/ours (>1 means we are faster), the share of our time spent in the
 * Ed25519 primitive, VC-JWT alone, and a worker-pool batch with peak RSS.
 *
 *   npm run bench                  # full run
 *   npm run bench -- --quick       # tiny counts (CI runs this so the benchmark cannot rot)
 */
import os from 'node:os';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { generateKey, importKey, issue, verify } from '../src/index';
import { referenceIssuer, referenceVerify } from './reference';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { summarize, timeIt } from './stats';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 15;
const ITER = quick ? 3 : 20;
const BATCH = quick ? 200 : 10_000;

interface Row { name: string; ours: number[]; ref: number[] }

async function main(): Promise<void> {
  const ref = await referenceIssuer();
  const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
  const issuer = benchIssuer(key.controller);
  const credentials = { seed: seedCredential(issuer), large: largeCredential(issuer) };
  const rows: Row[] = [];
  const results: Record<string, unknown> = { machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, quick };

  for (const [label, credential] of Object.entries(credentials)) {
    for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const oursSigned = await issue(credential, { key, format: suite });
      const refSigned = await ref.issue(credential, suite);
      // Both sides must accept each other's output before their speed means anything.
      if (!(await referenceVerify(oursSigned, suite)).verified || !(await verify(refSigned)).verified) throw new Error(`${label}/${suite}: interop broken`);
      const issueRow: Row = { name: `${label} ${suite} issue`, ours: [], ref: [] };
      const verifyRow: Row = { name: `${label} ${suite} verify`, ours: [], ref: [] };
      for (let r = 0; r < ROUNDS + 1; r++) {
        const oi = await timeIt(() => issue(credential, { key, format: suite }), ITER);
        const ri = await timeIt(() => ref.issue(credential, suite), ITER);
        const ov = await timeIt(() => verify(oursSigned), ITER);
        const rv = await timeIt(() => referenceVerify(refSigned, suite), ITER);
        if (r === 0) continue; // warm-up round
        issueRow.ours.push(oi); issueRow.ref.push(ri); verifyRow.ours.push(ov); verifyRow.ref.push(rv);
      }
      rows.push(issueRow, verifyRow);
    }
  }

  // The floor: one Ed25519 signature over the 64-byte hashData.
  const data = new Uint8Array(64);
  const sign = summarize(await Promise.all(Array.from({ length: ROUNDS }, () => timeIt(() => key.sign(data), ITER * 10))));
  const jwtIssue: number[] = [];
  const jwtVerify: number[] = [];
  const jwt = await issue(credentials.seed, { key, format: 'vc-jwt' });
  for (let r = 0; r < ROUNDS; r++) {
    jwtIssue.push(await timeIt(() => issue(credentials.seed, { key, format: 'vc-jwt' }), ITER));
    jwtVerify.push(await timeIt(() => verify(jwt), ITER));
  }

  console.log(`\n${results.machine}${quick ? ' (quick run: tiny counts, figures not meaningful)' : ''}\n`);
  console.log('operation                              ours ms/op (IQR)        reference ms/op (IQR)   ref/ours   Ed25519 share');
  const table: Record<string, unknown>[] = [];
  for (const row of rows) {
    const o = summarize(row.ours);
    const f = summarize(row.ref);
    const ratio = f.median / o.median;
    const share = row.name.includes('issue') ? sign.median / o.median : undefined;
    table.push({ operation: row.name, ours: o, reference: f, ratio });
    console.log(`${row.name.padEnd(38)} ${fmt(o)}   ${fmt(f)}   ${ratio.toFixed(2).padStart(6)}×   ${share === undefined ? '' : `${(share * 100).toFixed(1)}%`}`);
  }
  const ji = summarize(jwtIssue);
  const jv = summarize(jwtVerify);
  console.log(`${'seed vc-jwt (EdDSA) issue'.padEnd(38)} ${fmt(ji)}   (no reference: @digitalbazaar/vc has no VC-JWT)`);
  console.log(`${'seed vc-jwt (EdDSA) verify'.padEnd(38)} ${fmt(jv)}`);
  console.log(`Ed25519 sign alone: ${sign.median.toFixed(3)} ms`);
  results.table = table;
  results.jwt = { issue: ji, verify: jv };
  results.ed25519Sign = sign;

  // Batch: a cohort issued by a worker pool, 1 worker vs one per core.
  const cores = os.cpus().length;
  const batch: Record<string, unknown>[] = [];
  for (const workers of [...new Set([1, cores])]) {
    const start = performance.now();
    const per = Math.ceil(BATCH / workers);
    const counts = await Promise.all(
      Array.from({ length: workers }, (_, w) => runWorker(ref.secretKeyMultibase, w * per, Math.min(BATCH, (w + 1) * per))),
    );
    const seconds = (performance.now() - start) / 1000;
    const total = counts.reduce((a, b) => a + b, 0);
    batch.push({ workers, credentials: total, perSecond: total / seconds });
    console.log(`batch: ${total} credentials with ${workers} worker(s): ${(total / seconds).toFixed(0)} credentials/s`);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`batch speed-up ${((batch.at(-1)!.perSecond as number) / (batch[0]!.perSecond as number)).toFixed(2)}× with ${cores} workers; peak RSS ${peakRssMb.toFixed(0)} MB`);
  results.batch = batch;
  results.peakRssMb = peakRssMb;
  fs.writeFileSync(new URL(quick ? './results-quick.json' : './results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
}

function runWorker(secretKeyMultibase: string, from: number, to: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./batch-worker-boot.mjs', import.meta.url), { workerData: { secretKeyMultibase, from, to } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

function fmt(s: { median: number; p25: number; p75: number }): string {
  return `${s.median.toFixed(3).padStart(7)} (${s.p25.toFixed(3)}–${s.p75.toFixed(3)})`.padEnd(22);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
