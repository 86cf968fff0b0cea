/**
 * npm run bench:cold — the cold-start benchmark alone (bench/cold.mjs, built package): a fresh process per run, ours
 * and the reference alternating, medians field by field. The same measurement npm run bench makes, without the rest
 * of it, so a change to start-up can be compared with the reference in one short run.
 *
 *   npm run build && npm run bench:cold               # 11 runs per side
 *   npm run bench:cold -- --runs 21 --side ours       # only ours (no reference beside it)
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importKey, issue } from '../src/index';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';
import { referenceIssuer } from './reference';
import { benchIssuer, seedCredential } from './fixtures';

type Side = 'ours' | 'reference';
interface ColdResult {
  load: number;
  firstIssue: number;
  firstVerify: number;
  total: number;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, side: { type: 'string' } } });
const runs = Number(values.runs);
const sides: Side[] = values.side ? [values.side as Side] : ['ours', 'reference'];

if (!fs.existsSync(new URL('../dist/index.js', import.meta.url)))
  throw new Error('the cold-start benchmark runs the built package: run "npm run build" first');
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const credential = seedCredential(benchIssuer(key.controller));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cold-'));
const input = path.join(dir, 'cold.json');
fs.writeFileSync(
  input,
  JSON.stringify({
    credential,
    publicKeyMultibase: ref.publicKeyMultibase,
    secretKeyMultibase: ref.secretKeyMultibase,
    signedByOurs: await issue(credential, { key }),
    signedByReference: await ref.issue(credential),
    contexts: BUNDLED_CONTEXTS,
  }),
);
const results: Record<Side, ColdResult[]> = { ours: [], reference: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
      const child = spawnSync(
        process.execPath,
        [fileURLToPath(new URL('./cold.mjs', import.meta.url)), '--side', side, '--input', input],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`bench/cold.mjs --side ${side} failed: ${child.stderr}`);
      results[side].push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ColdResult);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(
  `cold start, a fresh process per run, median of ${runs} runs per side (load average ${os.loadavg()[0]!.toFixed(1)})`,
);
for (const side of sides) {
  const m = (f: keyof ColdResult) => median(results[side].map((r) => r[f]));
  console.log(
    `${side.padEnd(10)} load ${m('load').toFixed(1)} ms, first issue ${m('firstIssue').toFixed(1)} ms, first verify ${m('firstVerify').toFixed(1)} ms, total ${m('total').toFixed(1)} ms  (totals ${results[side].map((r) => r.total.toFixed(0)).join(', ')})`,
  );
}
