import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MicrocredError,
  award,
  awardProgramme,
  bake,
  credentialDigest,
  defineIssuer,
  defineMicroCredential,
  defineProgramme,
  generateKey,
  issue,
  newLearnerSalt,
  verify,
  verifyStack,
  type MicroCredentialCredential,
  type MicroCredentialDefinition,
  type StackReport,
} from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { partPassed } from '../src/stack/rules';
import { AssessmentType, LearningMode, QualityAssuranceType } from '../src/model/vocab';
import { parseInput } from '../src/verify/parse';
import { reiProgramme } from '../examples/rei-programme';
import { fixturePath } from './helpers/fixtures';

type Json = Record<string, unknown>;
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
/** One salt for all of this learner's credentials (what the register will store per learner). */
const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
const jaan = { email: 'jaan.tamm@example.ee', salt: '0b9e7c5a3d1f2e4c6a8b0d2f4e6c8a1b' };
const GRADES = ['A', 'B', 'A', 'pass', 'pass'];
const awardedOn = (i: number) => (i < 3 ? '2024-01-26' : '2024-06-14');
const LIST = 'https://www.ut.ee/status/1';

function awardPart(i: number, learner: object = mari, extra: Json = {}): MicroCredentialCredential {
  return award(reiProgramme.parts[i]!, {
    issuer,
    learner: learner as typeof mari,
    grade: GRADES[i]!,
    awardedOn: awardedOn(i),
    ...extra,
  });
}

/** A signed programme credential over exactly these parts, made WITHOUT the awarding rule (as anyone could sign one). */
async function programmeOver(
  parts: readonly Part[],
  opts: { learner?: object; awardedOn?: string } = {},
): Promise<Json> {
  const c = award(reiProgramme, {
    issuer,
    learner: (opts.learner ?? mari) as typeof mari,
    awardedOn: opts.awardedOn ?? '2024-06-20',
  }) as unknown as Json;
  c.relatedResource = await Promise.all(
    parts.map(async (p) => {
      const parsed = await parseInput(p);
      return { id: parsed.credential.id, digestMultibase: credentialDigest(parsed) };
    }),
  );
  return (await issue(c, { key })) as Json;
}

const failing = (r: StackReport) => r.checks.filter((c) => c.status === 'fail');
const codes = (r: StackReport) => [...new Set(failing(r).map((c) => c.code))].sort();

type Part = object | string;
let parts: Part[];
let programme: Json;

beforeAll(async () => {
  // Four parts with an embedded proof, one as a VC-JWT: a stack may mix formats.
  parts = await Promise.all(
    GRADES.map((_, i) => issue(awardPart(i), { key, format: i === 4 ? 'vc-jwt' : 'eddsa-rdfc-2022' })),
  );
  programme = (await issue(
    await awardProgramme(reiProgramme, { issuer, learner: mari, parts, awardedOn: '2024-06-20' }),
    { key },
  )) as unknown as Json;
});

