import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AssessmentType,
  LearningMode,
  QualityAssuranceType,
  award,
  defineIssuer,
  defineMicroCredential,
  generateKey,
  importKey,
  issue,
  verify,
} from '../src';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';
import { referenceIssuer, referenceVerify } from '../bench/reference';

/** Our issuer with a did:key controller, so the reference stack's issuer == controller rule holds. */
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });

function seedCredentials() {
  return sampleLearners.flatMap((s) => [
    award(reiProgramme.parts[0]!, { issuer, learner: s.learner, grade: s.autumn[0] }),
    award(reiProgramme.parts[3]!, { issuer, learner: s.learner, grade: s.spring[0] }),
    award(reiProgramme, { issuer, learner: s.learner }),
  ]);
}

describe('interop with the reference stack (@digitalbazaar/vc + data-integrity), both directions', () => {
  it('seed credentials we sign (eddsa-rdfc-2022, eddsa-jcs-2022) verify there', async () => {
    for (const c of seedCredentials()) {
      const rdfc = await issue(c, { key });
      expect(await referenceVerify(rdfc)).toEqual({ verified: true });
      const jcs = await issue(c, { key, format: 'eddsa-jcs-2022' });
      expect(await referenceVerify(jcs, 'eddsa-jcs-2022')).toEqual({ verified: true });
    }
  });

  it('seed credentials the reference signs verify here, and our signatures are identical for the same key and time', async () => {
    const ref = await referenceIssuer();
    const sameKey = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
    const refIssuer = defineIssuer({ id: ref.did, name: 'University of Tartu', country: 'EE' });
    for (const s of sampleLearners) {
      const c = award(reiProgramme.parts[1]!, { issuer: refIssuer, learner: s.learner, grade: s.autumn[1] });
      const signed = await ref.issue(c);
      const report = await verify(signed);
      expect(report.verified, JSON.stringify(report.checks.filter((x) => x.status === 'fail'))).toBe(true);
      const proof = signed.proof as { created: string; proofValue: string };
      const ours = await issue(c, { key: sameKey, created: proof.created });
      expect(ours.proof[0]!.proofValue).toBe(proof.proofValue);
      const jcsSigned = await ref.issue(c, 'eddsa-jcs-2022');
      expect((await verify(jcsSigned)).verified).toBe(true);
    }
  });

  it('generated micro-credentials interoperate both ways (property-based)', async () => {
    const ref = await referenceIssuer();
    const refIssuer = defineIssuer({ id: ref.did, name: 'Generated University', country: 'FI' });
    const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => s.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          title: text,
          outcome: text,
          ects: fc.integer({ min: 1, max: 3000 }).map((n) => n / 100),
          eqf: fc.integer({ min: 1, max: 8 }),
          mode: fc.constantFrom(...LearningMode.$concepts),
          assessment: fc.constantFrom(...AssessmentType.$concepts),
        }),
        async (g) => {
          const mc = defineMicroCredential({
            id: 'https://uni.example/mc/generated',
            title: g.title,
            description: `About ${g.title}`,
            awardingBodies: [refIssuer],
            learningOutcomes: [g.outcome],
            workload: { ects: g.ects },
            level: { eqf: g.eqf as 1 },
            assessment: [{ type: g.assessment }],
            participation: { mode: g.mode },
            qualityAssurance: [{ type: QualityAssuranceType.programmeQA }],
          });
          const c = award(mc, { issuer: refIssuer, learner: 'did:example:learner' });
          const theirs = await ref.issue(c);
          expect((await verify(theirs)).verified).toBe(true);
          const ours = await issue(c, { key: importKey({ secretKeyMultibase: ref.secretKeyMultibase }) });
          expect((await referenceVerify(ours)).verified).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
