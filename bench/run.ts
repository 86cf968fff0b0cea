/**
 * npm run bench — our library against the reference stack (@digitalbazaar/vc + Data Integrity), in one process,
 * interleaved round by round after a warm-up, with the same offline loader on both sides. Prints ms/op (median and
 * interquartile range) and the ratio reference/ours (>1 means we are faster), the share of our time spent in the
 * Ed25519 primitive, VC-JWT alone, cold start (load + first issue + first verify, each side in a fresh process),
 * and a worker-pool batch with peak RSS.
 *
 *   npm run bench                  # full run
 *   npm run bench -- --quick       # tiny counts (CI runs this so the benchmark cannot rot)
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importKey, issue, verify } from '../src/index';
import { createProof, verifyProofSet } from '../src/entries/proof';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';
import { referenceIssuer, referenceVerify, signedBothWays } from './reference';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { summarize, timeIt } from './stats';
import { variedCredentials } from './varied';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 15;
const ITER = quick ? 3 : 20;
const BATCH = quick ? 200 : 10_000;
const BATCH_RUNS = quick ? 1 : 7;
const ALONE_RUNS = quick ? 1 : 3;
const COLD_RUNS = quick ? 1 : 7;

interface Row {
  name: string;
  ours: number[];
  ref: number[];
}

/**
 * A full collection between sets of rows (then the warm-up round), so that a set does not start by paying for the
 * garbage an earlier set left: jsonld.js leaves megabytes per RDFC operation, which otherwise lands on whatever is
 * timed next. Within a set both sides still share one heap, as the interleaving requires. Needs --expose-gc
 * (npm run bench passes it); a no-op without.
 */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const ref = await referenceIssuer();
  const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
  const issuer = benchIssuer(key.controller);
  const credentials = { seed: seedCredential(issuer), large: largeCredential(issuer) };
  const rows: Row[] = [];
  const proofRows: Row[] = [];
  const results: Record<string, unknown> = {
    machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    quick,
  };

  for (const [label, credential] of Object.entries(credentials)) {
    for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const { ours: oursSigned, reference: refSigned } = await signedBothWays(
        { issue, verify, key },
        ref,
        credential,
        suite,
        `${label}/${suite}`,
      );
      const issueRow: Row = { name: `${label} ${suite} issue`, ours: [], ref: [] };
      const verifyRow: Row = { name: `${label} ${suite} verify`, ours: [], ref: [] };
      settle();
      for (let r = 0; r < ROUNDS + 1; r++) {
        const oi = await timeIt(() => issue(credential, { key, format: suite }), ITER);
        const ri = await timeIt(() => ref.issue(credential, suite), ITER);
        const ov = await timeIt(() => verify(oursSigned), ITER);
        const rv = await timeIt(() => referenceVerify(refSigned, suite), ITER);
        if (r === 0) continue; // warm-up round
        issueRow.ours.push(oi);
        issueRow.ref.push(ri);
        verifyRow.ours.push(ov);
        verifyRow.ref.push(rv);
      }
      rows.push(issueRow, verifyRow);
      // The proof step alone (createProof / verifyProofSet): no schema, data model, safe-mode, EU-element or
      // validity checks, i.e. closer to what the reference does. Shown apart, never in place of the full rows.
      const proofIssueRow: Row = { name: `${label} ${suite} proof only, sign`, ours: [], ref: [] };
      const proofVerifyRow: Row = { name: `${label} ${suite} proof only, verify`, ours: [], ref: [] };
      settle();
      for (let r = 0; r < ROUNDS + 1; r++) {
        const oi = await timeIt(
          () => createProof(credential as unknown as Record<string, unknown>, { key, cryptosuite: suite }),
          ITER,
        );
        const ri = await timeIt(() => ref.issue(credential, suite), ITER);
        const ov = await timeIt(() => verifyProofSet(oursSigned), ITER);
        const rv = await timeIt(() => referenceVerify(refSigned, suite), ITER);
        if (r === 0) continue;
        proofIssueRow.ours.push(oi);
        proofIssueRow.ref.push(ri);
        proofVerifyRow.ours.push(ov);
        proofVerifyRow.ref.push(rv);
      }
      proofRows.push(proofIssueRow, proofVerifyRow);
    }
  }

  // Varied generated credentials (bench/varied.ts), each its own achievement: a round issues, then verifies, each of
  // them once per side, interleaved; the rows are ms per credential.
  const varied = variedCredentials(issuer, quick ? 5 : 30);
  const oursVaried: object[] = [];
  const refVaried: object[] = [];
  for (const credential of varied) {
    const { ours, reference } = await signedBothWays(
      { issue, verify, key },
      ref,
      credential,
      'eddsa-rdfc-2022',
      'varied',
    );
    oursVaried.push(ours);
    refVaried.push(reference);
  }
  const variedIssueRow: Row = { name: 'varied eddsa-rdfc-2022 issue', ours: [], ref: [] };
  const variedVerifyRow: Row = { name: 'varied eddsa-rdfc-2022 verify', ours: [], ref: [] };
  const each = async (list: object[], fn: (x: object) => Promise<unknown>) => {
    for (const x of list) await fn(x);
  };
  settle();
  for (let r = 0; r < ROUNDS + 1; r++) {
    const oi = await timeIt(() => each(varied, (c) => issue(c, { key })), 1);
    const ri = await timeIt(() => each(varied, (c) => ref.issue(c, 'eddsa-rdfc-2022')), 1);
    const ov = await timeIt(() => each(oursVaried, (c) => verify(c)), 1);
    const rv = await timeIt(() => each(refVaried, (c) => referenceVerify(c, 'eddsa-rdfc-2022')), 1);
    if (r === 0) continue;
    variedIssueRow.ours.push(oi / varied.length);
    variedIssueRow.ref.push(ri / varied.length);
    variedVerifyRow.ours.push(ov / varied.length);
    variedVerifyRow.ref.push(rv / varied.length);
  }
  rows.push(variedIssueRow, variedVerifyRow);

  // The floor: one Ed25519 signature over the 64-byte hashData.
  const data = new Uint8Array(64);
  const signRounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) signRounds.push(await timeIt(() => key.sign(data), ITER * 10));
  const sign = summarize(signRounds);
  // And one verification, which bounds any verify from below (JCS verify included).
  const signature = await key.sign(data);
  const verifyRounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) verifyRounds.push(await timeIt(() => key.verify(data, signature), ITER * 10));
  const ed25519Verify = summarize(verifyRounds);
  const jwtIssue: number[] = [];
  const jwtVerify: number[] = [];
  const jwt = await issue(credentials.seed, { key, format: 'vc-jwt' });
  settle();
  for (let r = 0; r < ROUNDS; r++) {
    jwtIssue.push(await timeIt(() => issue(credentials.seed, { key, format: 'vc-jwt' }), ITER));
    jwtVerify.push(await timeIt(() => verify(jwt), ITER));
  }

  console.log(`\n${results.machine}${quick ? ' (quick run: tiny counts, figures not meaningful)' : ''}\n`);
  console.log(
    'operation                              ours ms/op (IQR)        reference ms/op (IQR)   ref/ours   Ed25519 share',
  );
  const table: Record<string, unknown>[] = [];
  for (const row of rows) {
    const o = summarize(row.ours);
    const f = summarize(row.ref);
    const ratio = f.median / o.median;
    const share = row.name.includes('issue') ? sign.median / o.median : undefined;
    table.push({ operation: row.name, ours: o, reference: f, ratio });
    console.log(
      `${row.name.padEnd(38)} ${fmt(o)}   ${fmt(f)}   ${ratio.toFixed(2).padStart(6)}×   ${share === undefined ? '' : `${(share * 100).toFixed(1)}%`}`,
    );
  }
  console.log(
    '\nproof step alone (ours: createProof / verifyProofSet; reference: the same full issue / verify as above)',
  );
  const proofTable: Record<string, unknown>[] = [];
  for (const row of proofRows) {
    const o = summarize(row.ours);
    const f = summarize(row.ref);
    proofTable.push({ operation: row.name, ours: o, reference: f, ratio: f.median / o.median });
    console.log(`${row.name.padEnd(38)} ${fmt(o)}   ${fmt(f)}   ${(f.median / o.median).toFixed(2).padStart(6)}×`);
  }
  results.proofOnly = proofTable;
  const ji = summarize(jwtIssue);
  const jv = summarize(jwtVerify);
  console.log(`${'seed vc-jwt (EdDSA) issue'.padEnd(38)} ${fmt(ji)}   (no reference: @digitalbazaar/vc has no VC-JWT)`);
  console.log(`${'seed vc-jwt (EdDSA) verify'.padEnd(38)} ${fmt(jv)}`);
  console.log(`Ed25519 sign alone: ${sign.median.toFixed(3)} ms, verify alone: ${ed25519Verify.median.toFixed(3)} ms`);
  results.table = table;
  results.jwt = { issue: ji, verify: jv };
  results.ed25519Sign = sign;
  results.ed25519Verify = ed25519Verify;

  // Each side alone in its own process (bench/alone.ts), alternating which goes first, median of the runs.
  const aloneRuns: Record<'ours' | 'reference', Record<string, number>[]> = { ours: [], reference: [] };
  for (let run = 0; run < ALONE_RUNS; run++) {
    for (const side of run % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const)) {
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./alone.ts', import.meta.url)),
          '--side',
          side,
          ...(quick ? ['--quick'] : []),
        ],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`bench/alone.ts --side ${side} failed: ${child.stderr}`);
      aloneRuns[side].push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>);
    }
  }
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const aloneTable = Object.keys(aloneRuns.ours[0]!)
    .filter((operation) => !operation.endsWith('÷ floor'))
    .map((operation) => {
      const ours = middle(aloneRuns.ours.map((r) => r[operation]!));
      const reference = middle(aloneRuns.reference.map((r) => r[operation]!));
      return { operation, ours, reference, ratio: reference / ours };
    });
  console.log(
    `\neach side alone in its own process (median of ${ALONE_RUNS} runs per side, after ≥ 2 s of warm-up per operation)`,
  );
  for (const row of aloneTable)
    console.log(
      `${row.operation.padEnd(38)} ${row.ours.toFixed(3).padStart(7)}                 ${row.reference.toFixed(3).padStart(7)}                ${row.ratio.toFixed(2).padStart(6)}×`,
    );
  results.alone = aloneTable;
  // Our verify against the floor (one node:crypto Ed25519 verification timed after each verify round, bench/alone.ts):
  // the median over our runs of each run's median ratio.
  const floorRatios = Object.fromEntries(
    ['seed eddsa-rdfc-2022 verify', 'varied eddsa-rdfc-2022 verify', 'large eddsa-rdfc-2022 verify'].map(
      (operation) => [operation, middle(aloneRuns.ours.map((r) => r[`${operation} ÷ floor`]!))],
    ),
  );
  for (const [operation, ratio] of Object.entries(floorRatios))
    console.log(`${operation.padEnd(38)} ${ratio.toFixed(1)}× one Ed25519 verification (ours alone, same process)`);
  results.aloneFloorRatios = floorRatios;

  // Cold start (bench/cold.mjs, built package): load, first issue and first verify in a fresh process per side,
  // sides alternating, median of the runs field by field.
  if (!fs.existsSync(new URL('../dist/index.js', import.meta.url)))
    throw new Error('the cold-start and batch benchmarks run the built package: run "npm run build" first');
  const coldInput = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-')), 'cold.json');
  fs.writeFileSync(
    coldInput,
    JSON.stringify({
      credential: credentials.seed,
      publicKeyMultibase: ref.publicKeyMultibase,
      secretKeyMultibase: ref.secretKeyMultibase,
      signedByOurs: await issue(credentials.seed, { key }),
      signedByReference: await ref.issue(credentials.seed),
      contexts: BUNDLED_CONTEXTS,
    }),
  );
  const coldRuns: Record<'ours' | 'reference', ColdResult[]> = { ours: [], reference: [] };
  for (let run = 0; run < COLD_RUNS; run++) {
    for (const side of run % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const)) {
      const child = spawnSync(
        process.execPath,
        [fileURLToPath(new URL('./cold.mjs', import.meta.url)), '--side', side, '--input', coldInput],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`bench/cold.mjs --side ${side} failed: ${child.stderr}`);
      coldRuns[side].push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ColdResult);
    }
  }
  fs.rmSync(path.dirname(coldInput), { recursive: true, force: true });
  const coldMedian = (side: 'ours' | 'reference'): ColdResult => {
    const fields = ['load', 'firstIssue', 'firstVerify', 'total'] as const;
    return Object.fromEntries(fields.map((f) => [f, middle(coldRuns[side].map((r) => r[f]))])) as unknown as ColdResult;
  };
  const cold = { ours: coldMedian('ours'), reference: coldMedian('reference') };
  console.log(
    `\ncold start, a fresh process per run (median of ${COLD_RUNS} runs per side): load, first eddsa-rdfc-2022 issue, first verify`,
  );
  for (const side of ['ours', 'reference'] as const) {
    const c = cold[side];
    console.log(
      `${side.padEnd(10)} load ${c.load.toFixed(1)} ms, first issue ${c.firstIssue.toFixed(1)} ms, first verify ${c.firstVerify.toFixed(1)} ms, total ${c.total.toFixed(1)} ms`,
    );
  }
  results.cold = cold;

  // Batch: a cohort issued by a worker pool, 1 worker vs one per core, each run in a fresh process (bench/batch.mjs,
  // on the built package) so that its peak RSS is the batch's alone.
  const cores = os.cpus().length;
  const batch: BatchResult[] = [];
  // Several rounds, each running every pool size back to back (order alternating between rounds) so that a noisy
  // neighbour hits both alike; each row is the run with the median throughput, and the speed-up is the median of
  // the per-round ratios, which follows this shared VM's drifting speed better than a ratio of medians.
  const sizes = [...new Set([1, cores])];
  const runs = new Map<number, BatchResult[]>(sizes.map((n) => [n, []]));
  for (let round = 0; round < BATCH_RUNS; round++) {
    for (const workers of round % 2 === 0 ? sizes : [...sizes].reverse()) {
      const run = spawnSync(
        process.execPath,
        [
          fileURLToPath(new URL('./batch.mjs', import.meta.url)),
          '--workers',
          String(workers),
          '--count',
          String(BATCH),
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`batch with ${workers} worker(s) failed: ${run.stderr}`);
      runs.get(workers)!.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as BatchResult);
    }
  }
  for (const workers of sizes) {
    const sorted = [...runs.get(workers)!].sort((a, b) => a.perSecond - b.perSecond);
    const result = { ...sorted[Math.floor(sorted.length / 2)]!, runs: sorted.map((r) => Math.round(r.perSecond)) };
    batch.push(result);
    console.log(
      `batch: ${result.credentials} credentials with ${workers} worker(s): ${result.perSecond.toFixed(0)}/s including start-up (runs: ${result.runs.join(', ')}), ${result.steadyPerSecond.toFixed(0)}/s after it; ${result.coresBusy.toFixed(2)} cores busy; peak RSS ${result.peakRssMb.toFixed(0)} MB`,
    );
  }
  const peakRssMb = Math.max(...batch.map((b) => b.peakRssMb));
  if (sizes.length > 1) {
    const ones = runs.get(1)!;
    const alls = runs.get(cores)!;
    const paired = (field: 'perSecond' | 'steadyPerSecond') => ones.map((one, r) => alls[r]![field] / one[field]);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const speedUp = {
      workers: cores,
      withStartUp: median(paired('perSecond')),
      afterStartUp: median(paired('steadyPerSecond')),
      rounds: paired('perSecond'),
    };
    results.batchSpeedUp = speedUp;
    console.log(
      `batch speed-up with ${cores} workers (median of ${BATCH_RUNS} rounds): ${speedUp.withStartUp.toFixed(2)}× including start-up (rounds: ${speedUp.rounds.map((x) => x.toFixed(2)).join(', ')}), ${speedUp.afterStartUp.toFixed(2)}× after it`,
    );
  }
  results.batch = batch;
  results.peakRssMb = peakRssMb;
  fs.writeFileSync(
    new URL(quick ? './results-quick.json' : './results.json', import.meta.url),
    JSON.stringify(results, null, 2) + '\n',
  );
  if (!quick) fs.writeFileSync(new URL('./results.md', import.meta.url), markdown(results, table, proofTable));
}

