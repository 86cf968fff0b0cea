import { describe, expect, it } from 'vitest';
import { MicrocredError, award, checkConsistency, defineIssuer, generateKey, issue, verify } from '../src';
import { createProof } from '../src/entries/proof';
import { criticalThinking, reiProgramme } from '../examples/rei-programme';

/**
 * The contradictions issue #16 found signed and verified: each is refused by issue() and fails verify(). For verify,
 * the contradicting credential is signed with createProof directly, which skips issue()'s checks.
 */
const key = generateKey();
/**
 * verify() refuses a proof dated after `now` (PROOF_NOT_YET_VALID), so every proof here is dated inside
 * the test's clock: created after the award, before `now`.
 */
const now = new Date('2024-02-01T00:00:00Z');
const created = '2024-01-27T00:00:00Z';
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const base = award(criticalThinking, {
  issuer,
  learner: { email: 'mari@example.ee' },
  grade: 'B',
  awardedOn: '2024-01-26',
  activityStartDate: '2023-09-01',
  activityEndDate: '2024-01-20',
});

type Mutable = {
  credentialSubject: {
    creditsEarned?: number;
    activityEndDate?: string;
    result: { value: string; status: string }[];
    achievement: Record<string, unknown>;
  };
} & Record<string, unknown>;
const mutate = (change: (c: Mutable) => void) => {
  const c = structuredClone(base) as unknown as Mutable;
  change(c);
  return c;
};

const contradictions: Record<string, { credential: Mutable; path: string }> = {
  'creditsAvailable 30 beside ECTS creditPoint 4': {
    credential: mutate((c) => (c.credentialSubject.achievement.creditsAvailable = 30)),
    path: '$.credentialSubject.achievement.creditsAvailable',
  },
  'an EQF 5 alignment beside eqfLevel 7': {
    credential: mutate((c) => {
      const alignment = c.credentialSubject.achievement.alignment as { targetUrl: string; targetCode: string }[];
      alignment[0]!.targetUrl = 'http://data.europa.eu/snb/eqf/5';
      alignment[0]!.targetCode = '5';
    }),
    path: '$.credentialSubject.achievement.alignment[0]',
  },
  'grade F with status Completed': {
    credential: mutate((c) => (c.credentialSubject.result[0]!.value = 'F')),
    path: '$.credentialSubject.result[0].status',
  },
  'a fail that earns credits': {
    credential: mutate((c) => {
      c.credentialSubject.result[0]!.value = 'F';
      c.credentialSubject.result[0]!.status = 'Failed';
    }),
    path: '$.credentialSubject.creditsEarned',
  },
  'a grade outside the scheme': {
    credential: mutate((c) => (c.credentialSubject.result[0]!.value = 'A+')),
    path: '$.credentialSubject.result[0].value',
  },
  'more credits earned than available': {
    credential: mutate((c) => (c.credentialSubject.creditsEarned = 5)),
    path: '$.credentialSubject.creditsEarned',
  },
  'an activity that ends before it starts': {
    credential: mutate((c) => (c.credentialSubject.activityEndDate = '2023-08-01T00:00:00Z')),
    path: '$.credentialSubject.activityEndDate',
  },
  'an award before the activity started': {
    credential: mutate((c) => (c.awardedDate = '2023-01-01T00:00:00Z')),
    path: '$.awardedDate',
  },
};

