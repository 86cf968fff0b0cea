/**
 * The seed programme: "Academic and Research Integrity: from theory to practice", a 24-ECTS micro-credential
 * programme of an Estonian university (Tammeleht et al., shared/seed/rei-micro-credential-programme.txt), described
 * with every element of Annex I. Where the paper gives no number, the choice is explained next to it.
 */
import {
  AssessmentType,
  LearningActivityType,
  LearningMode,
  LearningOpportunityType,
  LearningSchedule,
  LearningSetting,
  QualityAssuranceType,
  SupervisionVerification,
  TargetGroup,
  defineIssuer,
  defineMicroCredential,
  defineProgramme,
  type GradingInput,
  type MicroCredentialDefinition,
  type ProgrammeDefinition,
  type QualityAssuranceInput,
} from 'microcredentials';

/** The issuing university. The paper does not name it ("one university with expertise in ethics"); we model the
 * University of Tartu, whose Centre for Ethics runs this programme, with its public identifiers. */
export const university = defineIssuer({
  id: 'https://www.ut.ee/en',
  name: 'University of Tartu',
  country: 'EE',
  region: 'Tartu County',
  locality: 'Tartu',
  streetAddress: 'Ülikooli 18',
  postalCode: '50090',
  url: 'https://www.ut.ee/en',
  email: 'info@ut.ee',
  otherIdentifiers: [
    { identifier: 'EE TARTU02', identifierType: 'ext:ErasmusCode' },
    { identifier: 'https://ror.org/03z77qz90', identifierType: 'ext:ROR' },
  ],
});

const BASE = 'https://www.ut.ee/en/micro-credentials/academic-research-integrity';

/** Differentiated grading of the autumn courses ("from A to F"); E is the lowest pass at the University of Tartu. */
const letterGrades: GradingInput = {
  kind: 'letter',
  grades: ['A', 'B', 'C', 'D', 'E', 'F'],
  lowestPassing: 'E',
  name: 'Final grade (A–F)',
  description: 'A excellent, B very good, C good, D satisfactory, E sufficient, F insufficient (fail).',
};

/** Non-differentiated grading of the spring courses ("pass" or "fail"). */
const passFail: GradingInput = { kind: 'pass-fail', name: 'Final result (pass/fail)' };

/** Quality assurance: Estonian higher education institutions pass institutional accreditation by EKKA (HAKA). */
const institutionalAccreditation: QualityAssuranceInput = {
  type: QualityAssuranceType.institutionalQA,
  name: 'Institutional accreditation of the University of Tartu',
  description: 'Institutional accreditation by the Estonian Quality Agency for Education (HAKA/EKKA); micro-credential programmes are approved under the university\'s study regulations.',
  accreditingAgent: { id: 'https://haka.ee/en/', name: 'Estonian Quality Agency for Education (HAKA)' },
  url: 'https://www.eqar.eu/kb/country-information/country/?id=29',
};

/** Prerequisites as the paper states them. */
const prerequisites = 'At least a bachelor\'s degree; active in research and teaching in a research institution, especially on topics connected with research ethics and integrity.';

/**
 * Levels. ASSUMPTION: the paper names no EQF level or cycle. The autumn courses are existing degree courses that the
 * learners "attend with degree students" and found themselves "learning together with undergraduate students": EQF 6,
 * first cycle. The spring courses were designed for the programme's learners, who hold at least a bachelor's degree
 * and already teach and research: EQF 7, second cycle (assumed). The programme as a whole: EQF 6, first cycle, the
 * level of its existing degree courses (assumed). A registrar replaces these with the levels the university decided.
 */
const autumnLevel = { eqf: 6, qfEheaCycle: 'first' } as const;
const springLevel = { eqf: 7, qfEheaCycle: 'second' } as const;
const programmeLevel = { eqf: 6, qfEheaCycle: 'first' } as const;

