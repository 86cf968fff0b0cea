/**
 * How many SHA-256 calls an eddsa-rdfc-2022 proof's RDF side makes, and of how many characters, by caller: one
 * `computeHashData` of the seed credential's proof configuration and document (what a verify and an issue run),
 * node:crypto's one-shot hash wrapped while it runs.
 *
 *   node --import tsx bench/count-hashes.ts
 */
import { importKey, issue } from '../src/index';
import { computeHashData } from '../src/proof/data-integrity';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceIssuer } from './reference';

const crypto = process.getBuiltinModule('node:crypto') as { hash: (...args: unknown[]) => unknown };
const key = importKey({ secretKeyMultibase: (await referenceIssuer()).secretKeyMultibase });
const signed = (await issue(seedCredential(benchIssuer(key.controller)), { key })) as unknown as Record<
  string,
  unknown
>;
const { proof, ...unsecured } = signed;
const { proofValue: _value, ...config } = (proof as Record<string, unknown>[])[0]!;
config['@context'] = unsecured['@context'];
await computeHashData(unsecured, config, 'rdfc'); // contexts compiled, tables filled

const original = crypto.hash;
const byCaller = new Map<string, { calls: number; characters: number }>();
crypto.hash = function (this: unknown, ...args: unknown[]) {
  const caller = (new Error().stack ?? '').split('\n')[3]?.trim().split(' ')[1] ?? '?';
  const entry = byCaller.get(caller) ?? { calls: 0, characters: 0 };
  entry.calls++;
  entry.characters += typeof args[1] === 'string' ? args[1].length : 0;
  byCaller.set(caller, entry);
  return original.apply(this, args);
};
try {
  await computeHashData(unsecured, config, 'rdfc');
} finally {
  crypto.hash = original;
}
let calls = 0;
for (const [caller, entry] of byCaller) {
  calls += entry.calls;
  console.log(`${caller.padEnd(40)} ${String(entry.calls).padStart(3)} calls  ${entry.characters} characters`);
}
console.log(`${'all'.padEnd(40)} ${String(calls).padStart(3)} calls`);