describe('consistency: the values a credential states twice agree', () => {
  it('the seed credentials built by the builders have no contradiction and no warning', () => {
    expect(checkConsistency(base)).toEqual([]);
    for (const grade of ['A', 'E', 'F']) {
      expect(checkConsistency(award(criticalThinking, { issuer, learner: 'did:example:x', grade }))).toEqual([]);
    }
    expect(checkConsistency(award(reiProgramme, { issuer, learner: 'did:example:x' }))).toEqual([]);
  });

  for (const [name, { credential, path }] of Object.entries(contradictions)) {
    it(`issue() refuses ${name}`, async () => {
      const err = await issue(credential, { key, format: 'eddsa-jcs-2022' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MicrocredError);
      const problems = (err as MicrocredError).problems.filter((p) => p.code === 'INCONSISTENT_VALUES');
      expect(problems.map((p) => p.path)).toContain(path);
    });

    it(`verify() fails ${name}`, async () => {
      const signed = await createProof(credential, { key, cryptosuite: 'eddsa-jcs-2022', created });
      const report = await verify(signed, { now });
      expect(report.verified).toBe(false);
      const failed = report.checks.filter((c) => c.check === 'consistency' && c.status === 'fail');
      expect(failed.map((c) => c.path)).toContain(path);
      expect(failed.every((c) => c.code === 'INCONSISTENT_VALUES')).toBe(true);
      // The signature itself holds: the failure is the contradiction, nothing else.
      expect(report.checks.filter((c) => c.status === 'fail' && c.check !== 'consistency')).toEqual([]);
    });
  }

  it('issue() reports all contradictions at once', async () => {
    const c = mutate((x) => {
      x.credentialSubject.achievement.creditsAvailable = 30;
      x.credentialSubject.result[0]!.value = 'F';
    });
    const err = (await issue(c, { key, format: 'eddsa-jcs-2022' }).catch((e: unknown) => e)) as MicrocredError;
    expect(err.problems.filter((p) => p.code === 'INCONSISTENT_VALUES').length).toBeGreaterThanOrEqual(3);
  });

  it('hours per ECTS outside 25–30 is a warning: signed, verified, and reported', async () => {
    const c = mutate((x) => (x.credentialSubject.achievement.volumeOfLearning = 'PT40H'));
    expect(checkConsistency(c)).toEqual([
      expect.objectContaining({ severity: 'warning', path: '$.credentialSubject.achievement.volumeOfLearning' }),
    ]);
    const signed = await issue(c, { key, format: 'eddsa-jcs-2022', created });
    const report = await verify(signed, { now });
    expect(report.verified).toBe(true);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ check: 'consistency', status: 'warn', code: 'INCONSISTENT_VALUES' }),
    );
  });

  it('a consistent credential passes the step', async () => {
    const report = await verify(await issue(base, { key, format: 'eddsa-jcs-2022', created }), { now });
    expect(report.checks).toContainEqual(expect.objectContaining({ check: 'consistency', status: 'pass' }));
    expect(report.verified).toBe(true);
  });

  it('reads other encodings of the same facts: EQF by targetCode, numeric scales', () => {
    const other = {
      validFrom: '2024-01-01T00:00:00Z',
      credentialSubject: {
        result: [{ resultDescription: 'urn:rd', value: '4', status: 'Completed' }],
        achievement: {
          eqfLevel: 'http://data.europa.eu/snb/eqf/6',
          alignment: [{ targetType: 'ext:EQF', targetCode: '4', targetUrl: 'https://content.example.com/eqf' }],
          resultDescription: [{ id: 'urn:rd', valueMin: '1', valueMax: '10', requiredValue: '6' }],
        },
      },
    };
    expect(checkConsistency(other).map((p) => p.path)).toEqual([
      '$.credentialSubject.achievement.alignment[0]',
      '$.credentialSubject.result[0].status',
    ]);
  });

  it("other issuers' ECTS and two EQF alignments that disagree", () => {
    const surf = {
      credentialSubject: {
        achievement: {
          ECTS: 3,
          creditsAvailable: 5,
          alignment: [
            { targetType: 'ext:EQF', targetCode: '4', targetUrl: 'https://example.org/eqf' },
            { targetUrl: 'http://data.europa.eu/snb/eqf/6' },
          ],
        },
      },
    };
    expect(checkConsistency(surf).map((p) => p.path)).toEqual([
      '$.credentialSubject.achievement.ECTS',
      '$.credentialSubject.achievement.alignment[1]',
    ]);
  });
});
