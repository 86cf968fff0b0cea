import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reiProgramme, university } from '../examples/rei-programme';
import {
  award,
  type AwardOptions,
  createRosterIssuer,
  generateKey,
  isMicrocredError,
  issue,
  verify,
  type IssueFormat,
  type MicroCredentialDefinition,
  type Profile,
} from '../src';
type RosterAward = Omit<AwardOptions, 'issuer'>;
import { fastCanonize } from '../src/jsonld/fast/index';
import { SplitCanonicalizer } from '../src/roster/split-canonicalizer';
import { buildMicroCredential, gradeFor, microCredentialInputs } from './helpers/generated-micro-credentials';

const key = generateKey();
const created = '2025-03-01T10:00:00Z';
const course = reiProgramme.parts[0]!;
const achievementId = course.achievement.id;

/** What a call gave: the credential's exact JSON text, or the error's code, message and problems. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { json: JSON.stringify(await run()) };
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    return { code: e.code, message: e.message, problems: e.problems };
  }
}

/** How many comparisons ended in a signed credential, and how many in the same refusal. */
const tally = { signed: 0, refused: 0 };

/** The same learner through the plain API and through a roster: identical bytes, or the identical error. */
async function expectSame(
  definition: MicroCredentialDefinition,
  issuer: Profile,
  learners: readonly RosterAward[],
  format: IssueFormat = 'eddsa-rdfc-2022',
): Promise<void> {
  const options = { key, created, format, allowForeignController: true } as const;
  const roster = createRosterIssuer(definition, { ...options, issuer });
  for (const learner of learners) {
    const plain = await outcome(() => issue(award(definition, { ...learner, issuer }), options));
    const ours = await outcome(() => roster.issue(learner));
    expect(ours).toEqual(plain);
    tally[(plain as { json?: string }).json !== undefined ? 'signed' : 'refused']++;
    const awarded = await outcome(async () => roster.award(learner));
    expect(awarded).toEqual(await outcome(async () => award(definition, { ...learner, issuer })));
  }
}

/** IRIs a hostile learner or caller may reuse: the issuer's, the achievement's and ones inside it, and odd ones. */
const hostileIris = [
  university.id,
  achievementId,
  `${achievementId}#criteria`,
  'https://www.ut.ee/en',
  'urn:uuid:00000000-0000-4000-8000-000000000001',
  'did:example:learner',
  '_:b0',
  '_:fb1',
  'https://example.org/a b',
  'not an iri',
];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('@id', '@context', '_:b0', 'University of Tartu', ' ', '\u0000', '\ud800', 'A'),
);
/** Mostly what the checks accept (so that bytes are compared), sometimes anything. */
const mostly = <T>(good: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: odd, weight: 1 });
const validStatus = {
  type: 'BitstringStatusListEntry',
  id: 'https://uni.example/status/1#7',
  statusPurpose: 'revocation',
  statusListIndex: '7',
  statusListCredential: 'https://uni.example/status/1',
};
const learnerArb: fc.Arbitrary<RosterAward> = fc.record(
  {
    learner: fc.oneof(
      fc.constantFrom<unknown>(...hostileIris),
      fc.record(
        {
          email: mostly(fc.emailAddress(), text),
          studentId: text,
          nationalId: text,
          name: text,
          id: fc.constantFrom(...hostileIris),
          hashed: fc.boolean(),
          salt: mostly(fc.constant('0123456789abcdef'), text),
        },
        { requiredKeys: ['salt', 'email'] },
      ),
    ),
    grade: mostly(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), fc.constantFrom<string | number>('Z', '', 5, -1)),
    awardedOn: mostly(fc.constant('2024-01-26'), fc.constantFrom('2024-02-30', 'yesterday')),
    id: mostly(
      fc.uuid().map((u) => `urn:uuid:${u}`),
      fc.constantFrom(...hostileIris),
    ),
    name: text,
    description: text,
    credentialStatus: mostly(
      fc.constant(validStatus),
      fc.constantFrom(
        { type: '1EdTechRevocationList', id: university.id },
        { ...validStatus, id: achievementId, statusListCredential: university.id },
      ),
    ),
    include1EdTechSchema: fc.boolean(),
    failingGrade: fc.constantFrom('record', 'refuse'),
  },
  { requiredKeys: ['learner', 'id', 'grade', 'awardedOn'] },
) as fc.Arbitrary<RosterAward>;

/** A learner the checks accept: fixed salt and credential id, so that both paths give the same bytes. */
const plainLearner = (i: number, extra: Partial<RosterAward> = {}): RosterAward => ({
  learner: { email: `learner${i}@example.ee`, salt: '0123456789abcdef' },
  grade: 'ABCDE'[i % 5]!,
  awardedOn: '2024-01-26',
  id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  ...extra,
});

