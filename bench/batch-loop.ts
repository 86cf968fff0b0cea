/**
 * The batch benchmark's per-credential work (award + rdfc issue of the seed programme's first course) in a loop on
 * the sources, for `node --cpu-prof`: shares of time per function do not depend on the machine's load.
 *
 *   node --cpu-prof --import tsx bench/batch-loop.ts [--count N]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { award, definitionFromData, generateKey, importKey, issue } from '../src/index';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' } } });
const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));
const key = importKey({ secretKeyMultibase: generateKey().exportSecretKeyMultibase() });
const { issuer, definition } = definitionFromData({
  ...programme,
  issuer: { ...programme.issuer, id: key.controller },
});
const course = 'parts' in definition ? definition.parts[0]! : definition;
const one = async (i: number) => {
  const credential = award(course, {
    issuer,
    learner: { email: `learner${i}@example.ee` },
    grade: 'ABCDE'[Math.abs(i) % 5],
    awardedOn: '2024-01-26',
  });
  await issue(credential, { key });
};
for (let i = 0; i < 300; i++) await one(-i - 1);
const n = Number(values.count);
const start = performance.now();
for (let i = 0; i < n; i++) await one(i);
const ms = (performance.now() - start) / n;
console.log(JSON.stringify({ msPerCredential: ms, perSecond: 1000 / ms }));
