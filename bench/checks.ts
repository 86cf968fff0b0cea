/**
 * The verify path's checks against their floor, in a few seconds: seed eddsa-rdfc-2022 verify and eddsa-jcs-2022
 * issue/verify, and one Ed25519 verification measured in the same process, interleaved round by round (medians).
 * `--side reference` times the reference stack's JCS issue and verify the same way, in its own process, so that each
 * side runs alone as bench/alone.ts does. Each figure is given as wall time and as this process's CPU time per
 * operation: on a machine shared with other work the CPU time is the steadier of the two (it leaves out the time the
 * process waited for a core). Compare ratios measured in one run; `--compare DIR` runs another checkout's copy of
 * this script (e.g. an export of main) alternately with this one.
 *
 *   node --import tsx bench/checks.ts [--side ours|reference] [--rounds N] [--warm N]
 *   node --cpu-prof --import tsx bench/checks.ts --profile-loop 3000 --op rdfc-verify|jcs-verify|jcs-issue
 *
 * `--warm` (default 300) is the number of warm-up runs of each operation: our verify runs much more code than the
 * reference's, and part of it is still being optimised after a few hundred (see docs/speed.md, "Verify checks, part
 * three").
 */
import { parseArgs } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { referenceIssuer, referenceVerify } from './reference';
import { benchIssuer, seedCredential } from './fixtures';
import { summarize } from './stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    side: { type: 'string', default: 'ours' },
    'profile-loop': { type: 'string' },
    op: { type: 'string', default: 'all' },
    warm: { type: 'string', default: '300' },
  },
});
const ROUNDS = Number(values.rounds);
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const credential = seedCredential(benchIssuer(key.controller));
const rdfc = await issue(credential, { key, format: 'eddsa-rdfc-2022' });
const jcs = await issue(credential, { key, format: 'eddsa-jcs-2022' });
for (const signed of [rdfc, jcs]) {
  const report = await verify(signed);
  if (!report.verified) throw new Error(`our verify failed: ${JSON.stringify(report.checks)}`);
}

if (values['profile-loop']) {
  const n = Number(values['profile-loop']);
  const op = values.op;
  for (let i = 0; i < 200; i++) await verify(i % 2 ? rdfc : jcs);
  if (op === 'all' || op === 'rdfc-verify') for (let i = 0; i < n; i++) await verify(rdfc);
  if (op === 'all' || op === 'jcs-verify') for (let i = 0; i < n; i++) await verify(jcs);
  if (op === 'all' || op === 'jcs-issue')
    for (let i = 0; i < n; i++) await issue(credential, { key, format: 'eddsa-jcs-2022' });
  process.exit(0);
}

const data = new Uint8Array(64);
const signature = await key.sign(data);
const ops: Record<string, () => Promise<unknown>> =
  values.side === 'reference'
    ? await (async () => {
        const refJcs = await ref.issue(credential, 'eddsa-jcs-2022');
        return {
          'ed25519 verify': () => key.verify(data, signature),
          'jcs verify': () => referenceVerify(refJcs, 'eddsa-jcs-2022'),
          'jcs issue': () => ref.issue(credential, 'eddsa-jcs-2022'),
        };
      })()
    : {
        'ed25519 verify': () => key.verify(data, signature),
        'rdfc verify': () => verify(rdfc),
        'jcs verify': () => verify(jcs),
        'jcs issue': () => issue(credential, { key, format: 'eddsa-jcs-2022' }),
      };

/** ms per operation, wall and CPU (user + system of this process). */
async function timeBoth(fn: () => Promise<unknown>, iterations: number): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wall = (performance.now() - start) / iterations;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000 / iterations];
}

for (const op of Object.values(ops)) for (let i = 0; i < Number(values.warm); i++) await op();
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, op] of Object.entries(ops)) {
    const [w, c] = await timeBoth(op, name.startsWith('ed25519') ? 400 : 40);
    (wall[name] ??= []).push(w);
    (cpu[name] ??= []).push(c);
  }
}
const result: Record<string, { wall: number; cpu: number; wallRatio: number; cpuRatio: number }> = {};
const floorWall = summarize(wall['ed25519 verify']!).median;
const floorCpu = summarize(cpu['ed25519 verify']!).median;
for (const name of Object.keys(ops)) {
  const w = summarize(wall[name]!).median;
  const c = summarize(cpu[name]!).median;
  result[name] = { wall: w, cpu: c, wallRatio: w / floorWall, cpuRatio: c / floorCpu };
  console.log(
    `${values.side} ${name.padEnd(15)} wall ${w.toFixed(4)} ms (${(w / floorWall).toFixed(2)}× Ed25519)   cpu ${c.toFixed(4)} ms (${(c / floorCpu).toFixed(2)}× Ed25519)`,
  );
}
console.log(JSON.stringify({ side: values.side, result }));
