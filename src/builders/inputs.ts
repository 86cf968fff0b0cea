/**
 * What a university writes to describe a micro-credential. Every mandatory element of Annex I of the Council
 * Recommendation of 16 June 2022 is a required property here, so leaving one out is a compile error; the same
 * rules are checked again at run time for JavaScript callers and for definitions read from files.
 */
import type { IdentityObject, Profile } from '../model/ob';
import type { AssessmentType } from '../model/vocab/assessment-type';
import type { ConceptIri } from '../model/vocab/concept';
import type { CountryAlpha2 } from '../model/vocab/country';
import type { EQF, EqfLevelNumber } from '../model/vocab/eqf';
import type { IscedF, IscedFCode } from '../model/vocab/isced-f';
import type { LearningActivityType } from '../model/vocab/learning-activity-type';
import type { LearningMode } from '../model/vocab/learning-mode';
import type { LearningOpportunityType } from '../model/vocab/learning-opportunity-type';
import type { LearningSchedule } from '../model/vocab/learning-schedule';
import type { LearningSetting } from '../model/vocab/learning-setting';
import type { QfEheaCycle } from '../model/vocab/qf-ehea-cycle';
import type { QualityAssuranceType } from '../model/vocab/quality-assurance-type';
import type { SkillReuseLevel } from '../model/vocab/skill-reuse-level';
import type { Stackability } from '../model/vocab/stackability';
import type { SupervisionVerification } from '../model/vocab/supervision-verification';
import type { TargetGroup } from '../model/vocab/target-group';
import type { ConceptRef, VocabularyRef } from './concepts';

/** An array with at least one element: a type error, not a runtime one, when a mandatory list is empty. */
export type NonEmptyArray<T> = readonly [T, ...T[]];
/** One item or a non-empty list of them. */
export type OneOrMore<T> = T | NonEmptyArray<T>;

/** The awarding body as `defineIssuer` takes it: id (the DID or URL that signs), name, country and contact details. */
export interface IssuerInput {
  /** The issuer's URL or DID; it must match the controller of the signing key. */
  id: string;
  name: string;
  /** Element 3, country of the issuer: ISO 3166-1 alpha-2 ("EE"). */
  country: CountryAlpha2 | Lowercase<CountryAlpha2>;
  /** Element 3, region (free text, e.g. "Tartu County"). */
  region?: string;
  locality?: string;
  streetAddress?: string;
  postalCode?: string;
  url?: string;
  email?: string;
  phone?: string;
  description?: string;
  image?: string | { id: string; caption?: string };
  /** Other identifiers, e.g. `{ identifier: 'EE TARTU02', identifierType: 'ext:ErasmusCode' }`. */
  otherIdentifiers?: readonly { identifier: string; identifierType: string }[];
  /** Parent organisation, e.g. the university of a faculty that issues. */
  parentOrg?: Profile;
}

/** Element 6. A plain sentence, or the sentence with the skills it evidences. */
export type LearningOutcomeInput =
  | string
  | {
      text: string;
      /** ESCO skill IRIs (`http://data.europa.eu/esco/skill/…`), optionally with their labels. */
      escoSkills?: readonly (string | { id: string; label?: string })[];
      /** Other skill concepts (e.g. DigComp `http://data.europa.eu/snb/dcf/…`). */
      relatedSkills?: readonly string[];
      /** Skill reuse level concept. */
      reusabilityLevel?: VocabularyRef<typeof SkillReuseLevel>;
    };

/** Element 7: notional workload, in ECTS wherever possible, and/or in hours. */
export type WorkloadInput = { ects: number; hours?: number } | { hours: number; ects?: number };