/** The paper: "The university provides micro-credential programmes to learners for a tuition fee"; no amount given. */
const fee = 'Tuition fee; the paper gives no amount (the spring courses cost slightly more per credit than the department average).';

/** Each course: 4 ECTS × 3 in autumn (the paper gives 12 ECTS for the three together) and 6 ECTS × 2 in spring
 * (12 ECTS for the two). 1 ECTS = 26 hours of student work at the University of Tartu. */
const common = {
  awardingBodies: [university],
  qualityAssurance: [institutionalAccreditation],
  fee,
  prerequisites,
  targetGroups: [TargetGroup.completedTertiaryEducationEqf6],
  language: 'et',
  fieldOfStudy: '0223', // ISCED-F 0223 Philosophy and ethics
  // Continuous assessment in seminars: the learners are known to the lecturers, but no formal identity check.
  supervision: SupervisionVerification.unsupervisedWithoutIdVerification,
} as const;

function course(
  slug: string,
  title: string,
  ects: number,
  fields: Pick<Parameters<typeof defineMicroCredential>[0], 'description' | 'learningOutcomes' | 'assessment' | 'participation' | 'grading' | 'level'> &
    Partial<Parameters<typeof defineMicroCredential>[0]>,
): MicroCredentialDefinition {
  return defineMicroCredential({
    ...common,
    id: `${BASE}/${slug}`,
    title,
    workload: { ects, hours: ects * 26 },
    learningOpportunityType: LearningOpportunityType.course,
    stackability: 'integrated-stackable',
    ...fields,
  });
}

export const criticalThinking = course('critical-thinking', 'Critical thinking and argumentation', 4, {
  description: 'Autumn-semester course taken with degree students: analysing, building and evaluating arguments.',
  learningOutcomes: [
    'Analyses the structure of arguments and identifies fallacies in academic and public texts.',
    'Builds well-founded arguments on questions of research ethics and integrity.',
  ],
  assessment: [{ type: AssessmentType.continuousEvaluation, description: 'Grade formed continuously from seminar work and homework assignments.' }],
  participation: {
    mode: LearningMode.blended,
    activityTypes: [LearningActivityType.classroomCoursework, LearningActivityType.eLearningCoursework],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'Face-to-face seminars (attendance not compulsory) and recorded video seminars from previous years.',
  },
  level: autumnLevel,
  grading: letterGrades,
});

export const basicsOfEthics = course('basics-of-ethics', 'Basics of ethics', 4, {
  description: 'Autumn-semester course: the main normative theories and concepts of ethics.',
  learningOutcomes: ['Explains the main ethical theories and applies them to cases from academic life.'],
  assessment: [{ type: AssessmentType.continuousEvaluation, description: 'Compulsory online seminars (absence compensated by a written task) and homework.' }],
  participation: {
    mode: LearningMode.online,
    activityTypes: [LearningActivityType.eLearningCoursework],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'Pre-recorded video lectures and compulsory online seminars.',
  },
  level: autumnLevel,
  grading: letterGrades,
});

export const researchIntegrity = course('research-integrity', 'Research integrity: framework, requirements, values and principles of action', 4, {
  description: 'Autumn-semester course on the Estonian Code of Conduct for Research Integrity and its international framework.',
  learningOutcomes: [
    'Describes the national and international framework of research integrity and the responsibilities of researchers and institutions.',
    'Recognises and analyses research misconduct and questionable research practices.',
  ],
  assessment: [{ type: AssessmentType.continuousEvaluation, description: 'Online seminars, readings and homework assignments.' }],
  participation: {
    mode: LearningMode.online,
    activityTypes: [LearningActivityType.eLearningCoursework],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'Pre-recorded video lectures and compulsory online seminars.',
  },
  level: autumnLevel,
  grading: letterGrades,
});

