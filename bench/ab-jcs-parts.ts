/**
 * The parts of an eddsa-jcs-2022 issue and verify that are JCS's own, before/after in one process: two checkouts of
 * this library loaded side by side (as bench/ab-checks.ts does) and timed alternately, round by round, on the seed
 * and the large credential: the JCS serialization of the document, JCS plus its SHA-256, and the JSON-LD safe-mode
 * walk (checkSafeMode), with one Ed25519 verification as the floor. Process CPU time per operation, medians, and
 * the after/before ratio of the medians. The whole operations are bench/ab-checks.ts's.
 *
 *   git archive main | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   node --import tsx bench/ab-jcs-parts.ts /tmp/base "$PWD" [rounds]
 */
import { summarize } from './stats';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: bench/ab-jcs-parts.ts BEFORE_DIR AFTER_DIR [rounds]');
const ROUNDS = Number(roundsArg ?? 31);

interface Side {
  lib: typeof import('../src/index');
  jcs: typeof import('../src/proof/jcs');
  safeMode: typeof import('../src/jsonld/fast/index');
  crypto: typeof import('../src/platform/node-crypto');
}
async function load(dir: string): Promise<Side> {
  return {
    lib: await import(`${dir}/src/index.ts`),
    jcs: await import(`${dir}/src/proof/jcs.ts`),
    safeMode: await import(`${dir}/src/jsonld/fast/index.ts`),
    crypto: await import(`${dir}/src/platform/node-crypto.ts`),
  };
}
const sides = { before: await load(beforeDir), after: await load(afterDir) };
const { benchIssuer, largeCredential, seedCredential } = await import('./fixtures');
const { lib } = sides.after;
const key = lib.generateKey();
const documents = {
  seed: await lib.issue(seedCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' }),
  large: await lib.issue(largeCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' }),
};

const ops: Record<string, () => unknown> = {};
for (const [credential, signed] of Object.entries(documents)) {
  // As a verifier meets them: parsed from JSON text.
  const document = JSON.parse(JSON.stringify(signed)) as Record<string, unknown>;
  const { proof: _proof, ...unsecured } = document;
  for (const [side, { jcs, safeMode, crypto }] of Object.entries(sides)) {
    if (jcs.canonicalizeJcs(unsecured) !== sides.before.jcs.canonicalizeJcs(unsecured)) throw new Error('JCS differs');
    await safeMode.checkSafeMode(document);
    ops[`${credential} JCS ${side}`] = () => jcs.canonicalizeJcs(unsecured);
    ops[`${credential} JCS + SHA-256 ${side}`] = () => crypto.sha256OfText(jcs.canonicalizeJcs(unsecured));
    ops[`${credential} checkSafeMode ${side}`] = () => safeMode.checkSafeMode(document);
  }
}
const data = new Uint8Array(64);
const signature = await key.sign(data);
ops['Ed25519 verify'] = () => key.verify(data, signature);

const cpu: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, op] of Object.entries(ops)) {
    const start = process.cpuUsage();
    for (let i = 0; i < 200; i++) await op();
    const used = process.cpuUsage(start);
    (cpu[name] ??= []).push((used.user + used.system) / 1000 / 200);
  }
}
const median = (name: string) => summarize(cpu[name]!).median;
const floor = median('Ed25519 verify');
for (const name of Object.keys(ops)) {
  if (!name.endsWith(' before')) continue;
  const part = name.slice(0, -' before'.length);
  const [before, after] = [median(name), median(`${part} after`)];
  console.log(
    `${part.padEnd(26)} before ${(before * 1000).toFixed(1)} µs (${(before / floor).toFixed(2)} floors)  after ${(after * 1000).toFixed(1)} µs (${(after / floor).toFixed(2)} floors)  after/before ${(after / before).toFixed(2)}`,
  );
}
console.log(`Ed25519 verify (floor) ${(floor * 1000).toFixed(1)} µs CPU`);
