/**
 * The parts of an rdfc verify this branch's scope covers, each timed alone on the seed credential and on the 50 varied
 * credentials (bench/varied.ts), in microseconds of CPU and in units of one node:crypto Ed25519 verification timed in
 * the same round (medians of rounds): the JSON-LD walk to quads (for scale), RDFC-1.0 of those quads, the SHA-256 of
 * the canonical form, the readers' two merges, the EU-element reader, the verdict, and the whole verify.
 *
 *   node --import tsx bench/verify-parts.ts [--rounds N]
 */
import { parseArgs } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { documentToQuads } from '../src/jsonld/fast/to-dataset';
import { compiledTopLevel } from '../src/jsonld/fast/compiled-context';
import { canonizeRdfc } from '../src/jsonld/fast/rdfc';
import { sha256OfText } from '../src/platform/node-crypto';
import { mergeMergedNodeCopies, mergeNodeCopies } from '../src/read/merge-nodes';
import { readMergedOpenBadge } from '../src/read/read-merged';
import { deriveVerdict } from '../src/verify/verdict';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceIssuer } from './reference';
import { summarize } from './stats';
import { variedCredentials } from './varied';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const varied = await Promise.all(variedCredentials(issuer, 50).map((c) => issue(c, { key })));
const seed = await issue(seedCredential(issuer), { key });

interface Prepared {
  signed: Record<string, unknown>;
  unsecured: Record<string, unknown>;
  urls: string[];
  canonical: string;
  quads: ReturnType<typeof documentToQuads>;
  merged: Record<string, unknown>;
  readable: Record<string, unknown>;
  report: Awaited<ReturnType<typeof verify>>;
}
async function prepare(signed: Record<string, unknown>): Promise<Prepared> {
  const report = await verify(signed);
  if (!report.verified) throw new Error(`verify failed: ${JSON.stringify(report.checks)}`);
  const { proof: _proof, ...unsecured } = signed;
  const urls = unsecured['@context'] as string[];
  const quads = documentToQuads(unsecured, compiledTopLevel(urls), urls);
  const canonical = canonizeRdfc(quads)!;
  const merged = mergeNodeCopies(signed);
  return { signed, unsecured, urls, quads, canonical, merged, readable: mergeMergedNodeCopies(merged), report };
}
const sets: Record<string, Prepared[]> = {
  seed: [await prepare(seed as never)],
  varied: await Promise.all(varied.map((v) => prepare(v as never))),
};

const parts: Record<string, (p: Prepared) => unknown> = {
  'walk to quads': (p) => documentToQuads(p.unsecured, compiledTopLevel(p.urls), p.urls),
  'rdfc-1.0': (p) => canonizeRdfc(p.quads),
  'sha-256 of canonical': (p) => sha256OfText(p.canonical),
  'first merge': (p) => mergeNodeCopies(p.signed),
  'second merge': (p) => mergeMergedNodeCopies(p.merged),
  'eu reader': (p) => readMergedOpenBadge(p.readable),
  verdict: (p) => deriveVerdict(p.report),
};

const data = new Uint8Array(64);
const signature = await key.sign(data);
const cpuMs = async (fn: () => unknown, n: number): Promise<number> => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
};
const floor = () => cpuMs(() => key.verify(data, signature), 300);

const rows = new Map<string, { us: number[]; floors: number[] }>();
const add = (name: string, ms: number, floorMs: number) => {
  const row = rows.get(name) ?? { us: [], floors: [] };
  row.us.push(ms * 1000);
  row.floors.push(ms / floorMs);
  rows.set(name, row);
};
for (let warm = 0; warm < 3; warm++)
  for (const set of Object.values(sets)) for (const p of set) for (const f of Object.values(parts)) f(p);
for (let r = 0; r < Number(values.rounds); r++) {
  for (const [setName, set] of Object.entries(sets)) {
    const reps = set.length === 1 ? 200 : 4;
    for (const [name, f] of Object.entries(parts)) {
      const ms = (await cpuMs(() => set.forEach((p) => f(p)), reps)) / set.length;
      add(`${setName} ${name}`, ms, await floor());
    }
    const ms =
      (await cpuMs(async () => {
        for (const p of set) await verify(p.signed);
      }, reps / 4)) / set.length;
    add(`${setName} whole verify`, ms, await floor());
  }
  add('ed25519 verify (floor)', await floor(), await floor());
}
for (const [name, { us, floors }] of rows)
  console.log(
    `${name.padEnd(30)} ${summarize(us).median.toFixed(1).padStart(8)} µs  ${summarize(floors).median.toFixed(2).padStart(6)} floors`,
  );