/** Element 8: EQF level, and the QF-EHEA cycle / national framework level where they apply. */
export interface LevelInput {
  /** A level number, or an EQF constant or IRI (EQF has only levels 1–8, so no newer IRI is accepted). */
  eqf: EqfLevelNumber | ConceptRef<ConceptIri<typeof EQF>>;
  qfEheaCycle?: 'short' | 'first' | 'second' | 'third' | VocabularyRef<typeof QfEheaCycle>;
  /** National qualifications framework level concept IRIs (`http://data.europa.eu/snb/qdr/…`). */
  nqf?: OneOrMore<string>;
}

/** Element 9: one way the learning outcomes are assessed. */
export interface AssessmentInput {
  /** Assessment type concept (`AssessmentType.continuousEvaluation`). */
  type: VocabularyRef<typeof AssessmentType>;
  name?: string;
  description?: string;
  /** Where the assessment happens (`LearningMode.online`). */
  mode?: OneOrMore<VocabularyRef<typeof LearningMode>>;
}

/** Element 10: form of participation in the learning activity. */
export interface ParticipationInput {
  /** Mode of learning: online, blended, presential, work-based… */
  mode: OneOrMore<VocabularyRef<typeof LearningMode>>;
  /** Kind of activity (`LearningActivityType.volunteering`, `…jobExperience`). */
  activityTypes?: readonly VocabularyRef<typeof LearningActivityType>[];
  schedule?: VocabularyRef<typeof LearningSchedule>;
  setting?: VocabularyRef<typeof LearningSetting>;
  description?: string;
}

/** Element 11: the quality assurance that underpins the micro-credential. */
export interface QualityAssuranceInput {
  /** Quality-assurance type concept (`QualityAssuranceType.institutionalQA`). */
  type: VocabularyRef<typeof QualityAssuranceType>;
  name?: string;
  description?: string;
  /** The agency or body that carried it out. */
  accreditingAgent?: Profile | { id: string; name: string };
  decision?: string;
  issued?: string | Date;
  reviewDate?: string | Date;
  expiryDate?: string | Date;
  /** Public record of the decision (e.g. a DEQAR report). */
  url?: string;
  limitEqfLevel?: EqfLevelNumber;
}

/** Element 14: how the grade is expressed. */
export type GradingInput =
  | {
      kind: 'letter';
      /** Grades from best to worst, e.g. ["A","B","C","D","E","F"]. */
      grades: NonEmptyArray<string>;
      /** The lowest passing grade, e.g. "E". */
      lowestPassing: string;
      name?: string;
      description?: string;
    }
  | { kind: 'pass-fail'; pass?: string; fail?: string; name?: string; description?: string }
  | { kind: 'numeric'; min: number; max: number; passing: number; name?: string; description?: string };

/** Everything `defineMicroCredential` takes: the Annex I elements of one micro-credential (mandatory ones required). */
export interface MicroCredentialInput {
  /** Stable IRI of this micro-credential (the achievement), e.g. `https://ut.ee/mc/rei-2023`. */
  id: string;
  /** Element 2. */
  title: string;
  description: string;
  /** Element 4 (and 3 through their addresses). */
  awardingBodies: OneOrMore<Profile>;
  /** Element 6. */
  learningOutcomes: NonEmptyArray<LearningOutcomeInput>;
  /** Element 7. */
  workload: WorkloadInput;
  /** Element 8. */
  level: LevelInput;
  /** Element 9. */
  assessment: OneOrMore<AssessmentInput>;
  /** Element 10. */
  participation: ParticipationInput;
  /** Element 11. */
  qualityAssurance: OneOrMore<QualityAssuranceInput>;
  /** Element 12 (optional): prerequisites needed to enrol. */
  prerequisites?: string;
  targetGroups?: readonly VocabularyRef<typeof TargetGroup>[];
  /** Element 13 (optional): supervision and identity verification during assessment. */
  supervision?: VocabularyRef<typeof SupervisionVerification>;
  /** Element 14 (optional): grading scheme; the grade itself is given at award time. */
  grading?: GradingInput;
  /** Element 15 (optional): integration / stackability. */
  stackability?: 'stand-alone' | 'integrated-stackable' | VocabularyRef<typeof Stackability>;
  /** Element 16 (optional): further information. */
  furtherInformation?: OneOrMore<string>;
  /** Fee or price of the learning opportunity, in words ("EUR 1,500", "Tuition fee applies"); shown under further information. */
  fee?: string;
  supplementaryDocuments?: readonly string[];
  homepage?: string;
  /** Language of instruction / of the credential (BCP 47, e.g. "en", "et"). */
  language?: string;
  /** ISCED-F 2013 field(s) of education: codes ("0223") or concepts. The first one also fills `fieldOfStudy`. */
  fieldOfStudy?: OneOrMore<IscedFCode | ConceptRef<ConceptIri<typeof IscedF>>>;
  /** Kind of learning opportunity (`LearningOpportunityType.shortLearningProgramme`). */
  learningOpportunityType?: VocabularyRef<typeof LearningOpportunityType>;
  /** How to earn it; generated from the learning outcomes and assessment when left out. */
  criteria?: string | { narrative?: string; url?: string };
  image?: string | { id: string; caption?: string };
  humanCode?: string;
  version?: string;
  tags?: readonly string[];
  /** Longest time the learning takes, ISO 8601 duration ("P1Y", "P4M"). */
  maximumDuration?: string;
  learningOutcomeSummary?: string;
}

