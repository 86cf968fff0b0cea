import {
  AssessmentType,
  LearningMode,
  QualityAssuranceType,
  award,
  defineIssuer,
  defineMicroCredential,
  type Profile,
} from '../src/index';
import { reiProgramme } from '../examples/rei-programme';

/** The seed credential: the first course of the seed programme, graded. */
export function seedCredential(issuer: Profile) {
  return award(reiProgramme.parts[0]!, {
    issuer,
    learner: { email: 'mari.maasikas@example.ee' },
    grade: 'A',
    awardedOn: '2024-01-26',
    id: 'urn:uuid:8a5f1d62-0000-4000-8000-000000000001',
  });
}

/** A larger credential: 40 learning outcomes with ESCO skills (and as many alignments), 6 assessments, a numeric grade. */
export function largeCredential(issuer: Profile) {
  const outcomes = Array.from({ length: 40 }, (_, i) => ({
    text: `Learning outcome ${i + 1}: applies method ${i + 1} to research-integrity cases, with a written justification.`,
    escoSkills: [`http://data.europa.eu/esco/skill/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`],
  }));
  const mc = defineMicroCredential({
    id: 'https://www.ut.ee/en/micro-credentials/large',
    title: 'A large micro-credential',
    description: 'Many learning outcomes, alignments and assessments, to measure how cost grows with size.',
    awardingBodies: [issuer],
    learningOutcomes: outcomes as [(typeof outcomes)[0], ...typeof outcomes],
    workload: { ects: 30, hours: 780 },
    level: { eqf: 7, qfEheaCycle: 'second' },
    assessment: AssessmentType.$concepts
      .slice(0, 6)
      .map((type) => ({ type, description: `Assessed by ${type.label}.` })) as never,
    participation: { mode: [LearningMode.blended, LearningMode.online], description: 'Blended.' },
    qualityAssurance: [
      { type: QualityAssuranceType.institutionalQA, name: 'Institutional accreditation' },
      { type: QualityAssuranceType.programmeQA, name: 'Programme accreditation' },
    ],
    grading: { kind: 'numeric', min: 0, max: 100, passing: 51 },
    prerequisites: 'A bachelor degree.',
    fieldOfStudy: ['0223', '0311'],
    furtherInformation: ['Note one.', 'Note two.'],
  });
  return award(mc, {
    issuer,
    learner: 'did:example:learner-large',
    grade: 87,
    awardedOn: '2024-06-20',
    id: 'urn:uuid:8a5f1d62-0000-4000-8000-000000000002',
  });
}

export function benchIssuer(controller: string): Profile {
  return defineIssuer({ id: controller, name: 'University of Tartu', country: 'EE', region: 'Tartu County' });
}
