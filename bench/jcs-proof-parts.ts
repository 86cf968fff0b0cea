/**
 * The eddsa-jcs-2022 proof step on verify and issue, part by part, in units of one Ed25519 verification (`key.verify`,
 * the floor of bench/verify-steps.ts) measured in the same rounds, at steady state (3,000 warm-up runs of each): the
 * whole `verify` and `issue`, `verifyProofSet` and `createProof`, the JCS bytes of the document and of the proof
 * options, their SHA-256, JSON.stringify of the document (for scale), the signature's base58 and key resolution:
 * process CPU time, medians of rounds. Parts timed alone run hotter than in place, so their sum is below the whole.
 * The two `(wall)` rows time node:crypto's verify alone (performance.now around the call), in a tight loop and
 * between two JCS writes of the document; compare them with each other, not with the CPU-time floor.
 *
 *   node --import tsx bench/jcs-proof-parts.ts [DIR] [--warm N] [--rounds N] [--large] [--json]
 *
 * DIR is a checkout to measure (default this one); run two checkouts' processes alternately to compare them, e.g.
 * `for i in 1 2 3 4 5; do for d in /tmp/base $PWD; do node --import tsx bench/jcs-proof-parts.ts $d --json; done; done`.
 */
import { parseArgs } from 'node:util';
import { summarize } from './stats';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    warm: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '15' },
    large: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const dir = positionals[0] ?? new URL('..', import.meta.url).pathname;
const { importKey, issue, verify } = (await import(`${dir}/src/index.ts`)) as typeof import('../src/index');
const { verifyProofSet, createProof, localResolver } = (await import(
  `${dir}/src/entries/proof.ts`
)) as typeof import('../src/entries/proof');
const { canonicalizeJcsBytes } = (await import(`${dir}/src/proof/jcs.ts`)) as typeof import('../src/proof/jcs');
const { sha256OfText, nodeCrypto } = (await import(
  `${dir}/src/platform/node-crypto.ts`
)) as typeof import('../src/platform/node-crypto');
const { base58Decode } = (await import(`${dir}/src/platform/base58.ts`)) as typeof import('../src/platform/base58');
const { referenceIssuer } = await import('./reference');
const { benchIssuer, largeCredential, seedCredential } = await import('./fixtures');

const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const credential = (values.large ? largeCredential : seedCredential)(benchIssuer(key.controller));
// As a verifier meets it: parsed from JSON text.
const signed = JSON.parse(JSON.stringify(await issue(credential, { key, format: 'eddsa-jcs-2022' })));
const { proof: proofs, ...unsecured } = signed as Record<string, unknown>;
const proof = (proofs as Record<string, unknown>[])[0]!;
const { proofValue, ...config } = proof;
unsecured['@context'] = config['@context'];
if (!(await verifyProofSet(signed)).verified) throw new Error('not verified');

const crypto = nodeCrypto()!;
const data = new Uint8Array(64);
const signature = await key.sign(data);
const verifyKey = (crypto as unknown as { createPublicKey(o: object): unknown }).createPublicKey({
  key: key.toPublicJwk(),
  format: 'jwk',
});
const docBytes = canonicalizeJcsBytes(unsecured);
const configBytes = canonicalizeJcsBytes(config);
let sink = 0;

const { proof: _proofs, ...unsigned } = signed as Record<string, unknown>;
const ops: Record<string, () => unknown> = {
  'Ed25519 key.verify (floor)': () => key.verify(data, signature),
  'verify (whole)': () => verify(signed),
  'issue (whole)': () => issue(credential, { key, format: 'eddsa-jcs-2022' }),
  verifyProofSet: () => verifyProofSet(signed),
  createProof: () => createProof(unsigned, { key, cryptosuite: 'eddsa-jcs-2022' }),
  'JCS bytes, document': () => canonicalizeJcsBytes(unsecured),
  'JCS bytes, proof options': () => canonicalizeJcsBytes(config),
  'JSON.stringify, document': () => JSON.stringify(unsecured),
  'SHA-256, document bytes': () => sha256OfText(docBytes),
  'SHA-256, proof options bytes': () => sha256OfText(configBytes),
  'base58 of the signature': () => base58Decode((proofValue as string).slice(1)),
  'resolve + import the key': async () => {
    const vm = await localResolver()(proof.verificationMethod as string);
    return importKey({ publicKeyMultibase: vm.publicKeyMultibase }, { controller: vm.controller, id: vm.id });
  },
  'crypto.verify, tight loop (wall)': () => {
    const start = performance.now();
    crypto.verify(null, data, verifyKey, signature);
    sink += performance.now() - start;
  },
  'crypto.verify between two JCS writes (wall)': () => {
    canonicalizeJcsBytes(unsecured);
    canonicalizeJcsBytes(unsecured);
    const start = performance.now();
    crypto.verify(null, data, verifyKey, signature);
    sink += performance.now() - start;
  },
};

for (let i = 0; i < Number(values.warm); i++) for (const op of Object.values(ops)) await op();
const times: Record<string, number[]> = {};
const N = 200;
for (let r = 0; r < Number(values.rounds); r++) {
  let floor = 0;
  for (const [name, op] of Object.entries(ops)) {
    sink = 0;
    const start = process.cpuUsage();
    for (let i = 0; i < N; i++) await op();
    const used = process.cpuUsage(start);
    let each = (used.user + used.system) / N;
    if (name.includes('(wall)')) each = (sink * 1000) / N;
    if (name.includes('(floor)')) floor = each;
    (times[name] ??= []).push(each / floor);
  }
}
const medians = Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, summarize(xs).median]));
if (values.json) console.log(JSON.stringify({ dir, medians }));
else {
  console.log(
    `${dir}: ${values.large ? 'large' : 'seed'} credential, ${docBytes.length} JCS bytes; in floors (medians):`,
  );
  for (const [name, median] of Object.entries(medians)) console.log(`  ${name.padEnd(52)} ${median.toFixed(3)}`);
}
