/**
 * Before/after of a whole verify at steady state, in one process: two checkouts loaded side by side (as
 * bench/ab-checks.ts takes them), each verify warmed up 3,000 times, then timed in rounds that alternate which side
 * goes first, with one Ed25519 verification timed in every round as the yardstick. Process CPU time per verify,
 * medians, and the after/before ratio paired round by round. bench/ab-checks.ts warms up ~300 runs, after which our
 * verify is still being optimised (docs/speed.md, "Verify checks, part three"); a change of 1-2% needs this one, run
 * in both orders (the side loaded second tends to run a little slower). The input is the signed credential object
 * (each verify reads it once into a copy), or with `text` its JSON text (parsed, its names checked, no copy).
 *
 *   node --import tsx bench/ab-steady.ts BEFORE_DIR AFTER_DIR [rounds] [jcs|rdfc] [object|text]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg, suiteArg, inputArg] = process.argv.slice(2);
if (!beforeDir || !afterDir)
  throw new Error('usage: bench/ab-steady.ts BEFORE_DIR AFTER_DIR [rounds] [jcs|rdfc] [object|text]');
const AS_TEXT = inputArg === 'text';
const ROUNDS = Number(roundsArg ?? 41);
const FORMAT = suiteArg === 'rdfc' ? 'eddsa-rdfc-2022' : 'eddsa-jcs-2022';
const PER_ROUND = 150;
type Lib = typeof import('../src/index');
const sides = [(await import(`${beforeDir}/src/index.ts`)) as Lib, (await import(`${afterDir}/src/index.ts`)) as Lib];
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { secretKeyMultibase } = await referenceIssuer();

const verifies: (() => Promise<unknown>)[] = [];
for (const lib of sides) {
  const key = lib.importKey({ secretKeyMultibase });
  const signed = await lib.issue(seedCredential(benchIssuer(key.controller)), { key, format: FORMAT });
  const input = AS_TEXT ? JSON.stringify(signed) : signed;
  if (!(await lib.verify(input)).verified) throw new Error('not verified');
  verifies.push(() => lib.verify(input));
}
const key = sides[0]!.importKey({ secretKeyMultibase });
const data = new Uint8Array(64);
const signature = await key.sign(data);
const floor = () => key.verify(data, signature);

async function cpuPerOp(op: () => Promise<unknown>, n: number): Promise<number> {
  const since = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const used = process.cpuUsage(since);
  return (used.user + used.system) / n;
}

for (let i = 0; i < 3000; i++) for (const op of verifies) await op();
const before: number[] = [];
const after: number[] = [];
const floors: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let b: number;
  let a: number;
  if (round % 2 === 0) {
    b = await cpuPerOp(verifies[0]!, PER_ROUND);
    a = await cpuPerOp(verifies[1]!, PER_ROUND);
  } else {
    a = await cpuPerOp(verifies[1]!, PER_ROUND);
    b = await cpuPerOp(verifies[0]!, PER_ROUND);
  }
  before.push(b);
  after.push(a);
  ratios.push(a / b);
  floors.push(await cpuPerOp(floor, 300));
}
const median = (values: number[]) => summarize(values).median;
const floorUs = median(floors);
console.log(
  `${FORMAT} verify of ${AS_TEXT ? 'JSON text' : 'an object'} at steady state: before ${(median(before) / floorUs).toFixed(3)}, after ${(median(after) / floorUs).toFixed(3)} Ed25519 verifications; after/before paired ${median(ratios).toFixed(4)} (${ROUNDS} rounds of ${PER_ROUND}; Ed25519 ${floorUs.toFixed(1)} µs CPU)`,
);
