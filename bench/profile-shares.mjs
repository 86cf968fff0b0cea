/**
 * Shares of a CPU profile by part of an eddsa-jcs-2022 issue or verify: each sample goes to the part of the innermost
 * frame on its stack that names one (the safe-mode walk inside the contexts step counts as the walk, not the step),
 * so the shares add up to 100% of the samples that fell in the operation, whatever the machine's load. Samples outside
 * any part (the benchmark's loop, module loading, idle) are left out and counted apart.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/checks.ts --profile-loop 4000 --op jcs-verify
 *   node bench/profile-shares.mjs /tmp/prof/CPU.*.cpuprofile [--issue]
 *
 * Node writes one profile per thread; pass the largest (the main thread's). `--issue` uses the parts of an issue.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: node bench/profile-shares.mjs PROFILE.cpuprofile [--issue]');
const issue = args.includes('--issue');

const WALK = ['fastDataset', 'tryFastDataset', 'documentToQuads'];
/** [part, function names, file suffix or undefined for any file]: the first match from the leaf up wins. */
const common = [
  ['Ed25519', ['verifyOneShot', 'signOneShot'], 'internal/crypto/sig'],
  [
    'JCS',
    ['canonicalizeJcs', 'canonicalizeJcsBytes', 'written', 'write', 'quoted', 'put', 'room', 'ascii', 'sortKeys'],
    'proof/jcs.ts',
  ],
  ['SHA-256 (of the JCS bytes; of a text, with its flattening)', ['hashData', 'sha256OfText'], undefined],
  ['context limits and size bound', ['contextLimitProblem', 'jsonLengthBound', 'scanDocumentBounds'], undefined],
  ['JSON Schema', ['validate', 'schemaStep', 'checkSchema'], undefined],
  ['node-copy merges', ['mergeNodeCopies', 'mergeMergedNodeCopies'], 'read/merge-nodes.ts'],
  ['consistency', ['checkConsistency', 'checkMergedConsistency', 'consistencyStep'], undefined],
  ['VC data model rules', ['checkDataModel'], undefined],
  ['garbage collection', ['(garbage collector)'], undefined],
];
const verifyParts = [
  ['compacted-form walk', ['checkCompactedForm', 'checkSignedForm', 'checkDocument'], undefined],
  // An async function resumed after an await is the root of its stack: the walk's own frames name it too.
  ['safe-mode walk', ['checkSafeMode', 'checkSafeModeWithin', 'checkSafeModeExpansion', ...WALK], undefined],
  ['EU elements', ['euElementsStep', 'readEuElements'], undefined],
  ['verdict', ['withVerdict', 'deriveVerdict'], undefined],
  ['proof step, the rest (key, proof set, checks)', ['proofStep', 'verifyChecked', 'checkEmbeddedProofs'], undefined],
  ['other steps (parse, contexts list, validity, status...)', ['run', 'verifyAt', 'verify'], 'verify/verify.ts'],
];
const issueParts = [
  [
    'one walk: compacted form and safe mode',
    ['compactedAndSafe', 'walkedSafeWith', 'checkSafeModeWithin', ...WALK],
    undefined,
  ],
  ['base58 of the signature', ['base58Encode'], undefined],
  ['OB conformance rules', ['checkConformance'], undefined],
  ['proof step, the rest', ['createProof', 'computeHashData'], 'proof/data-integrity.ts'],
  ['issue, the rest', ['issue', 'issueWith'], 'src/issue.ts'],
];
const parts = [...common, ...(issue ? issueParts : verifyParts)];

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const partOf = new Map();
function part(id) {
  if (partOf.has(id)) return partOf.get(id);
  const { functionName, url } = byId.get(id).callFrame;
  let found = parts.find(([, names, suffix]) => names.includes(functionName) && (!suffix || url.endsWith(suffix)));
  found = found ? found[0] : parent.has(id) ? part(parent.get(id)) : null;
  partOf.set(id, found);
  return found;
}
const counts = new Map();
let inside = 0;
for (const sample of profile.samples) {
  const p = part(sample);
  if (p === null) continue;
  inside++;
  counts.set(p, (counts.get(p) ?? 0) + 1);
}
console.log(`${inside} of ${profile.samples.length} samples in the operation's parts`);
for (const [name, count] of [...counts].sort((a, b) => b[1] - a[1]))
  console.log(`${((100 * count) / inside).toFixed(1).padStart(5)}%  ${name}`);
