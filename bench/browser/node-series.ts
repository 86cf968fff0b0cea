/**
 * A fresh Node process's ms per verify in successive batches of the given sizes: as cold as a new page, so that the
 * browser benchmarks can compare Chromium and Node at the same point of their JIT's warm-up.
 *
 *   node --import tsx bench/browser/node-series.ts CREDENTIAL.json 30 30 300 300   → [ms, ms, ms, ms] on stdout
 */
import fs from 'node:fs';
import { verify } from '../../src/index';

const [file, ...sizes] = process.argv.slice(2);
const credential = JSON.parse(fs.readFileSync(file!, 'utf8')) as object;
const series: number[] = [];
for (const size of sizes.map(Number)) {
  const t0 = performance.now();
  for (let i = 0; i < size; i++) {
    const report = await verify(credential);
    if (!report.verified) throw new Error(`not verified: ${JSON.stringify(report.checks)}`);
  }
  series.push((performance.now() - t0) / size);
}
process.stdout.write(JSON.stringify(series));
