/**
 * The roster path's per-credential work (createRosterIssuer: award + rdfc issue of the seed programme's first course)
 * in a loop on the sources, for `node --cpu-prof`; bench/batch-loop.ts is the same with award + issue.
 *
 *   node --cpu-prof --import tsx bench/roster-loop.ts [--count N]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { createRosterIssuer, definitionFromData, generateKey, importKey } from '../src/index';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' } } });
const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));
const key = importKey({ secretKeyMultibase: generateKey().exportSecretKeyMultibase() });
const { issuer, definition } = definitionFromData({
  ...programme,
  issuer: { ...programme.issuer, id: key.controller },
});
const course = 'parts' in definition ? definition.parts[0]! : definition;
const roster = createRosterIssuer(course, { issuer, key });
const one = (i: number) =>
  roster.issue({
    learner: { email: `learner${i}@example.ee` },
    grade: 'ABCDE'[Math.abs(i) % 5],
    awardedOn: '2024-01-26',
  });
for (let i = 0; i < 300; i++) await one(-i - 1);
const n = Number(values.count);
const start = performance.now();
for (let i = 0; i < n; i++) await one(i);
const ms = (performance.now() - start) / n;
console.log(JSON.stringify({ msPerCredential: ms, perSecond: 1000 / ms }));
