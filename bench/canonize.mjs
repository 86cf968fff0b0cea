/**
 * node bench/canonize.mjs [--quick] — jsonld.js `canonicalizeRdf` against the compiled fast path `fastCanonize`, on the
 * 1EdTech OB 3.0 vector credential, its proof configuration and the validator's "complete" credential. Both are
 * checked byte-identical first; then interleaved rounds after a warm-up, median ms/op and the speed-up.
 */
import { register } from 'tsx/esm/api';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

register();
const { canonicalizeRdf } = await import('../src/jsonld/canonize.ts');
const { fastCanonize, canonizeStats } = await import('../src/jsonld/fast/index.ts');

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../shared/fixtures');
const readJson = (...parts) => JSON.parse(fs.readFileSync(path.join(fixtures, ...parts), 'utf8'));

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 15;
const ITER = quick ? 5 : 200;

const credential = readJson('ob3-test-vector', 'ob3-unsigned.json');
const proofConfig = { ...readJson('ob3-test-vector', 'ob3-proof-options.json'), '@context': credential['@context'] };
const { proof: _proof, ...complete } = readJson('ob3', '1edtech-validator-fixtures', 'complete.json');
const cases = {
  'OB vector credential': credential,
  'OB vector proof config': proofConfig,
  'validator complete.json': complete,
};

async function msPerOp(fn, doc) {
  const start = performance.now();
  for (let i = 0; i < ITER; i++) await fn(doc);
  return (performance.now() - start) / ITER;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [name, doc] of Object.entries(cases)) {
  if ((await canonicalizeRdf(doc)) !== (await fastCanonize(doc))) throw new Error(`${name}: outputs differ`);
  const slow = [];
  const fast = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const s = await msPerOp(canonicalizeRdf, doc);
    const f = await msPerOp(fastCanonize, doc);
    if (r > 0) {
      slow.push(s);
      fast.push(f);
    } // round 0 warms up both
  }
  const [s, f] = [median(slow), median(fast)];
  console.log(`${name.padEnd(26)} jsonld ${s.toFixed(3)} ms/op   fast ${f.toFixed(3)} ms/op   ×${(s / f).toFixed(1)}`);
}
const stats = canonizeStats();
console.log(`fast path taken ${stats.fast}×, fallback ${stats.fallback}×`, stats.reasons);
