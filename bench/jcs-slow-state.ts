/**
 * The shared-process JCS slowdown in a few seconds, one process per state (run several, and /work/main beside):
 * one eddsa-jcs-2022 issue, then the reference verifies one of our eddsa-rdfc-2022 credentials `--reference N`
 * times (20 by default; 0 for the control), then `canonicalizeJcsBytes` of the large credential is timed in a loop.
 * `--representations` first hands the writer strings in six representations (flat, cons, sliced, thin, internalized,
 * two-byte sliced), which makes the writer's string reads megamorphic deterministically, as the reference's work does
 * in some processes.
 *
 *   node --import tsx bench/jcs-slow-state.ts [DIR] [--reference N] [--representations] [--loops N]
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const dir = args[0] && !args[0].startsWith('--') ? args[0] : new URL('..', import.meta.url).pathname;
type Lib = typeof import('../src/index');
const lib = (await import(`${dir}/src/index.ts`)) as Lib;
const { canonicalizeJcsBytes } = (await import(`${dir}/src/proof/jcs.ts`)) as typeof import('../src/proof/jcs');
const { benchIssuer, largeCredential } = await import('./fixtures');
const { referenceIssuer, referenceVerify } = await import('./reference');

const ref = await referenceIssuer();
const key = lib.importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const large = largeCredential(benchIssuer(key.controller));
if (args.includes('--representations')) {
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
  for (let i = 0; i < 3000; i++) for (const text of representations) canonicalizeJcsBytes(text);
}
await lib.issue(large, { key, format: 'eddsa-jcs-2022' });
const rdfc = await lib.issue(large, { key, format: 'eddsa-rdfc-2022' });
for (let i = 0; i < flag('--reference', 20); i++) await referenceVerify(rdfc, 'eddsa-rdfc-2022');

const loops = flag('--loops', 2000);
const times: number[] = [];
for (let round = 0; round < 10; round++) {
  const start = performance.now();
  for (let i = 0; i < loops / 10; i++) canonicalizeJcsBytes(large);
  times.push(((performance.now() - start) * 1000) / (loops / 10));
}
times.sort((a, b) => a - b);
console.log(`canonicalizeJcsBytes(large): median ${times[5]!.toFixed(1)} µs (min ${times[0]!.toFixed(1)})`);
