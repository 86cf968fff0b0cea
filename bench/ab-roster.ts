/**
 * The batch's per-credential work two ways in one process, rounds interleaved: `award` + `issue` (the plain API)
 * and `createRosterIssuer(...).issue` (the roster path bench/batch.mjs takes), for the seed programme's first course
 * with eddsa-rdfc-2022. Give other checkouts (e.g. `git archive main | tar -x -C /tmp/base` plus a node_modules link)
 * to time theirs beside this one's; a checkout without createRosterIssuer gets only its plain row. Process CPU time
 * per credential (steadier than wall time on a shared machine), medians, each row's ratio to this checkout's plain
 * path paired round by round, and one Ed25519 signature as a yardstick.
 *
 *   node --import tsx bench/ab-roster.ts [rounds] [other checkout ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { summarize } from './stats';

const [roundsArg, ...others] = process.argv.slice(2);
const here = path.resolve(new URL('..', import.meta.url).pathname);
const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));
type Lib = typeof import('../src/index');
const ops: Record<string, () => Promise<unknown>> = {};
let secretKeyMultibase: string | undefined;
const learner = (i: number) => ({
  learner: { email: `learner${i}@example.ee` },
  grade: 'ABCDE'[i % 5],
  awardedOn: '2024-01-26',
});
for (const dir of [here, ...others.map((d) => path.resolve(d))]) {
  const lib = (await import(`${dir}/src/index.ts`)) as Lib;
  secretKeyMultibase ??= lib.generateKey().exportSecretKeyMultibase();
  const key = lib.importKey({ secretKeyMultibase });
  const { issuer, definition } = lib.definitionFromData({
    ...programme,
    issuer: { ...programme.issuer, id: key.controller },
  });
  const course = 'parts' in definition ? definition.parts[0]! : definition;
  const name = dir === here ? '' : ` (${dir})`;
  let i = 0;
  ops[`award+issue${name}`] = () => lib.issue(lib.award(course, { ...learner(++i), issuer }), { key });
  if (typeof lib.createRosterIssuer === 'function') {
    const roster = lib.createRosterIssuer(course, { issuer, key });
    ops[`roster.issue${name}`] = () => roster.issue(learner(++i));
  }
  if (dir === here) {
    const data = new Uint8Array(64);
    ops['ed25519 sign'] = async () => key.sign(data);
  }
}
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
const base = cpu['award+issue']!;
for (const [name, xs] of Object.entries(cpu)) {
  if (name === 'ed25519 sign') continue;
  const ms = median(xs);
  const ratio = median(xs.map((x, k) => x / base[k]!));
  console.log(
    `${name.padEnd(14)} ${ms.toFixed(3)} ms CPU (${(1000 / ms).toFixed(0)}/s, ${(ms / floor).toFixed(1)}× Ed25519 sign)  ÷ award+issue ${ratio.toFixed(3)}`,
  );
}
console.log(`Ed25519 sign ${floor.toFixed(4)} ms CPU`);
