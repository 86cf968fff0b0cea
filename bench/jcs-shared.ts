/**
 * eddsa-jcs-2022 in the shared process (as `npm run bench` measures it), in a few seconds: two checkouts of this
 * library (e.g. /work/main and this one) and the reference stack issue and verify the seed credential in one
 * process, interleaved round by round, so that each side pays for the others' garbage as in the full benchmark.
 * Process CPU time per operation, medians; each side's ratio to the reference is taken round by round.
 *
 *   node --import tsx bench/jcs-shared.ts BEFORE_DIR AFTER_DIR [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/jcs-shared.ts BEFORE_DIR AFTER_DIR [rounds]');
type Lib = typeof import('../src/index');
const sides = [
  ['before', (await import(`${beforeDir}/src/index.ts`)) as Lib],
  ['after', (await import(`${afterDir}/src/index.ts`)) as Lib],
] as const;
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer, referenceVerify } = await import('./reference');
const ref = await referenceIssuer();

const ops: Record<string, () => Promise<unknown>> = {};
for (const [side, lib] of sides) {
  const key = lib.importKey({ secretKeyMultibase: ref.secretKeyMultibase });
  const credential = seedCredential(benchIssuer(key.controller));
  const signed = await lib.issue(credential, { key, format: 'eddsa-jcs-2022' });
  if (!(await lib.verify(signed)).verified) throw new Error(`${side}: not verified`);
  if (!(await referenceVerify(signed, 'eddsa-jcs-2022')).verified) throw new Error(`${side}: reference refuses`);
  ops[`${side} issue`] = () => lib.issue(credential, { key, format: 'eddsa-jcs-2022' });
  ops[`${side} verify`] = () => lib.verify(signed);
}
{
  const key = sides[0][1].importKey({ secretKeyMultibase: ref.secretKeyMultibase });
  const credential = seedCredential(benchIssuer(key.controller));
  const refSigned = await ref.issue(credential, 'eddsa-jcs-2022');
  ops['reference issue'] = () => ref.issue(credential, 'eddsa-jcs-2022');
  ops['reference verify'] = () => referenceVerify(refSigned, 'eddsa-jcs-2022');
}
for (const op of Object.values(ops)) for (let i = 0; i < 200; i++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 15); r++) {
  for (const [name, op] of Object.entries(ops)) {
    const start = process.cpuUsage();
    for (let i = 0; i < 20; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / 20);
  }
}
const median = (xs: number[]) => summarize(xs).median;
for (const op of ['issue', 'verify']) {
  const reference = cpu[`reference ${op}`]!;
  const line = [`${op.padEnd(6)} reference ${median(reference).toFixed(3)} ms`];
  for (const [side] of sides) {
    const ours = cpu[`${side} ${op}`]!;
    const ratio = median(ours.map((x, i) => reference[i]! / x));
    line.push(`${side} ${median(ours).toFixed(3)} ms (${ratio.toFixed(2)}× the reference)`);
  }
  console.log(line.join('   '));
}
