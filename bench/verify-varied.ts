/**
 * Varied rdfc verify against the floor, in seconds: the 50 varied generated credentials (bench/varied.ts) verified
 * round by round, one node:crypto Ed25519 verification timed after every round, medians of wall and CPU time and of
 * the per-round "verify ÷ floor" ratio. The seed credential is timed the same way. `--profile-loop N` verifies the
 * varied set N times for `node --cpu-prof` (shares of samples do not depend on load).
 *
 *   node --import tsx bench/verify-varied.ts [--rounds N] [--count 50]
 *   node --cpu-prof --import tsx bench/verify-varied.ts --profile-loop 60
 */
import { parseArgs } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceIssuer } from './reference';
import { summarize } from './stats';
import { variedCredentials } from './varied';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    count: { type: 'string', default: '50' },
    'profile-loop': { type: 'string' },
  },
});
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const varied = await Promise.all(variedCredentials(issuer, Number(values.count)).map((c) => issue(c, { key })));
const seed = await issue(seedCredential(issuer), { key });
for (const signed of [...varied, seed]) {
  const report = await verify(signed);
  if (!report.verified) throw new Error(`verify failed: ${JSON.stringify(report.checks)}`);
}
const verifyVaried = async () => {
  for (const signed of varied) await verify(signed);
};

if (values['profile-loop']) {
  for (let i = 0; i < 3; i++) await verifyVaried();
  for (let i = 0; i < Number(values['profile-loop']); i++) await verifyVaried();
  process.exit(0);
}

const data = new Uint8Array(64);
const signature = await key.sign(data);
async function time(fn: () => Promise<unknown>, iterations: number): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const used = process.cpuUsage(cpu);
  return [(performance.now() - start) / iterations, (used.user + used.system) / 1000 / iterations];
}
for (let i = 0; i < 5; i++) await verifyVaried();
for (let i = 0; i < 200; i++) await verify(seed);
const rows: Record<string, { wall: number[]; cpu: number[]; ratio: number[] }> = {};
const add = (name: string, [wall, cpu]: [number, number], floor: [number, number]) => {
  rows[name] ??= { wall: [], cpu: [], ratio: [] };
  rows[name].wall.push(wall);
  rows[name].cpu.push(cpu);
  rows[name].ratio.push(cpu / floor[1]);
};
for (let r = 0; r < Number(values.rounds); r++) {
  const v = await time(verifyVaried, 1);
  const vf = await time(() => key.verify(data, signature), 400);
  add('varied rdfc verify (per credential)', [v[0] / varied.length, v[1] / varied.length], vf);
  const s = await time(() => verify(seed), 40);
  const sf = await time(() => key.verify(data, signature), 400);
  add('seed rdfc verify', s, sf);
  add('ed25519 verify (floor)', sf, sf);
}
for (const [name, { wall, cpu, ratio }] of Object.entries(rows))
  console.log(
    `${name.padEnd(38)} wall ${summarize(wall).median.toFixed(3)} ms  cpu ${summarize(cpu).median.toFixed(3)} ms  ÷ floor (cpu) ${summarize(ratio).median.toFixed(1)}×`,
  );
