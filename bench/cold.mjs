/**
 * Cold start: a fresh process that loads one side — our built package, or the reference stack — then issues the seed
 * credential once (eddsa-rdfc-2022) and verifies a credential the other side signed once, as a serverless function,
 * a CLI call or a wallet opening does. Timed from before the first import; the inputs (credential, key, the other
 * side's signed credential, and the contexts the reference's offline loader serves) are read before the clock
 * starts, so neither side pays for the other's code. bench/run.ts starts it for each side in turn.
 *
 *   node bench/cold.mjs --side ours|reference --input file.json      # prints one JSON line of milliseconds
 *   node bench/cold.mjs --side ours --root ../other-checkout --input file.json   # that checkout's dist/ instead
 *
 * Besides wall-clock milliseconds, `cpu` gives the main thread's CPU time for each stage where Linux reports it
 * (/proc/self/task/<pid>/schedstat): on a shared machine, time spent waiting for a core inflates the wall clock, not
 * this (bench/cold-runs.ts --against compares two builds with it).
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { side: { type: 'string' }, input: { type: 'string' }, root: { type: 'string' } },
});
const input = JSON.parse(fs.readFileSync(values.input, 'utf8'));
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const hasCpu = fs.existsSync(schedstat);
/** Milliseconds the main thread has run (the first field of schedstat is nanoseconds on a CPU). */
const cpu = () => (hasCpu ? Number(fs.readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6 : 0);

const c0 = cpu();
const t0 = performance.now();
let issueOnce;
let verifyOnce;
if (values.side === 'ours') {
  const entry = values.root ? pathToFileURL(`${values.root}/dist/index.js`).href : 'microcredentials';
  const { importKey, issue, verify } = await import(entry);
  const key = importKey({ secretKeyMultibase: input.secretKeyMultibase });
  issueOnce = () => issue(input.credential, { key });
  verifyOnce = async () => (await verify(input.signedByReference)).verified;
} else if (values.side === 'reference') {
  const [vc, { DataIntegrityProof }, { cryptosuite }, Ed25519Multikey] = await Promise.all([
    import('@digitalbazaar/vc'),
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    import('@digitalbazaar/ed25519-multikey'),
  ]);
  const did = `did:key:${input.publicKeyMultibase}`;
  const key = await Ed25519Multikey.from({
    id: `${did}#${input.publicKeyMultibase}`,
    controller: did,
    type: 'Multikey',
    publicKeyMultibase: input.publicKeyMultibase,
    secretKeyMultibase: input.secretKeyMultibase,
  });
  // The same offline answers as bench/reference.ts: our bundled contexts, did:key documents derived locally.
  const documentLoader = async (url) => {
    if (url.startsWith('did:key:')) {
      const vm = await key.export({ publicKey: true, includeContext: true });
      if (url.includes('#')) return { contextUrl: null, documentUrl: url, document: vm };
      const document = {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
        id: did,
        verificationMethod: [{ ...vm, '@context': undefined }],
        assertionMethod: [vm.id],
        authentication: [vm.id],
      };
      return { contextUrl: null, documentUrl: url, document };
    }
    if (!Object.hasOwn(input.contexts, url)) throw new Error(`no offline copy of ${url}`);
    return { contextUrl: null, documentUrl: url, document: input.contexts[url] };
  };
  issueOnce = () =>
    vc.issue({
      credential: structuredClone(input.credential),
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite }),
      documentLoader,
    });
  verifyOnce = async () =>
    (
      await vc.verifyCredential({
        credential: input.signedByOurs,
        suite: new DataIntegrityProof({ cryptosuite }),
        documentLoader,
      })
    ).verified;
} else {
  throw new Error('--side ours|reference');
}
const t1 = performance.now();
const c1 = cpu();
const signed = await issueOnce();
const t2 = performance.now();
const c2 = cpu();
const verified = await verifyOnce();
const t3 = performance.now();
const c3 = cpu();
if (!signed?.proof || verified !== true) throw new Error(`${values.side}: first issue or verify failed`);
const times = { load: t1 - t0, firstIssue: t2 - t1, firstVerify: t3 - t2, total: t3 - t0 };
const cpuTimes = { load: c1 - c0, firstIssue: c2 - c1, firstVerify: c3 - c2, total: c3 - c0 };
console.log(JSON.stringify(hasCpu ? { ...times, cpu: cpuTimes } : times));