/** The README's table: throughput ratios are reference ms / our ms (higher is better for us). */
function markdown(
  results: Record<string, unknown>,
  table: Record<string, unknown>[],
  proofTable: Record<string, unknown>[],
): string {
  const ms = (s: unknown) => (s as { median: number }).median.toFixed(3);
  const line = (r: Record<string, unknown>) =>
    `| ${String(r.operation)} | ${ms(r.ours)} | ${ms(r.reference)} | ${(r.ratio as number).toFixed(1)}× |`;
  const batch = results.batch as BatchResult[];
  const jwt = results.jwt as { issue: unknown; verify: unknown };
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${String(results.machine)}; medians of ${ROUNDS} interleaved rounds of ${ITER}.`,
    '',
    '| operation (full `issue` / `verify`) | ours ms/op | reference ms/op | our throughput ÷ reference |',
    '|---|---:|---:|---:|',
    ...table.map(line),
    `| seed vc-jwt (EdDSA) issue | ${ms(jwt.issue)} | — | — |`,
    `| seed vc-jwt (EdDSA) verify | ${ms(jwt.verify)} | — | — |`,
    '',
    "| proof step alone (`createProof` / `verifyProofSet`) vs the reference's full issue / verify | ours ms/op | reference ms/op | ratio |",
    '|---|---:|---:|---:|',
    ...proofTable.map(line),
    '',
    `| each side alone in its own process (median of ${ALONE_RUNS} runs each, after ≥ 2 s of warm-up per operation) | ours ms/op | reference ms/op | our throughput ÷ reference |`,
    '|---|---:|---:|---:|',
    ...(results.alone as { operation: string; ours: number; reference: number; ratio: number }[]).map(
      (r) => `| ${r.operation} | ${r.ours.toFixed(3)} | ${r.reference.toFixed(3)} | ${r.ratio.toFixed(1)}× |`,
    ),
    '',
    `Ours alone, full verify ÷ one node:crypto Ed25519 verification in the same process (median of the runs' ratios): ${Object.entries(
      results.aloneFloorRatios as Record<string, number>,
    )
      .map(([operation, ratio]) => `${operation} ${ratio.toFixed(1)}×`)
      .join(
        ', ',
      )}. The varied rows: ${quick ? 5 : 30} (shared process) and 50 (alone) generated micro-credentials (bench/varied.ts), ms per credential.`,
    '',
    `Ed25519 alone (node:crypto, 64 bytes): sign ${ms(results.ed25519Sign)} ms, verify ${ms(results.ed25519Verify)} ms.`,
    '',
    `Cold start: a fresh process loads one side (our built package, or the reference stack), issues the seed credential once (eddsa-rdfc-2022) and verifies the other side's once; median of ${COLD_RUNS} runs per side, sides alternating:`,
    '',
    '| side | load ms | first issue ms | first verify ms | total ms |',
    '|---|---:|---:|---:|---:|',
    ...(['ours', 'reference'] as const).map((side) => {
      const c = (results.cold as Record<string, ColdResult>)[side]!;
      return `| ${side} | ${c.load.toFixed(1)} | ${c.firstIssue.toFixed(1)} | ${c.firstVerify.toFixed(1)} | ${c.total.toFixed(1)} |`;
    }),
    '',
    `Batch of ${batch[0]!.credentials} credentials (seed course, eddsa-rdfc-2022, worker_threads, built package, a fresh process per run, ${BATCH_RUNS} rounds of one run per pool size):`,
    '',
    '| workers | credentials/s incl. start-up (median run) | all runs | credentials/s after start-up | cores busy | peak RSS |',
    '|---:|---:|---:|---:|---:|---:|',
    ...batch.map(
      (b) =>
        `| ${b.workers} | ${b.perSecond.toFixed(0)} | ${(b.runs ?? []).join(', ')} | ${b.steadyPerSecond.toFixed(0)} | ${b.coresBusy.toFixed(2)} | ${b.peakRssMb.toFixed(0)} MB |`,
    ),
    ...(results.batchSpeedUp
      ? (() => {
          const s = results.batchSpeedUp as {
            workers: number;
            withStartUp: number;
            afterStartUp: number;
            rounds: number[];
          };
          return [
            '',
            `Speed-up with ${s.workers} workers, median of the ${s.rounds.length} rounds' ratios: ${s.withStartUp.toFixed(2)}× including start-up (rounds: ${s.rounds.map((x) => x.toFixed(2)).join(', ')}), ${s.afterStartUp.toFixed(2)}× after it.`,
          ];
        })()
      : []),
    '',
  ].join('\n');
}

interface ColdResult {
  load: number;
  firstIssue: number;
  firstVerify: number;
  total: number;
}

interface BatchResult {
  workers: number;
  credentials: number;
  seconds: number;
  perSecond: number;
  steadySeconds: number;
  steadyPerSecond: number;
  coresBusy: number;
  peakRssMb: number;
  /** credentials/s of every run of this pool size, lowest first (the row is the median run). */
  runs?: number[];
}

function fmt(s: { median: number; p25: number; p75: number }): string {
  return `${s.median.toFixed(3).padStart(7)} (${s.p25.toFixed(3)}–${s.p75.toFixed(3)})`.padEnd(22);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
