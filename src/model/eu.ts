/**
 * The encoded (JSON-LD) shape of this project's extension for the EU micro-credential elements, as defined by
 * the `@protected` context `https://w3id.org/microcredentials/v1` (contexts/microcredentials-v1.jsonld).
 * Term IRIs are ELM v3 properties (`http://data.europa.eu/snb/model/elm/…`) where ELM has one; values taken from EU
 * vocabularies are concept IRIs. Builders produce these objects; readers decode them (see `read/`).
 */
import type { Achievement, OpenBadgeCredential, Profile, TypeList } from './ob';

/** The JSON-LD type that marks an achievement as an EU micro-credential (beside OB 3.0's `Achievement`). */
export const EU_ACHIEVEMENT_TYPE = 'EUMicroCredentialAchievement';

/**
 * A concept from a controlled vocabulary as a credential carries it (ELM's shape, `skos:Concept`): its IRI, and its
 * preferred label so that a reader needs no lookup. Labels are English: the EU vocabularies the library bundles give
 * English labels only (see docs/vocabularies.md).
 */
export interface EncodedConcept {
  id: string;
  type: 'Concept';
  /** Language map, e.g. `{ en: 'Blended' }` (skos:prefLabel). */
  prefLabel?: Record<string, string>;
  /** The concept's code where its scheme has one (EQF "7", ISCED-F "0223"). */
  notation?: string;
  /** The concept scheme IRI (skos:inScheme). */
  inScheme?: string;
}

/** A concept value as found in a credential: a concept object (what the builders write) or a bare concept IRI. */
export type EncodedConceptValue = string | EncodedConcept;

/** elm:LearningOutcome */
export interface EncodedLearningOutcome {
  id?: string;
  type: TypeList<'LearningOutcome'>;
  name: string;
  /** ESCO skill IRIs (elm:relatedESCOSkill). */
  relatedESCOSkill?: string[];
  /** Other skill concepts, e.g. DigComp (elm:relatedSkill). */
  relatedSkill?: string[];
  /** elm:reusabilityLevel concept. */
  reusabilityLevel?: EncodedConceptValue;
}

/** elm:CreditPoint: ELM keeps the number as a string ("6", "2.5"). */
export interface EncodedCreditPoint {
  type: TypeList<'CreditPoint'>;
  framework: EncodedConceptValue;
  point: string;
}

/** elm:LearningAssessmentSpecification: one way the learning outcomes are assessed. */
export interface EncodedAssessment {
  id?: string;
  type: TypeList<'LearningAssessmentSpecification'>;
  /** Assessment type concept (dc:type). */
  assessmentType: EncodedConceptValue;
  name?: string;
  description?: string;
  mode?: EncodedConceptValue[];
}

/** elm:LearningActivitySpecification: the kind of learning activity the learner took part in (element 10). */
export interface EncodedLearningActivity {
  id?: string;
  type: TypeList<'LearningActivitySpecification'>;
  /** Learning activity type concepts (dc:type): e-learning coursework, volunteering, job experience… */
  activityType?: EncodedConceptValue[];
  /** How the learner took part, in words. */
  description?: string;
}

/** elm:Accreditation: the quality assurance that underpins the micro-credential. */
export interface EncodedAccreditation {
  id?: string;
  type: TypeList<'Accreditation'>;
  /** Quality-assurance type concept (dc:type). */
  accreditationType: EncodedConceptValue;
  name?: string;
  description?: string;
  accreditingAgent?: Profile;
  decision?: string;
  dateIssued?: string;
  reviewDate?: string;
  expiryDate?: string;
  landingPage?: string;
  limitEQFLevel?: EncodedConceptValue;
}

/** The grading scheme as written in a credential (ELM `GradingScheme`): its id, name and description. */
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
  eqfLevel?: EncodedConceptValue;
  nqfLevel?: EncodedConceptValue[];
  /** QF-EHEA cycle (elm:educationLevel, with this project's cycle concepts: the EU has no cycle vocabulary). */
  qfEheaCycle?: EncodedConceptValue;
  thematicArea?: EncodedConceptValue[];
  learningOpportunityType?: EncodedConceptValue;
  mode?: EncodedConceptValue[];
  /** elm:influencedBy: the learning activities, with their types and a description of the participation. */
  learningActivity?: EncodedLearningActivity[];
  learningSchedule?: EncodedConceptValue;
  learningSetting?: EncodedConceptValue;
  /** elm:provenBy: how the learning outcomes are assessed. */
  assessment?: EncodedAssessment[];
  idVerification?: EncodedConceptValue;
  accreditation?: EncodedAccreditation[];
  awardingBody?: Profile[];
  entryRequirement?: string;
  targetGroup?: EncodedConceptValue[];
  gradingScheme?: EncodedGradingScheme;
  stackability?: EncodedConceptValue;
  isPartOf?: string[];
  hasPart?: string[];
  isPartialQualification?: boolean;
  additionalNote?: string[];
  supplementaryDocument?: string[];
  homepage?: string;
}

/** An Open Badges 3.0 credential whose achievement is an EU micro-credential: what `award` returns. */
export type MicroCredentialCredential = OpenBadgeCredential<EUMicroCredentialAchievement>;
