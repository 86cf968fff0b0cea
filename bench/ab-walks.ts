/**
 * The walks over one document that run before JSON-LD processing, before/after in one process: two checkouts loaded
 * side by side (as bench/ab-checks.ts takes them) and timed alternately, round by round, on the seed credential
 * signed with eddsa-jcs-2022: the compacted-form walk (`checkCompactedForm`), the safe-mode walk (`checkSafeMode`,
 * which includes the context-limit scan and the size bound), the one walk of both on the verify path (`compactedAndSafe`,
 * with the size bound), the context-limit scan alone, and the RDFC-1.0
 * canonicalization of the credential without its proof (`fastCanonize`: the walk to quads, then RDFC-1.0). Process CPU time per
 * operation, medians, the after/before ratio paired round by round, and one Ed25519 verification as the yardstick.
 *
 *   node --import tsx bench/ab-walks.ts /path/to/before /path/to/after [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-walks.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
type Form = typeof import('../src/jsonld/compacted-form');
type Fast = typeof import('../src/jsonld/fast/index');
type Limits = typeof import('../src/jsonld/context-limits');
type OneWalk = typeof import('../src/jsonld/compacted-and-safe');
type Bounds = typeof import('../src/jsonld/document-bounds');
type Loader = typeof import('../src/jsonld/loader');
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { secretKeyMultibase } = await referenceIssuer();

const ops: Record<string, () => unknown> = {};
let floorOp: (() => Promise<unknown>) | undefined;
for (const [side, dir] of [
  ['before', beforeDir],
  ['after', afterDir],
] as const) {
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  const form = (await import(`${dir}/src/jsonld/compacted-form.ts`)) as Form;
  const fast = (await import(`${dir}/src/jsonld/fast/index.ts`)) as Fast;
  const limits = (await import(`${dir}/src/jsonld/context-limits.ts`)) as Limits;
  const oneWalk = (await import(`${dir}/src/jsonld/compacted-and-safe.ts`)) as OneWalk;
  const { jsonLengthBound } = (await import(`${dir}/src/jsonld/document-bounds.ts`)) as Bounds;
  const { defaultDocumentLoader } = (await import(`${dir}/src/jsonld/loader.ts`)) as Loader;
  const key = lib.importKey({ secretKeyMultibase });
  const signed = (await lib.issue(seedCredential(benchIssuer(key.controller)), {
    key,
    format: 'eddsa-jcs-2022',
  })) as unknown as Record<string, unknown>;
  ops[`${side} compacted form`] = () => form.checkCompactedForm(signed);
  ops[`${side} safe mode`] = () => fast.checkSafeMode(signed);
  // The verify path's one walk (compacted form and safe mode together), as the signed-form step runs it.
  ops[`${side} one walk`] = async () => {
    const bounds = { lengthBound: jsonLengthBound(signed), overContextLimits: () => false, problem: () => undefined };
    if (!(await oneWalk.compactedAndSafe(signed, defaultDocumentLoader, bounds))) throw new Error(`${side}: one walk`);
  };
  const { proof: _proof, ...unsecured } = signed;
  ops[`${side} fastCanonize`] = () => fast.fastCanonize(unsecured);
  ops[`${side} context limits`] = () => limits.contextLimitProblem(signed, { maxInlineTerms: 256 });
  if (!floorOp) {
    const data = new Uint8Array(64);
    const signature = await key.sign(data);
    floorOp = () => key.verify(data, signature);
  }
}
ops['ed25519 verify'] = floorOp!;
for (const op of Object.values(ops)) for (let i = 0; i < 300; i++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 15); r++) {
  for (const [name, op] of Object.entries(ops)) {
    const n = name.startsWith('ed25519') ? 400 : 200;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / n);
  }
}
const median = (xs: number[]) => summarize(xs).median;
const floor = median(cpu['ed25519 verify']!);
for (const op of ['compacted form', 'safe mode', 'one walk', 'context limits', 'fastCanonize']) {
  const b = cpu[`before ${op}`]!;
  const a = cpu[`after ${op}`]!;
  const paired = median(a.map((x, i) => x / b[i]!));
  console.log(
    `${op.padEnd(15)} before ${(median(b) * 1000).toFixed(1)} µs (${(median(b) / floor).toFixed(2)} floors)  after ${(median(a) * 1000).toFixed(1)} µs (${(median(a) / floor).toFixed(2)} floors)  after/before ${paired.toFixed(3)}`,
  );
}
console.log(`Ed25519 verify ${(floor * 1000).toFixed(1)} µs CPU`);
