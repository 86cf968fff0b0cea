/**
 * The encoded (JSON-LD) shape of this project's extension for the EU micro-credential elements, as defined by
 * the `@protected` context `https://w3id.org/microcredentials/v1` (contexts/microcredentials-v1.jsonld).
 * Term IRIs are ELM v3 properties (`http://data.europa.eu/snb/model/elm/…`) where ELM has one; values taken from EU
 * vocabularies are concept IRIs. Builders produce these objects; readers decode them (see `read/`).
 */
import type { Achievement, OpenBadgeCredential, Profile, TypeList } from './ob';

export const EU_ACHIEVEMENT_TYPE = 'EUMicroCredentialAchievement';

/** elm:LearningOutcome */
export interface EncodedLearningOutcome {
  id?: string;
  type: TypeList<'LearningOutcome'>;
  name: string;
  /** ESCO skill IRIs (elm:relatedESCOSkill). */
  relatedESCOSkill?: string[];
  /** Other skill concepts, e.g. DigComp (elm:relatedSkill). */
  relatedSkill?: string[];
  /** elm:reusabilityLevel concept IRI. */
  reusabilityLevel?: string;
}

/** elm:CreditPoint: ELM keeps the number as a string ("6", "2.5"). */
export interface EncodedCreditPoint {
  type: TypeList<'CreditPoint'>;
  framework: string;
  point: string;
}

/** elm:LearningAssessmentSpecification: one way the learning outcomes are assessed. */
export interface EncodedAssessment {
  id?: string;
  type: TypeList<'LearningAssessmentSpecification'>;
  /** Assessment type concept IRI (dc:type). */
  assessmentType: string;
  name?: string;
  description?: string;
  mode?: string[];
}

/** elm:Accreditation: the quality assurance that underpins the micro-credential. */
export interface EncodedAccreditation {
  id?: string;
  type: TypeList<'Accreditation'>;
  /** Quality-assurance type concept IRI (dc:type). */
  accreditationType: string;
  name?: string;
  description?: string;
  accreditingAgent?: Profile;
  decision?: string;
  dateIssued?: string;
  reviewDate?: string;
  expiryDate?: string;
  landingPage?: string;
  limitEQFLevel?: string;
}

export interface EncodedGradingScheme {
  id?: string;
  type: TypeList<'GradingScheme'>;
  name?: string;
  description?: string;
}

/** An OB 3.0 Achievement that also carries the EU elements. */
export interface EUMicroCredentialAchievement extends Achievement {
  learningOutcome?: EncodedLearningOutcome[];
  learningOutcomeSummary?: string;
  creditPoint?: EncodedCreditPoint[];
  /** Notional workload as an ISO 8601 duration, e.g. "PT156H". */
  volumeOfLearning?: string;
  maximumDuration?: string;
  eqfLevel?: string;
  nqfLevel?: string[];
  qfEheaCycle?: string;
  thematicArea?: string[];
  learningOpportunityType?: string;
  mode?: string[];
  learningActivityType?: string[];
  learningSchedule?: string;
  learningSetting?: string;
  participationDescription?: string;
  assessment?: EncodedAssessment[];
  idVerification?: string;
  accreditation?: EncodedAccreditation[];
  awardingBody?: Profile[];
  entryRequirement?: string;
  targetGroup?: string[];
  gradingScheme?: EncodedGradingScheme;
  stackability?: string;
  isPartOf?: string[];
  hasPart?: string[];
  isPartialQualification?: boolean;
  additionalNote?: string[];
  supplementaryDocument?: string[];
  homepage?: string;
}

export type MicroCredentialCredential = OpenBadgeCredential<EUMicroCredentialAchievement>;
