import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(import.meta.dirname, 'node-series.ts');

/**
 * ms per verify of `credential` in successive batches of `sizes` verifies, in a fresh Node process
 * (bench/browser/node-series.ts): Node at the same point of its warm-up as a fresh page that ran the same batches.
 */
export function freshNodeSeries(credential: object, sizes: readonly number[]): number[] {
  const file = path.join(os.tmpdir(), `mc-node-series-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(credential));
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, file, ...sizes.map(String)], {
      encoding: 'utf8',
    });
    return JSON.parse(out) as number[];
  } finally {
    fs.rmSync(file, { force: true });
  }
}
