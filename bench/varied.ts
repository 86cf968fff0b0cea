import fc from 'fast-check';
import type { MicroCredentialCredential, Profile } from '../src/index';
import { buildMicroCredential, microCredentialInputs } from '../test/helpers/generated-micro-credentials';

/**
 * Varied credentials for the benchmark: N different EU micro-credentials (OB 3.0), each its own achievement, made
 * by the generator the differential tests use (test/helpers/generated-micro-credentials.ts) with realistic text in
 * place of odd text, from a fixed seed so that every run measures the same documents.
 */
const WORDS = (
  'the learner applies analyses evaluates designs research data ethics integrity methods software quality ' +
  'sustainable energy systems public health policy digital skills teamwork project management statistics ' +
  'writing academic texts critical thinking European law cultural heritage machine learning safety care ' +
  'entrepreneurship circular economy of in for with and to a an on by under supervision'
).split(' ');

const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 4, maxLength: 16 })
  .map((words) => `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`);

export const VARIED_SEED = 2023;

export function variedCredentials(issuer: Profile, count: number, seed = VARIED_SEED): MicroCredentialCredential[] {
  // Awarded in the past (the generator's dates run to 2099), so that every credential verifies as valid now.
  const awarded = fc.date({
    min: new Date('2015-01-01T00:00:00Z'),
    max: new Date('2025-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const arbitrary = fc.tuple(microCredentialInputs(sentence), awarded).map(([g, awardedOn]) => ({ ...g, awardedOn }));
  const inputs = fc.sample(arbitrary, { seed, numRuns: count * 2 });
  const out: MicroCredentialCredential[] = [];
  for (const [i, g] of inputs.entries()) {
    const made = buildMicroCredential(g, issuer, `https://uni.example/micro-credentials/${i}`);
    if (made) out.push(made.credential);
    if (out.length === count) return out;
  }
  throw new Error(`only ${out.length} of ${count} varied credentials could be built`);
}