/** A learner: a DID or URL, or identifiers that OB 3.0 carries as (by default salted and hashed) IdentityObjects. */
export type LearnerInput =
  | string
  | (LearnerIdentifiers &
      (
        | { id: string }
        | { email: string }
        | { studentId: string }
        | { nationalId: string }
        | { name: string }
        | { identityObjects: readonly IdentityObject[] }
      ));

/** Identifiers of the learner besides a DID (email, student id, national id); each is salted and hashed by default. */
export interface LearnerIdentifiers {
  id?: string;
  email?: string;
  /** The institution's student number (OB `sisSourcedId`). */
  studentId?: string;
  nationalId?: string;
  /** Full name; useful on a printed certificate, but identifies the person: hashed like the rest by default. */
  name?: string;
  /**
   * Identity objects already encoded (hashed or not), kept exactly as given: for re-issuing a credential whose learner
   * is known only by its hashes (an imported European Digital Credential), where the plain identifiers are not at hand.
   */
  identityObjects?: readonly IdentityObject[];
  /** Hash identifiers with a salt as OB 3.0 describes (default true). */
  hashed?: boolean;
  /** Salt for the hashes; random per credential by default. */
  salt?: string;
}

/** What `award` needs besides the definition: issuer, learner, grade, dates and the credential's id and status entry. */
export interface AwardOptions {
  issuer: Profile;
  learner: LearnerInput;
  /** Required when the micro-credential has a grading scheme. */
  grade?: string | number;
  /** When the learning was completed and the credential awarded (default: now). */
  awardedOn?: string | Date;
  validFrom?: string | Date;
  validUntil?: string | Date;
  /** Credential id; a random `urn:uuid:` by default. */
  id?: string;
  activityStartDate?: string | Date;
  activityEndDate?: string | Date;
  /** Credential-level name for wallets (default: the micro-credential's title). */
  name?: string;
  description?: string;
  /** A `credentialStatus` entry (e.g. from the status module) to embed. */
  credentialStatus?: { type: string; [property: string]: unknown };
  /** Add 1EdTech's schema to `credentialSchema` (and the extensions context it needs). Off by default. */
  include1EdTechSchema?: boolean;
  /**
   * What a grade that is not a pass gives. `'record'` (the default): an assessment record, never a claim — its name
   * and description say the learner was assessed and did not pass and that it certifies no learning outcome, and it
   * earns no credits (`creditsEarned: 0`); a stack never counts it as a passed part. `'refuse'`: no credential, a
   * `NOT_PASSED` error saying why (what the registrar's office does unless told `--record-fails`).
   */
  failingGrade?: 'refuse' | 'record';
}
