/**
 * Before/after of an rdfc proof's RDF side, in one process: two checkouts loaded side by side, each timing on the
 * same documents (the seed credential and the 50 varied credentials of bench/varied.ts, without their proofs)
 * - `walk`: the JSON-LD walk to quads (`documentToQuads`),
 * - `rdfc+hash`: RDFC-1.0 of those quads and the SHA-256 the proof takes of its output (`hashData`),
 * - `canonize+hash`: the proof's whole RDF side for the document, `fastCanonize` then `hashData`,
 * rounds interleaved with the order of the sides alternating; process CPU time per document, medians, and the
 * after/before ratio paired round by round. Both sides must give the same canonical bytes and the same hashData.
 *
 *   node --import tsx bench/ab-rdf-side.ts /path/to/before /path/to/after [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-rdf-side.ts BEFORE_DIR AFTER_DIR [rounds]');
const load = async (dir: string) => ({
  rdfc: (await import(`${dir}/src/jsonld/fast/rdfc.ts`)) as typeof import('../src/jsonld/fast/rdfc'),
  fast: (await import(`${dir}/src/jsonld/fast/index.ts`)) as typeof import('../src/jsonld/fast/index'),
  walk: (await import(`${dir}/src/jsonld/fast/to-dataset.ts`)) as typeof import('../src/jsonld/fast/to-dataset'),
  compiled: (await import(
    `${dir}/src/jsonld/fast/compiled-context.ts`
  )) as typeof import('../src/jsonld/fast/compiled-context'),
  hash: (await import(`${dir}/src/platform/hash-data.ts`)) as typeof import('../src/platform/hash-data'),
});
type Side = Awaited<ReturnType<typeof load>>;
const sides = { before: await load(beforeDir), after: await load(afterDir) };
const lib = (await import(`${afterDir}/src/index.ts`)) as typeof import('../src/index');
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { variedCredentials } = await import('./varied');

const key = lib.importKey({ secretKeyMultibase: (await referenceIssuer()).secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const documents: Record<string, unknown>[] = [];
for (const credential of [seedCredential(issuer), ...variedCredentials(issuer, 50)]) {
  const { proof: _proof, ...unsecured } = (await lib.issue(credential, { key })) as unknown as Record<string, unknown>;
  documents.push(unsecured);
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const walk = (side: Side, document: Record<string, unknown>) => {
  const urls = document['@context'] as string[];
  return side.walk.documentToQuads(document, side.compiled.compiledTopLevel(urls), urls);
};
const prepared = new Map<Side, ReturnType<typeof walk>[]>();
for (const side of Object.values(sides)) {
  const list: ReturnType<typeof walk>[] = [];
  for (const document of documents) {
    await side.fast.fastCanonize(document); // compiles the contexts the walk needs
    list.push(walk(side, document));
  }
  prepared.set(side, list);
}
for (const [i, document] of documents.entries()) {
  const [b, a] = [sides.before, sides.after];
  const [cb, ca] = [await b.fast.fastCanonize(document), await a.fast.fastCanonize(document)];
  if (cb !== ca) throw new Error('the two checkouts canonicalize differently');
  if (b.rdfc.canonizeRdfc(prepared.get(b)![i]!) !== a.rdfc.canonizeRdfc(prepared.get(a)![i]!))
    throw new Error('the two checkouts walk differently');
  if (hex((await b.hash.hashData('', cb)) as Uint8Array) !== hex((await a.hash.hashData('', ca)) as Uint8Array))
    throw new Error('the two checkouts hash differently');
}

const ops: Record<string, (side: Side, index: number) => unknown> = {
  walk: (side, i) => walk(side, documents[i]!),
  'rdfc+hash': (side, i) => side.hash.hashData('', side.rdfc.canonizeRdfc(prepared.get(side)![i]!)!),
  'canonize+hash': async (side, i) => side.hash.hashData('', await side.fast.fastCanonize(documents[i]!)),
};
const sets = { seed: [0], varied: documents.slice(1).map((_, i) => i + 1) };
const cpuPerOp = async (side: Side, op: (side: Side, i: number) => unknown, set: number[], repeat: number) => {
  const start = process.cpuUsage();
  for (let r = 0; r < repeat; r++) for (const i of set) await op(side, i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / repeat / set.length;
};
const rounds = Number(roundsArg ?? 15);
const times: Record<string, { before: number[]; after: number[] }> = {};
for (const [setName, set] of Object.entries(sets))
  for (const [opName, op] of Object.entries(ops)) {
    times[`${setName} ${opName}`] = { before: [], after: [] };
    for (const side of Object.values(sides)) await cpuPerOp(side, op, set, set.length === 1 ? 200 : 4);
  }
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  for (const [setName, set] of Object.entries(sets))
    for (const [opName, op] of Object.entries(ops))
      for (const side of order)
        times[`${setName} ${opName}`]![side].push(await cpuPerOp(sides[side], op, set, set.length === 1 ? 200 : 4));
}
for (const [name, { before, after }] of Object.entries(times)) {
  const ratio = summarize(after.map((a, i) => a / before[i]!)).median;
  console.log(
    `${name.padEnd(22)} before ${summarize(before).median.toFixed(1).padStart(6)} µs  after ${summarize(after).median.toFixed(1).padStart(6)} µs  after/before (paired median of ${rounds}) ${ratio.toFixed(3)}`,
  );
}
