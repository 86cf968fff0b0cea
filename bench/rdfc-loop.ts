/**
 * The rdfc proof's RDF side in a loop, for a CPU profile: the JSON-LD walk to quads, RDFC-1.0 and the SHA-256 of the
 * canonical form, on the seed credential and the 50 varied credentials (bench/varied.ts).
 *
 *   node --import tsx bench/rdfc-loop.ts [--loops N]
 */
import { parseArgs } from 'node:util';
import { importKey, issue } from '../src/index';
import { documentToQuads } from '../src/jsonld/fast/to-dataset';
import { compiledTopLevel } from '../src/jsonld/fast/compiled-context';
import { canonizeRdfc } from '../src/jsonld/fast/rdfc';
import { sha256OfText } from '../src/platform/node-crypto';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceIssuer } from './reference';
import { variedCredentials } from './varied';

const { values } = parseArgs({ options: { loops: { type: 'string', default: '3000' } } });
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const signed = [
  await issue(seedCredential(issuer), { key }),
  ...(await Promise.all(variedCredentials(issuer, 50).map((c) => issue(c, { key })))),
];
const docs = signed.map((s) => {
  const { proof: _proof, ...unsecured } = s as unknown as Record<string, unknown>;
  return unsecured;
});
const loops = Number(values.loops);
const start = process.cpuUsage();
let n = 0;
for (let i = 0; i < loops; i++) {
  const doc = i % 2 === 0 ? docs[0]! : docs[1 + ((i >> 1) % 50)]!;
  const urls = doc['@context'] as string[];
  const quads = documentToQuads(doc, compiledTopLevel(urls), urls);
  n += sha256OfText(canonizeRdfc(quads)!).length;
}
const used = process.cpuUsage(start);
console.log(`${((used.user + used.system) / loops).toFixed(1)} µs per document (${n})`);
