/**
 * Before/after of the RDFC-1.0 port alone, in one process: two checkouts' src/jsonld/fast/rdfc.ts canonicalize the
 * same quads (the seed credential's and the 50 varied credentials', walked once by the after side), round by round,
 * the order of the sides alternating. Each operation is RDFC-1.0 plus the SHA-256 of its output (what a proof hashes:
 * the port's output is a rope that the hash flattens, so timing the port alone would hide part of its cost). Process
 * CPU time, medians, and the after/before ratio paired round by round. Both sides must give the same bytes.
 *
 *   node --import tsx bench/ab-rdfc.ts /path/to/before /path/to/after [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-rdfc.ts BEFORE_DIR AFTER_DIR [rounds]');
type Rdfc = typeof import('../src/jsonld/fast/rdfc');
type Hashes = typeof import('../src/platform/node-crypto');
const load = async (dir: string) => ({
  rdfc: (await import(`${dir}/src/jsonld/fast/rdfc.ts`)) as Rdfc,
  hashes: (await import(`${dir}/src/platform/node-crypto.ts`)) as Hashes,
});
const sides = { before: await load(beforeDir), after: await load(afterDir) };
const lib = (await import(`${afterDir}/src/index.ts`)) as typeof import('../src/index');
const { fastCanonize } = (await import(
  `${afterDir}/src/jsonld/fast/index.ts`
)) as typeof import('../src/jsonld/fast/index');
const { documentToQuads } = (await import(
  `${afterDir}/src/jsonld/fast/to-dataset.ts`
)) as typeof import('../src/jsonld/fast/to-dataset');
const { compiledTopLevel } = (await import(
  `${afterDir}/src/jsonld/fast/compiled-context.ts`
)) as typeof import('../src/jsonld/fast/compiled-context');
const { benchIssuer, seedCredential } = await import('./fixtures');
const { referenceIssuer } = await import('./reference');
const { variedCredentials } = await import('./varied');

const key = lib.importKey({ secretKeyMultibase: (await referenceIssuer()).secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const documents = [seedCredential(issuer), ...variedCredentials(issuer, 50)] as unknown as Record<string, unknown>[];
const datasets: ReturnType<typeof documentToQuads>[] = [];
for (const document of documents) {
  await fastCanonize(document); // compiles the contexts the walk needs
  const urls = document['@context'] as string[];
  datasets.push(documentToQuads(document, compiledTopLevel(urls), urls));
}
for (const quads of datasets)
  if (sides.before.rdfc.canonizeRdfc(quads) !== sides.after.rdfc.canonizeRdfc(quads))
    throw new Error('the two checkouts canonicalize differently');

const sets = { seed: datasets.slice(0, 1), varied: datasets.slice(1) };
const cpuPerOp = (side: (typeof sides)['after'], set: typeof datasets, repeat: number): number => {
  const start = process.cpuUsage();
  for (let i = 0; i < repeat; i++) for (const quads of set) side.hashes.sha256OfText(side.rdfc.canonizeRdfc(quads)!);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / repeat / set.length;
};
const rounds = Number(roundsArg ?? 15);
const times: Record<string, { before: number[]; after: number[] }> = {};
for (const [name, set] of Object.entries(sets)) {
  times[name] = { before: [], after: [] };
  for (const side of Object.values(sides)) cpuPerOp(side, set, set.length === 1 ? 300 : 6);
}
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  for (const [name, set] of Object.entries(sets))
    for (const side of order) times[name]![side].push(cpuPerOp(sides[side], set, set.length === 1 ? 300 : 6));
}
for (const [name, { before, after }] of Object.entries(times)) {
  const ratio = summarize(after.map((a, i) => a / before[i]!)).median;
  console.log(
    `${name.padEnd(7)} RDFC-1.0 + SHA-256  before ${summarize(before).median.toFixed(1)} µs  after ${summarize(after).median.toFixed(1)} µs  after/before (paired median of ${rounds}) ${ratio.toFixed(3)}`,
  );
}
