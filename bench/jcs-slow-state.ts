/**
 * The JCS writer in the state that made the shared-process eddsa-jcs-2022 issue bimodal: its string reads made
 * megamorphic by strings of many representations (flat, cons, sliced, thin, one- or two-byte), as jsonld.js's work
 * in the same process did in some processes. `canonicalizeJcsBytes` of the large credential is timed.
 *
 *   node --import tsx bench/jcs-slow-state.ts [DIR] [--reference N] [--loops N]
 *     one eddsa-jcs-2022 issue, then the reference verifies one of our eddsa-rdfc-2022 credentials N times (20 by
 *     default; 0 for the control), then the timing. One process lands in one state: run several, DIR=/work/main beside.
 *   node --import tsx bench/jcs-slow-state.ts [DIR] --check [--limit 2]
 *     deterministic, in one process: two instances of the writer, one first handed strings of six representations,
 *     timed alternately (which goes first alternates too); the median of the per-round ratios (≈1 when the writer
 *     does not depend on what it met, up to ~1.5 on a loaded machine; ~3 with the `text.charCodeAt(i)` loop).
 *     Exits 1 above the limit.
 */
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const dir = args[0] && !args[0].startsWith('--') ? resolve(args[0]) : new URL('..', import.meta.url).pathname;
type Jcs = typeof import('../src/proof/jcs');
const writer = async (instance: string) => (await import(`${dir}/src/proof/jcs.ts?${instance}`)) as Jcs;
const { benchIssuer, largeCredential } = await import('./fixtures');
const loops = flag('--loops', 2000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** µs per canonicalizeJcsBytes(value), one sample of `n` calls. */
function sample(jcs: Jcs, value: unknown, n: number): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) jcs.canonicalizeJcsBytes(value);
  return ((performance.now() - start) * 1000) / n;
}

if (args.includes('--check')) {
  const large = largeCredential(benchIssuer('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'));
  const clean = await writer('clean');
  const met = await writer('met-many-representations');
  // Two module instances are what makes the comparison: one module loaded twice would measure nothing.
  if (clean === met || clean.canonicalizeJcsBytes === met.canonicalizeJcsBytes)
    throw new Error(`${dir}/src/proof/jcs.ts loaded once for both writers; the check needs two instances`);
  const base = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3);
  const thin = `${base}-${Date.now()}`;
  const keyed: Record<string, number> = { [thin]: 1 }; // internalizing the key leaves `thin` a thin string
  const representations = [
    base,
    base.slice(1, 90),
    base + String(Math.random()),
    JSON.parse(JSON.stringify(`${base}x`)) as string,
    `ab\u0100${base}`.slice(3),
    Object.keys(keyed).length ? thin : '',
  ];
  for (let i = 0; i < 3000; i++) for (const text of representations) met.canonicalizeJcsBytes(text);
  for (let i = 0; i < 300; i++) for (const jcs of [clean, met]) jcs.canonicalizeJcsBytes(large);
  const times = { clean: [] as number[], met: [] as number[] };
  for (let round = 0; round < 21; round++) {
    if (round % 2) {
      times.met.push(sample(met, large, 50));
      times.clean.push(sample(clean, large, 50));
    } else {
      times.clean.push(sample(clean, large, 50));
      times.met.push(sample(met, large, 50));
    }
  }
  const ratio = median(times.met.map((t, i) => t / times.clean[i]!));
  const limit = flag('--limit', 2);
  console.log(
    `canonicalizeJcsBytes(large): ${median(times.clean).toFixed(1)} µs; after strings of six representations ` +
      `${median(times.met).toFixed(1)} µs (${ratio.toFixed(2)}×, limit ${limit}×)`,
  );
  if (ratio > limit) process.exitCode = 1;
} else {
  const jcs = await writer('one');
  type Lib = typeof import('../src/index');
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  const { referenceIssuer, referenceVerify } = await import('./reference');
  const ref = await referenceIssuer();
  const key = lib.importKey({ secretKeyMultibase: ref.secretKeyMultibase });
  const large = largeCredential(benchIssuer(key.controller));
  // The library's own JCS issue runs its own instance of the writer; this one is timed, so it runs once too.
  jcs.canonicalizeJcsBytes(large);
  await lib.issue(large, { key, format: 'eddsa-jcs-2022' });
  const rdfc = await lib.issue(large, { key, format: 'eddsa-rdfc-2022' });
  for (let i = 0; i < flag('--reference', 20); i++) await referenceVerify(rdfc, 'eddsa-rdfc-2022');
  const times: number[] = [];
  for (let round = 0; round < 10; round++) times.push(sample(jcs, large, loops / 10));
  console.log(
    `canonicalizeJcsBytes(large): median ${median(times).toFixed(1)} µs (min ${Math.min(...times).toFixed(1)})`,
  );
}
