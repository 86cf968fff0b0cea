/**
 * The batch's per-credential work two ways in one process, rounds interleaved: `award` + `issue` (what
 * bench/batch.mjs did) and `createRosterIssuer(...).issue` (what it does now), both for the seed programme's first
 * course with eddsa-rdfc-2022. Process CPU time per credential (steadier than wall time on a shared machine),
 * medians, the roster/plain ratio paired round by round, and one Ed25519 signature as a yardstick.
 *
 *   node --import tsx bench/ab-roster.ts [rounds] [dir]     # dir: another checkout (default this one)
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { summarize } from './stats';

const [roundsArg, dirArg] = process.argv.slice(2);
const dir = dirArg ?? new URL('..', import.meta.url).pathname;
const lib = (await import(`${dir}/src/index.ts`)) as typeof import('../src/index');
const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));
const key = lib.importKey({ secretKeyMultibase: lib.generateKey().exportSecretKeyMultibase() });
const { issuer, definition } = lib.definitionFromData({
  ...programme,
  issuer: { ...programme.issuer, id: key.controller },
});
const course = 'parts' in definition ? definition.parts[0]! : definition;
const roster = lib.createRosterIssuer(course, { issuer, key });
const learner = (i: number) => ({
  learner: { email: `learner${i}@example.ee` },
  grade: 'ABCDE'[i % 5],
  awardedOn: '2024-01-26',
});
let i = 0;
const data = new Uint8Array(64);
const ops: Record<string, () => Promise<unknown>> = {
  plain: () => lib.issue(lib.award(course, { ...learner(++i), issuer }), { key }),
  roster: () => roster.issue(learner(++i)),
  'ed25519 sign': async () => key.sign(data),
};
for (const op of Object.values(ops)) for (let k = 0; k < 300; k++) await op();
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(roundsArg ?? 15); r++) {
  const order = r % 2 === 0 ? Object.entries(ops) : Object.entries(ops).reverse();
  for (const [name, op] of order) {
    const n = name.startsWith('ed25519') ? 400 : 100;
    const start = process.cpuUsage();
    for (let k = 0; k < n; k++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / n);
  }
}
const median = (xs: number[]) => summarize(xs).median;
const floor = median(cpu['ed25519 sign']!);
const p = cpu.plain!;
const q = cpu.roster!;
const paired = median(q.map((x, k) => x / p[k]!));
const show = (ms: number) =>
  `${ms.toFixed(3)} ms (${(1000 / ms).toFixed(0)}/s, ${(ms / floor).toFixed(1)}× Ed25519 sign)`;
console.log(`award+issue ${show(median(p))}  roster.issue ${show(median(q))}  roster/plain ${paired.toFixed(3)}`);
console.log(`Ed25519 sign ${floor.toFixed(4)} ms CPU`);