describe('the seed stack: five courses (4+4+4+6+6 ECTS) and the 24-ECTS programme', () => {
  it("verifies as a stack: every credential's full report, then every stack check passes", async () => {
    const r = await verifyStack({ programme, parts });
    expect(failing(r)).toEqual([]);
    expect(r.verified).toBe(true);
    expect(r.programme.verified).toBe(true);
    expect(r.parts.map((p) => p.verified)).toEqual([true, true, true, true, true]);
    expect(r.parts[4]!.format).toBe('vc-jwt');
    const passed = r.checks.filter((c) => c.status === 'pass').map((c) => c.check);
    expect(passed).toEqual(['credentials', 'parts', 'learner', 'results', 'credits', 'dates', 'issuers', 'integrity']);
    expect(r.checks.find((c) => c.check === 'credits')!.message).toBe(
      "The parts' 24 ECTS add up to the programme's 24 ECTS",
    );
    expect(r.checks.find((c) => c.check === 'learner')!.message).toMatch(
      /^Every credential names the programme's learner \(the same salted identity hash\)$/,
    );
  });

  it('the programme credential names each part credential with the digest of its bytes (relatedResource)', async () => {
    const related = programme.relatedResource as { id: string; digestMultibase: string }[];
    expect(related.map((x) => x.id)).toEqual(
      await Promise.all(parts.map(async (p) => (await parseInput(p)).credential.id)),
    );
    for (const x of related) expect(x.digestMultibase).toMatch(/^uEi[A-Za-z0-9_-]{44}$/);
    // A JSON-LD part is digested as its JCS, so re-formatting its JSON does not change it.
    const reformatted = JSON.stringify(parts[0]!, null, 7);
    expect((await verifyStack({ programme, parts: [reformatted, ...parts.slice(1)] })).verified).toBe(true);
    // A part baked into a badge image is the same credential: a VC-JWT is digested as its compact string.
    const png = bake(
      fs.readFileSync(fixturePath('ob3', '1edtech-validator-fixtures', 'simple-json.png')),
      parts[4] as string,
      { replace: true },
    );
    const baked = await verifyStack({ programme, parts: [...parts.slice(0, 4), png] });
    expect(baked.parts[4]!.source).toBe('png');
    expect(baked.verified).toBe(true);
    // The same credentials in any order, or all in one list (as a CLR or a presentation holds them), verify alike.
    expect((await verifyStack({ programme, parts: [...parts].reverse() })).verified).toBe(true);
    expect(
      (await verifyStack({ credentials: [parts[2]!, programme, ...parts.slice(0, 2), ...parts.slice(3)] })).verified,
    ).toBe(true);
  });

  it('the programme credential verifies on its own as an EU micro-credential', async () => {
    const r = await verify(programme);
    expect(r.verified, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(true);
  });
});

describe('each rule, broken, fails with its own check and a plain-words reason', () => {
  it('a missing part', async () => {
    const four = parts.slice(0, 4);
    const r = await verifyStack({ programme: await programmeOver(four), parts: four });
    expect(r.verified).toBe(false);
    expect(codes(r)).toEqual(['CREDITS_MISMATCH', 'PART_MISSING']);
    expect(failing(r).find((c) => c.code === 'PART_MISSING')!.message).toBe(
      `No credential for the part ${reiProgramme.parts[4]!.id}`,
    );
    expect(failing(r).find((c) => c.code === 'CREDITS_MISMATCH')!.message).toMatch(
      /^The parts earn 18 ECTS, but the programme is worth 24 ECTS/,
    );
  });

  it('no part at all: the credits reason lists no empty "()"', async () => {
    const r = await verifyStack({ programme, parts: [] });
    expect(r.verified).toBe(false);
    const credits = failing(r).find((c) => c.code === 'CREDITS_MISMATCH')!.message;
    expect(credits).toBe('The parts earn 0 ECTS, but the programme is worth 24 ECTS');
  });

  it('a failed part', async () => {
    const failed = await issue(awardPart(1, mari, { grade: 'F' }), { key });
    const stack = [parts[0]!, failed, ...parts.slice(2)];
    const r = await verifyStack({ programme: await programmeOver(stack), parts: stack });
    // A failed course earns no credits, so the sum is short as well.
    expect(codes(r)).toEqual(['CREDITS_MISMATCH', 'PART_NOT_PASSED']);
    expect(failing(r).find((c) => c.code === 'PART_NOT_PASSED')!.message).toBe(
      '"Basics of ethics" ($.parts[1]) was not passed: the result is "Failed" (grade F)',
    );
  });

  it('a foreign part (a course of another programme)', async () => {
    const common = {
      description: 'Elsewhere.',
      awardingBodies: [issuer] as [typeof issuer],
      learningOutcomes: ['Knows some ethics.'] as [string],
      level: { eqf: 7 as const },
      assessment: [{ type: AssessmentType.continuousEvaluation }] as [
        { type: typeof AssessmentType.continuousEvaluation },
      ],
      participation: { mode: LearningMode.online },
      qualityAssurance: [{ type: QualityAssuranceType.programmeQA }] as [
        { type: typeof QualityAssuranceType.programmeQA },
      ],
    };
    const other: MicroCredentialDefinition = defineMicroCredential({
      ...common,
      id: 'https://other.example/mc/ethics',
      title: 'Ethics elsewhere',
      workload: { ects: 4 },
    });
    const otherProgramme = defineProgramme({
      ...common,
      id: 'https://other.example/programme',
      title: 'Other programme',
      parts: [other],
    });
    const foreign = await issue(award(otherProgramme.parts[0]!, { issuer, learner: mari, awardedOn: '2024-01-26' }), {
      key,
    });
    const stack = [foreign, ...parts.slice(1)];
    const r = await verifyStack({ programme: await programmeOver(stack), parts: stack });
    // The course it stands in for is then missing, and so are its credits.
    expect(codes(r)).toEqual(['CREDITS_MISMATCH', 'PART_FOREIGN', 'PART_MISSING']);
    expect(failing(r).find((c) => c.code === 'PART_FOREIGN')!.message).toBe(
      `"Ethics elsewhere" ($.parts[0]) is not one of this programme's parts (it says it is part of https://other.example/programme)`,
    );
  });

  it('a part of another learner', async () => {
    const jaans = await issue(awardPart(2, jaan), { key });
    const stack = [...parts.slice(0, 2), jaans, ...parts.slice(3)];
    const r = await verifyStack({ programme: await programmeOver(stack), parts: stack });
    expect(codes(r)).toEqual(['LEARNER_MISMATCH']);
    expect(failing(r)[0]!.path).toBe('$.parts[2]');
    expect(failing(r)[0]!.message).toMatch(/cannot be linked to the programme's learner/);
    // Learners identified by DIDs: a part of another DID is plainly someone else's.
    const didA = 'did:example:learner-a';
    const dids = await Promise.all(
      GRADES.map((_, i) => issue(awardPart(i, i === 3 ? { id: 'did:example:learner-b' } : { id: didA }), { key })),
    );
    const d = await verifyStack({ programme: await programmeOver(dids, { learner: { id: didA } }), parts: dids });
    expect(codes(d)).toEqual(['LEARNER_MISMATCH']);
    expect(failing(d)[0]!.message).toBe(
      '"Ethics in an organization" ($.parts[3]) was awarded to someone else (subject did:example:learner-b, the programme\'s is did:example:learner-a)',
    );
    // The verifier who knows the learner can name them: the hashes are checked against the plain email.
    const named = await verifyStack({
      programme: await programmeOver(stack),
      parts: stack,
      learner: { email: mari.email },
    });
    expect(codes(named)).toEqual(['LEARNER_MISMATCH']);
    expect(failing(named)[0]!.message).toBe(
      '"Research integrity: framework, requirements, values and principles of action" ($.parts[2]) was not awarded to this learner: neither its subject id nor its identifiers match the learner given',
    );
  });

  it('a duplicate part', async () => {
    const stack = [...parts, parts[0]!];
    const r = await verifyStack({ programme, parts: stack });
    expect(codes(r)).toEqual(['PART_DUPLICATE']);
    expect(failing(r)[0]!.message).toBe(
      '"Critical thinking and argumentation" ($.parts[5]) is given twice ($.parts[0] and $.parts[5]); each part counts once',
    );
  });

  it('a wrong ECTS sum', async () => {
    const short = awardPart(3) as unknown as { credentialSubject: { creditsEarned: number } };
    short.credentialSubject.creditsEarned = 5;
    const stack = [...parts.slice(0, 3), await issue(short, { key }), parts[4]!];
    const r = await verifyStack({ programme: await programmeOver(stack), parts: stack });
    expect(codes(r)).toEqual(['CREDITS_MISMATCH']);
    expect(failing(r)[0]!.message).toMatch(
      /^The parts earn 23 ECTS, but the programme is worth 24 ECTS \(.*"Ethics in an organization" \(\$\.parts\[3\]\): 5/,
    );
  });

  it('a wrong date order (the programme awarded before its last parts)', async () => {
    const r = await verifyStack({ programme: await programmeOver(parts, { awardedOn: '2024-06-01' }), parts });
    expect(codes(r)).toEqual(['DATE_ORDER']);
    expect(failing(r).map((c) => c.path)).toEqual(['$.parts[3]', '$.parts[4]']);
    expect(failing(r)[0]!.message).toBe(
      'The programme was awarded on 2024-06-01T00:00:00Z, before "Ethics in an organization" ($.parts[3]) (2024-06-14T00:00:00Z); a programme comes after its parts',
    );
  });

  it('a revoked part (Bitstring Status List signed by the issuer)', async () => {
    const entry = statusListEntry({ listCredentialId: LIST, index: 4242, purpose: 'revocation' });
    const revocable = await issue(awardPart(0, mari, { credentialStatus: entry }), { key });
    const bits = new Bitstring();
    const list = async () =>
      issue(
        await statusListCredential({
          id: LIST,
          issuer: key.controller,
          purpose: 'revocation',
          bitstring: bits,
          validFrom: '2024-01-01T00:00:00Z',
        }),
        { key },
      );
    const stack = [revocable, ...parts.slice(1)];
    const prog = await programmeOver(stack);
    const notYet = await list();
    const ok = await verifyStack({ programme: prog, parts: stack, fetchStatusList: async () => notYet });
    expect(ok.verified, JSON.stringify(failing(ok))).toBe(true);
    bits.set(4242, true);
    const revokedList = await list();
    const r = await verifyStack({ programme: prog, parts: stack, fetchStatusList: async () => revokedList });
    expect(codes(r)).toEqual(['INVALID_CREDENTIAL']);
    expect(r.parts[0]!.checks.find((c) => c.check === 'status')).toMatchObject({ status: 'fail', code: 'REVOKED' });
    // Issue 19: the revoked part is named as the reason the programme does not stand.
    expect(failing(r)[0]!.message).toMatch(
      /^"Critical thinking and argumentation" \(\$\.parts\[0\]\) has been revoked by its issuer \(Revoked .*\), so a programme awarded on it does not stand$/,
    );
    // Without a fetcher the revocation cannot be seen. Status fails closed: the part is not verified, so
    // neither is the stack, and the part's report says its status was not checked.
    const closed = await verifyStack({ programme: prog, parts: stack });
    expect(closed.verified).toBe(false);
    expect(codes(closed)).toEqual(['INVALID_CREDENTIAL']);
    expect(closed.parts[0]!.checks.find((c) => c.check === 'status')).toMatchObject({
      status: 'fail',
      code: 'STATUS_UNCHECKED',
    });
    // A verifier that accepts an unchecked status (statusCheck: 'optional') gets a verified stack that says so
    // instead of calling it checked.
    const unchecked = await verifyStack({ programme: prog, parts: stack, statusCheck: 'optional' });
    expect(unchecked.verified, JSON.stringify(failing(unchecked))).toBe(true);
    expect(unchecked.checks.find((c) => c.check === 'credentials' && c.status === 'warn')!.message).toMatch(
      /^"Critical thinking and argumentation" \(\$\.parts\[0\]\): whether it was revoked was not checked\. .*no status list was available/,
    );
  });

  it("a part that is not a credential at all: plain words, the parser's message only in the part's own report", async () => {
    const garbled = JSON.stringify(parts[1]).replace('{', '{"__proto__":{"a":1},');
    const r = await verifyStack({ programme, parts: [parts[0]!, garbled, ...parts.slice(2)] });
    expect(r.verified).toBe(false);
    const message = failing(r).find((c) => c.code === 'INVALID_CREDENTIAL')!.message;
    expect(message).toBe(
      '$.parts[1] is not a valid credential: it could not be read as a credential (the file is damaged, or not a credential)',
    );
    expect(message).not.toMatch(/__proto__|JavaScript|JSON\.parse/);
    expect(r.parts[1]!.checks.find((c) => c.check === 'parse')!.message).toMatch(/__proto__/);
  });

  it('a tampered part (a better grade written into a signed credential)', async () => {
    const tampered = structuredClone(parts[1]!) as { credentialSubject: { result: { value: string }[] } };
    tampered.credentialSubject.result[0]!.value = 'A';
    const stack = [parts[0]!, tampered, ...parts.slice(2)];
    const r = await verifyStack({ programme, parts: stack });
    expect(codes(r)).toEqual(['DIGEST_MISMATCH', 'INVALID_CREDENTIAL']);
    expect(failing(r).find((c) => c.code === 'INVALID_CREDENTIAL')!.message).toMatch(
      /^"Basics of ethics" \(\$\.parts\[1\]\) is not a valid credential: .*signature/i,
    );
    expect(failing(r).find((c) => c.code === 'DIGEST_MISMATCH')!.message).toBe(
      '"Basics of ethics" ($.parts[1]) is not the credential the programme was awarded for: it has changed since (its digest differs from the programme\'s relatedResource)',
    );
    // A validly signed but different credential for the same part is caught by the digest alone.
    const reissued = await issue(awardPart(1), { key });
    const swapped = await verifyStack({ programme, parts: [parts[0]!, reissued, ...parts.slice(2)] });
    expect(codes(swapped)).toEqual(['DIGEST_MISMATCH']);
  });

  it('a part from another issuer', async () => {
    const otherKey = generateKey();
    const otherIssuer = defineIssuer({ id: otherKey.controller, name: 'Another University', country: 'FI' });
    const foreignIssued = await issue(
      award(reiProgramme.parts[0]!, { issuer: otherIssuer, learner: mari, grade: 'A', awardedOn: '2024-01-26' }),
      { key: otherKey },
    );
    const stack = [foreignIssued, ...parts.slice(1)];
    const r = await verifyStack({ programme: await programmeOver(stack), parts: stack });
    expect(codes(r)).toEqual(['ISSUER_MISMATCH']);
    expect(failing(r)[0]!.message).toMatch(/was issued by did:key:.*, which is neither the programme's issuer/);
  });
});

describe('partPassed reads the result against its result description, as any issuer may write it', () => {
  const withResult = (rd: Json, result: Json, extra: Json = {}) => ({
    credentialSubject: {
      result: [{ type: ['Result'], resultDescription: 'urn:rd', ...result }],
      achievement: { resultDescription: [{ id: 'urn:rd', type: ['ResultDescription'], ...rd }] },
      ...extra,
    },
  });
  const letter = { resultType: 'LetterGrade', allowedValue: ['F', 'E', 'D', 'C', 'B', 'A'], requiredValue: 'E' };
  it.each([
    [letter, { value: 'D' }, true, 'passed'],
    [letter, { value: 'E' }, true, 'passed'],
    [letter, { value: 'F' }, false, 'grade F, below the lowest pass E'],
    [letter, { value: 'A+' }, false, 'grade A+ is not on its scale (F, E, D, C, B, A)'],
    [letter, { value: 'A', status: 'Failed' }, false, 'the result is "Failed" (grade A)'],
    [
      { resultType: 'RawScore', valueMin: '0', valueMax: '100', requiredValue: '51' },
      { value: '50' },
      false,
      'score 50, below the pass mark 51',
    ],
    [{ resultType: 'RawScore', requiredValue: '51' }, { value: '51' }, true, 'passed'],
    [{ resultType: 'Status', requiredValue: 'pass' }, { value: 'fail' }, false, 'result fail, where pass is required'],
  ] as [Json, Json, boolean, string][])('%j with %j: passed %s', (rd, result, passed, why) => {
    expect(partPassed(withResult(rd, result))).toEqual({ passed, why });
  });
  it('an ungraded part passes unless it earned no credits', () => {
    expect(partPassed({ credentialSubject: { achievement: { creditsAvailable: 4 }, creditsEarned: 4 } })).toEqual({
      passed: true,
      why: 'no grade recorded; awarded as completed',
    });
    expect(partPassed({ credentialSubject: { achievement: { creditsAvailable: 4 }, creditsEarned: 0 } })).toEqual({
      passed: false,
      why: 'no credits were earned',
    });
  });
});

describe('misuse and hostile input', () => {
  it('refuses more than 64 credentials at once before verifying any, and a call without a programme', async () => {
    await expect(verifyStack({ programme, parts: Array.from({ length: 64 }, () => parts[0]!) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'A stack of 65 credentials; at most 64 are verified together',
    });
    await expect(verifyStack({ parts })).rejects.toMatchObject({ code: 'INVALID_INPUT', path: '$.programme' });
    await expect(verifyStack({ credentials: parts })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'None of the credentials is a programme (none lists hasPart)',
    });
  });

  it('a programme or part that is not a credential at all is reported, not thrown', async () => {
    const r = await verifyStack({ programme, parts: [...parts.slice(0, 4), 'not a credential'] });
    expect(r.verified).toBe(false);
    expect(r.parts[4]!.checks[0]).toMatchObject({ check: 'parse', status: 'fail' });
    expect(codes(r)).toEqual(['CREDITS_MISMATCH', 'INVALID_CREDENTIAL', 'PART_MISSING']);
    const p = await verifyStack({ programme: '{"broken": ', parts });
    expect(p.verified).toBe(false);
    expect(codes(p)).toEqual(['INVALID_CREDENTIAL', 'PART_MISSING']);
  });
});

describe('learner identity across a stack', () => {
  it('per-credential salts (the default) keep credentials unlinkable unless the verifier names the learner', async () => {
    const plain = { email: mari.email };
    const unsalted = await Promise.all(GRADES.map((_, i) => issue(awardPart(i, plain), { key })));
    const prog = await programmeOver(unsalted, { learner: plain });
    const hashes = new Set(
      unsalted.map(
        (p) =>
          ((p as unknown as Json).credentialSubject as { identifier: { identityHash: string }[] }).identifier[0]!
            .identityHash,
      ),
    );
    expect(hashes.size).toBe(5);
    const anonymous = await verifyStack({ programme: prog, parts: unsalted });
    expect(codes(anonymous)).toEqual(['LEARNER_MISMATCH']);
    expect(failing(anonymous)).toHaveLength(5);
    expect((await verifyStack({ programme: prog, parts: unsalted, learner: plain })).verified).toBe(true);
  });

  it("one salt per learner gives equal hashes across that learner's credentials and no one else's", () => {
    const a = awardPart(0).credentialSubject.identifier![0]!;
    const b = awardPart(3).credentialSubject.identifier![0]!;
    const other = awardPart(0, { email: jaan.email, salt: mari.salt }).credentialSubject.identifier![0]!;
    expect(a.identityHash).toBe(b.identityHash);
    expect(other.identityHash).not.toBe(a.identityHash);
  });

  it('newLearnerSalt gives a fresh 128-bit salt; a short or non-string salt is refused', () => {
    const s1 = newLearnerSalt();
    expect(s1).toMatch(/^[0-9a-f]{32}$/);
    expect(newLearnerSalt()).not.toBe(s1);
    for (const salt of ['', 'abc', 42]) {
      expect(() => awardPart(0, { email: mari.email, salt })).toThrow(
        expect.objectContaining({
          code: 'INVALID_ELEMENT',
          problems: [expect.objectContaining({ path: '$.learner.salt' })],
        }),
      );
    }
  });
});

describe("awardProgramme: the programme only from the learner's earned parts", () => {
  it('refuses with PROGRAMME_NOT_EARNED, listing every reason', async () => {
    const failedPart = await issue(awardPart(1, mari, { grade: 'F' }), { key });
    const jaans = await issue(awardPart(2, jaan), { key });
    const err = await awardProgramme(reiProgramme, {
      issuer,
      learner: mari,
      parts: [parts[0]!, failedPart, jaans, parts[0]!],
      awardedOn: '2024-06-20',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MicrocredError);
    const e = err as MicrocredError;
    expect(e.code).toBe('PROGRAMME_NOT_EARNED');
    expect(e.problems.map((p) => p.code).sort()).toEqual([
      'CREDITS_MISMATCH',
      'LEARNER_MISMATCH',
      'PART_DUPLICATE',
      'PART_MISSING',
      'PART_MISSING',
      'PART_NOT_PASSED',
    ]);
    expect(e.message).toMatch(
      /^The programme "Academic and Research Integrity: from theory to practice" cannot be awarded \(6 reasons\):/,
    );
    expect(e.message).toContain('No credential for the part "Ethics in an organization"');
    expect(e.message).toContain('"Basics of ethics" ($.parts[1]) was not passed: the result is "Failed" (grade F)');
  });

  it('refuses a tampered part and an award dated before the last part', async () => {
    const tampered = structuredClone(parts[0]!) as Json;
    tampered.name = 'Forged';
    const err = (await awardProgramme(reiProgramme, {
      issuer,
      learner: mari,
      parts: [tampered, ...parts.slice(1)],
      awardedOn: '2024-06-01',
    }).catch((e: unknown) => e)) as MicrocredError;
    expect(err.problems.map((p) => p.code).sort()).toEqual(['DATE_ORDER', 'DATE_ORDER', 'INVALID_CREDENTIAL']);
  });

  it('takes parts the register vouches for without verifying them again', async () => {
    const records = parts.map((credential) => ({ credential, verified: true as const }));
    const c = await awardProgramme(reiProgramme, { issuer, learner: mari, parts: records, awardedOn: '2024-06-20' });
    expect(c.relatedResource).toEqual(programme.relatedResource);
    expect(c.credentialSubject.creditsEarned).toBe(24);
  });
});