describe('createRosterIssuer gives what award + issue give, byte for byte', () => {
  it('for a cohort of the seed course, in every format with a fixed output', async () => {
    const cohort = Array.from({ length: 12 }, (_, i) => plainLearner(i));
    await expectSame(course, university, cohort);
    await expectSame(course, university, cohort.slice(0, 4), 'eddsa-jcs-2022');
    // The 1EdTech extension context: a second context list, a second fixed part.
    await expectSame(course, university, [
      plainLearner(1, { include1EdTechSchema: true }),
      plainLearner(2, { credentialStatus: { type: '1EdTechRevocationList', id: 'https://uni.example/revocations' } }),
      plainLearner(3),
    ]);
  });

  it('when the learner, the credential id or the status reuse the issuer, achievement or odd IRIs', async () => {
    const cases: RosterAward[] = [];
    for (const [i, iri] of hostileIris.entries()) {
      cases.push(plainLearner(i, { learner: iri }));
      cases.push(plainLearner(i, { learner: { id: iri, email: 'x@example.ee', salt: '0123456789abcdef' } }));
      cases.push(plainLearner(i, { id: iri }));
      // The credential named like the issuer and stated about the issuer: the same triple in both parts.
      cases.push(plainLearner(i, { id: iri, name: 'University of Tartu', description: 'University of Tartu' }));
    }
    await expectSame(course, university, cases);
  });

  it('on generated hostile learners of the seed course', async () => {
    const before = { ...tally };
    await fc.assert(
      fc.asyncProperty(fc.array(learnerArb, { minLength: 1, maxLength: 4 }), async (learners) => {
        await expectSame(course, university, learners);
      }),
      { numRuns: 150 },
    );
    // Both outcomes must be exercised often: signed bytes and refusals.
    expect(tally.signed - before.signed).toBeGreaterThan(60);
    expect(tally.refused - before.refused).toBeGreaterThan(60);
  });

  it('on generated micro-credentials, each a roster of its own', async () => {
    const before = tally.signed;
    await fc.assert(
      fc.asyncProperty(microCredentialInputs(fc.string({ unit: 'grapheme', maxLength: 20 })), async (g) => {
        const built = buildMicroCredential(g, university);
        if (!built) return;
        const learners = [0, 1, 2].map((i) => plainLearner(i, { grade: gradeFor(built.definition, g.grade + i) }));
        if (built.definition.grading === undefined) for (const l of learners) delete l.grade;
        await expectSame(built.definition, university, learners);
      }),
      { numRuns: 60 },
    );
    expect(tally.signed - before).toBeGreaterThan(60);
  });
});

describe('the split canonicalizer of a roster', () => {
  const dataset = (split: SplitCanonicalizer, document: object) =>
    (split as unknown as { dataset(d: object, o: object): Promise<{ quads: unknown[] } | undefined> }).dataset(
      document,
      {},
    );

  it('really carries the seed cohort, and steps aside for a credential not made by the roster', async () => {
    const roster = createRosterIssuer(course, { key, created, issuer: university, allowForeignController: true });
    const credential = roster.award(plainLearner(1)) as unknown as Record<string, unknown>;
    const subject = credential.credentialSubject as Record<string, unknown>;
    const split = new SplitCanonicalizer(
      credential.issuer as Record<string, unknown>,
      subject.achievement as Record<string, unknown>,
    );
    expect((await dataset(split, credential))?.quads.length).toBeGreaterThan(50);
    // A copy of the achievement is not the roster's object; another type changes the contexts on the path.
    expect(
      await dataset(split, {
        ...credential,
        credentialSubject: { ...subject, achievement: structuredClone(subject.achievement) },
      }),
    ).toBeUndefined();
    expect(
      await dataset(split, { ...credential, type: ['VerifiableCredential', 'AchievementCredential'] }),
    ).toBeUndefined();
    // The learner stating something about the issuer's node: no split.
    expect(
      await dataset(split, { ...credential, credentialSubject: { ...subject, id: university.id } }),
    ).toBeUndefined();
  });

  it('canonicalizes any other document as fastCanonize does, remembering only the very same text', async () => {
    const split = new SplitCanonicalizer({ id: university.id }, { id: achievementId });
    const config = (created: string, purpose = 'assertionMethod') => ({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created,
      verificationMethod: key.id,
      proofPurpose: purpose,
    });
    const configs = [
      config('2025-01-01T00:00:00Z'),
      config('2025-01-01T00:00:00Z'),
      config('2025-01-01T00:00:01Z'),
      config('2025-01-01T00:00:01Z', 'authentication'),
      config('2025-01-01T00:00:00Z'),
    ];
    for (const c of configs) expect(await split.canonize(c, {})).toBe(await fastCanonize(c, {}));
  });

  it('signs in every format with the shared parts frozen (nothing on the way writes to them)', async () => {
    const issuer = { ...university, id: key.controller };
    for (const format of ['vc-jwt', 'vc+jwt', 'dc+sd-jwt', 'eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const) {
      const roster = createRosterIssuer(course, { key, issuer, format });
      for (const i of [1, 2]) {
        const signed = await roster.issue(plainLearner(i));
        expect((await verify(signed as never)).verified, format).toBe(true);
      }
    }
  });

  it('freezes what it shares, so a caller cannot change one credential through another', () => {
    const roster = createRosterIssuer(course, { key, issuer: university });
    const a = roster.award(plainLearner(1));
    const b = roster.award(plainLearner(2));
    expect(a.credentialSubject.achievement).toBe(b.credentialSubject.achievement);
    expect(Object.isFrozen(a.credentialSubject.achievement)).toBe(true);
    expect(Object.isFrozen(a.issuer)).toBe(true);
    expect(a.credentialSubject.achievement).not.toBe(course.achievement);
  });
});