export const ethicsInOrganization = course('ethics-in-an-organization', 'Ethics in an organization', 6, {
  description: 'Spring-semester course designed for the programme: monthly full-day seminars with experts, readings and a self-reflection diary.',
  learningOutcomes: ['Analyses ethical issues of research organisations and proposes institutional responses.'],
  assessment: [
    { type: AssessmentType.levelOfAttendance, description: 'Participation in the monthly seminar days.' },
    { type: AssessmentType.portfolio, name: 'Self-reflection diary', description: 'Posts in the self-reflection diary between seminars.' },
  ],
  participation: {
    mode: LearningMode.presential,
    activityTypes: [LearningActivityType.workshopSeminarConference, LearningActivityType.selfMotivatedStudy],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'One full day of face-to-face seminars every month.',
  },
  level: springLevel,
  grading: passFail,
});

export const workplaceApplications = course('workplace-applications', 'Workplace applications of practical ethics', 6, {
  description: 'Spring-semester course: with a supervisor, each learner develops one element of the ethics infrastructure of their institution.',
  learningOutcomes: [
    'Designs and implements an element of research ethics and integrity infrastructure in their own institution.',
    'Advises and trains colleagues on research ethics and integrity.',
  ],
  assessment: [{ type: AssessmentType.projectWork, name: 'Final project', description: 'The project is defended to supervisors and fellow learners on the last seminar day.' }],
  participation: {
    mode: LearningMode.presential,
    activityTypes: [LearningActivityType.workshopSeminarConference, LearningActivityType.research],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'Individual project work with a supervisor between monthly seminar days.',
  },
  level: springLevel,
  grading: passFail,
  // The final project is defended in person to the supervisors, who know the learner: supervised, identity verified.
  supervision: SupervisionVerification.supervisedWithIdVerification,
});

/** The whole programme: 24 ECTS over two semesters, blended. No overall grade is given (the paper names none). */
export const reiProgramme: ProgrammeDefinition = defineProgramme({
  ...common,
  id: `${BASE}/programme`,
  level: programmeLevel,
  title: 'Academic and Research Integrity: from theory to practice',
  description: 'A two-semester micro-credential programme that prepares research ethics and integrity (REI) leaders: experts who solve REI issues in their field and institution and guide others.',
  parts: [criticalThinking, basicsOfEthics, researchIntegrity, ethicsInOrganization, workplaceApplications],
  learningOutcomes: [
    'Solves research ethics and integrity issues in their field and institution.',
    'Trains and advises others on research ethics and integrity.',
    'Sets up research ethics and integrity infrastructure in a research institution.',
  ],
  assessment: [
    { type: AssessmentType.continuousEvaluation, description: 'Autumn courses graded A–F, formed continuously during the semester.' },
    { type: AssessmentType.projectWork, description: 'A practical REI element for the learner\'s institution, defended to supervisors and fellow learners.' },
  ],
  participation: {
    mode: LearningMode.blended,
    activityTypes: [LearningActivityType.eLearningCoursework, LearningActivityType.workshopSeminarConference],
    schedule: LearningSchedule.partTimeLight,
    setting: LearningSetting.formal,
    description: 'Online seminars and pre-recorded lectures in autumn; monthly face-to-face seminar days in spring; monthly online information sessions.',
  },
  learningOpportunityType: LearningOpportunityType.shortLearningProgramme,
  stackability: 'stand-alone',
  maximumDuration: 'P1Y',
  furtherInformation: 'Taught with degree students in autumn; spring courses were designed for the programme\'s learners.',
});

/** Sample learners for the examples and tests. */
export const sampleLearners = [
  { learner: { email: 'mari.maasikas@example.ee', name: 'Mari Maasikas' }, autumn: ['A', 'B', 'A'], spring: ['pass', 'pass'] },
  { learner: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', autumn: ['C', 'E', 'B'], spring: ['pass', 'pass'] },
  { learner: { studentId: 'B12345', email: 'jaan.tamm@example.ee' }, autumn: ['B', 'F', 'D'], spring: ['pass', 'fail'] },
] as const;
