/**
 * npm run bench:breakdown — where our time goes, stage by stage, for the seed and the large credential: the checks
 * issue runs before signing, the JSON-LD fast path, RDFC-1.0, JCS, SHA-256 and Ed25519, and the whole of issue and
 * verify for each format. Each figure is the median of rounds after a warm-up, in ms per operation.
 */
import { sha256 } from '../src/platform/node-crypto';
import { checkConformance, generateKey, issue, validate, verify } from '../src/index';
import { checkDataModel } from '../src/vcdm/check';
import { checkSafeMode, fastCanonize } from '../src/jsonld/fast/index';
import { canonicalizeRdf } from '../src/jsonld/canonize';
import { canonicalizeJcs } from '../src/proof/jcs';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { summarize, timeIt } from './stats';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 11;
const ITER = quick ? 5 : 50;

async function median(fn: () => unknown): Promise<number> {
  const rounds: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const t = await timeIt(async () => fn(), ITER);
    if (r > 0) rounds.push(t);
  }
  return summarize(rounds).median;
}

async function main(): Promise<void> {
  const key = generateKey();
  const issuer = benchIssuer(key.controller);
  for (const [label, credential] of Object.entries({ seed: seedCredential(issuer), large: largeCredential(issuer) })) {
    const doc = credential as unknown as Record<string, unknown>;
    const bytes = new TextEncoder().encode(canonicalizeJcs(doc));
    const rdfc = await issue(credential, { key });
    const jcs = await issue(credential, { key, format: 'eddsa-jcs-2022' });
    const jwt = await issue(credential, { key, format: 'vc-jwt' });
    const stages: [string, () => unknown][] = [
      ['VC data model rules (checkDataModel)', () => checkDataModel(doc)],
      ['JSON Schema (validate, ajv standalone)', () => validate(doc)],
      ['OB conformance rules (checkConformance)', () => checkConformance(doc)],
      ['JSON-LD safe-mode check (fast path)', () => checkSafeMode(doc)],
      ['RDFC canonical N-Quads, fast path', () => fastCanonize(doc)],
      ['RDFC canonical N-Quads, jsonld.js', () => canonicalizeRdf(doc)],
      ['JCS canonical JSON', () => canonicalizeJcs(doc)],
      ['SHA-256 of the canonical form', () => sha256(bytes)],
      ['Ed25519 sign (64 bytes)', () => key.sign(bytes.subarray(0, 64))],
      ['issue eddsa-rdfc-2022', () => issue(credential, { key })],
      ['issue eddsa-jcs-2022', () => issue(credential, { key, format: 'eddsa-jcs-2022' })],
      ['issue vc-jwt', () => issue(credential, { key, format: 'vc-jwt' })],
      ['verify eddsa-rdfc-2022', () => verify(rdfc)],
      ['verify eddsa-jcs-2022', () => verify(jcs)],
      ['verify vc-jwt', () => verify(jwt)],
    ];
    console.log(`\n${label} credential (${JSON.stringify(doc).length} characters of JSON)`);
    for (const [name, fn] of stages)
      console.log(`  ${name.padEnd(44)} ${(await median(fn)).toFixed(3).padStart(8)} ms`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
