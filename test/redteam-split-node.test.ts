/**
 * Issue 19, item 4: readers read what was signed. JSON-LD merges node objects with one id into one node, so a holder
 * can split a node into copies (and reorder a set) without touching the canonical N-Quads an eddsa-rdfc-2022 proof
 * covers. The attack as reproduced on main: a part graded F, below its pass mark E, with its resultDescription split
 * into [copy without allowedValue/requiredValue, original], passed the stack and read with no pass mark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  award,
  credentialDigest,
  defineIssuer,
  generateKey,
  issue,
  readMicroCredential,
  verify,
  verifyStack,
} from '../src';
import { partPassed } from '../src/stack/rules';
import { createProof } from '../src/proof';
import { parseInput } from '../src/verify/parse';
import { fastCanonize } from '../src/jsonld/fast/index';
import { reiProgramme } from '../examples/rei-programme';

type Json = Record<string, unknown>;
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
const GRADES = ['F', 'B', 'A', 'pass', 'pass'];

const withoutProof = ({ proof: _p, ...rest }: Json): Json => (void _p, rest);
const achievementOf = (c: Json) => (c.credentialSubject as Json).achievement as Json;

/** The holder's rewrite: resultDescription[0] becomes a copy without the scale and pass mark, then the original. */
function splitResultDescription(signed: Json): Json {
  const doc = structuredClone(signed);
  const achievement = achievementOf(doc);
  const descriptions = achievement.resultDescription as Json[];
  const original = descriptions[0]!;
  const { allowedValue: _a, requiredValue: _r, ...copy } = original;
  void _a;
  void _r;
  achievement.resultDescription = [copy, original, ...descriptions.slice(1)];
  return doc;
}

let parts: Json[];
let programme: Json;
beforeAll(async () => {
  parts = (await Promise.all(
    GRADES.map((grade, i) =>
      issue(
        award(reiProgramme.parts[i]!, { issuer, learner: mari, grade, awardedOn: i < 3 ? '2024-01-26' : '2024-06-14' }),
        { key },
      ),
    ),
  )) as unknown as Json[];
  // The F part as a careless issuing tool signs it (issue() would refuse it): the grade F under a pass mark of E, but
  // no "Failed" status and the course's credits stated as earned. Verifiers catch it by reading the pass mark.
  const sloppy = award(reiProgramme.parts[0]!, {
    issuer,
    learner: mari,
    grade: 'F',
    awardedOn: '2024-01-26',
  }) as unknown as Json;
  const subject = sloppy.credentialSubject as Json;
  delete ((subject.result as Json[])[0] as Json).status;
  subject.creditsEarned = 4;
  parts[0] = (await createProof(sloppy, { key, created: '2024-01-26T00:00:00Z' })) as unknown as Json;
  // Signed without the awarding rule, as anyone with a key the verifier accepts could: the stack rules must catch it.
  const c = award(reiProgramme, { issuer, learner: mari, awardedOn: '2024-06-20' }) as unknown as Json;
  c.relatedResource = await Promise.all(
    parts.map(async (p) => {
      const parsed = await parseInput(p);
      return { id: parsed.credential.id, digestMultibase: credentialDigest(parsed) };
    }),
  );
  programme = (await issue(c, { key })) as unknown as Json;
});

describe('split a node: the F part below pass mark E', () => {
  it('sanity: as signed, the F part does not verify (its grade contradicts its credits) and the stack fails on it (PART_NOT_PASSED)', async () => {
    expect((await verify(parts[0]!)).checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain(
      'INCONSISTENT_VALUES',
    );
    const r = await verifyStack({ programme, parts });
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.check === 'results')).toMatchObject({ status: 'fail', code: 'PART_NOT_PASSED' });
  });

  it('the split keeps the signed graph (so the proof holds), and neither verify() nor the stack is fooled: the F part fails as before', async () => {
    const split = splitResultDescription(parts[0]!);
    expect(await fastCanonize(withoutProof(split))).toBe(await fastCanonize(withoutProof(parts[0]!)));
    const alone = await verify(split);
    expect(alone.verified).toBe(false);
    expect(alone.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain('INCONSISTENT_VALUES');
    const r = await verifyStack({ programme, parts: [split, ...parts.slice(1)] });
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.check === 'results')).toMatchObject({ status: 'fail', code: 'PART_NOT_PASSED' });
    expect(r.checks.find((c) => c.check === 'results')!.message).toMatch(/grade F, below the lowest pass E/);
    expect(partPassed(split)).toEqual(partPassed(parts[0]!));
  });

  it('readMicroCredential reads the pass mark and the scale from the split part as from the original', () => {
    const split = splitResultDescription(parts[0]!);
    expect(readMicroCredential(split).grade).toEqual(readMicroCredential(parts[0]!).grade);
    expect(readMicroCredential(split).grade).toMatchObject({ value: 'F', requiredValue: 'E' });
  });
});

describe('reorder a set: with two results the holder does not pick the grade shown', () => {
  it('the grade read is the same whichever order the results are written in', async () => {
    const c = award(reiProgramme.parts[1]!, {
      issuer,
      learner: mari,
      grade: 'B',
      awardedOn: '2024-01-26',
    }) as unknown as Json;
    const subject = c.credentialSubject as Json;
    const [result] = subject.result as Json[];
    subject.result = [result, { ...result, value: 'F', status: 'Failed' }];
    const signed = (await createProof(c, { key, created: '2024-01-26T00:00:00Z' })) as unknown as Json;
    const reordered = structuredClone(signed);
    (reordered.credentialSubject as Json).result = [...((signed.credentialSubject as Json).result as Json[])].reverse();
    expect(await fastCanonize(withoutProof(reordered))).toBe(await fastCanonize(withoutProof(signed)));
    expect(readMicroCredential(reordered).grade).toEqual(readMicroCredential(signed).grade);
    expect(readMicroCredential(signed).grade?.value).toBe('F');
    expect(partPassed(reordered)).toEqual(partPassed(signed));
  });
});
