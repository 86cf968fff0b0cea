/**
 * Types of the Open Badges 3.0 data model (VC 2.0 shape), as 1EdTech's `common_credentials.lines` defines it.
 * Multiplicities follow the spec: `[0..*]` properties are arrays; nested objects carry their `type`.
 * Index signatures are left out on purpose: extensions are typed where they are defined (see `eu.ts`).
 */

export type JsonLdContextEntry = string | Readonly<Record<string, unknown>>;

/** `type` arrays: the spec's class name must be among them. */
export type TypeList<T extends string> = readonly [T, ...string[]] | readonly string[];

/** OB 3.0 `Image`: an image's URL or data URI, with a caption. */
export interface Image {
  id: string;
  type: 'Image';
  caption?: string;
}

/** OB 3.0 `GeoCoordinates` of an address. */
export interface GeoCoordinates {
  type: 'GeoCoordinates';
  latitude: number;
  longitude: number;
}

/** OB 3.0 `Address` of a profile. */
export interface Address {
  type: TypeList<'Address'>;
  addressCountry?: string;
  /** ISO 3166-1 alpha-2. */
  addressCountryCode?: string;
  addressRegion?: string;
  addressLocality?: string;
  streetAddress?: string;
  postOfficeBoxNumber?: string;
  postalCode?: string;
  geo?: GeoCoordinates;
}

/** OB 3.0 `IdentifierEntry`: an identifier of an organisation or achievement (e.g. a registration number). */
export interface IdentifierEntry {
  type: 'IdentifierEntry';
  identifier: string;
  identifierType: string;
}

/** OB 3.0 `Profile`: an issuer or awarding body (id, name, address, contact, identifiers). */
export interface Profile {
  id: string;
  type: TypeList<'Profile'>;
  name?: string;
  url?: string;
  phone?: string;
  description?: string;
  image?: Image;
  email?: string;
  address?: Address;
  otherIdentifier?: IdentifierEntry[];
  official?: string;
  parentOrg?: Profile;
  familyName?: string;
  givenName?: string;
  additionalName?: string;
  patronymicName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
  familyNamePrefix?: string;
  dateOfBirth?: string;
  endorsement?: unknown[];
  endorsementJwt?: string[];
}

/** OB 3.0 `Alignment`: a link to a framework item, e.g. the EQF level of the achievement. */
export interface Alignment {
  type: TypeList<'Alignment'>;
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetDescription?: string;
  targetFramework?: string;
  targetType?: string;
}

/** OB 3.0 `Criteria`: how the achievement is earned, as a URL and/or narrative. */
export interface Criteria {
  id?: string;
  narrative?: string;
}

/** OB 3.0 result types (`LetterGrade`, `Status`, …), or an extension type starting with `ext:`. */
export type ResultType =
  | 'GradePointAverage'
  | 'LetterGrade'
  | 'Percent'
  | 'PerformanceLevel'
  | 'PredictedScore'
  | 'RawScore'
  | 'Result'
  | 'RubricCriterion'
  | 'RubricCriterionLevel'
  | 'RubricScore'
  | 'ScaledScore'
  | 'Status'
  | `ext:${string}`;

/** OB 3.0 values of a result's `status` (e.g. `Completed`). */
export type ResultStatusType =
  | 'Completed'
  | 'Enrolled'
  | 'Failed'
  | 'InProgress'
  | 'OnHold'
  | 'Provisional'
  | 'Withdrew';

/** OB 3.0 `RubricCriterionLevel`: one level of a rubric result description. */
export interface RubricCriterionLevel {
  id: string;
  type: TypeList<'RubricCriterionLevel'>;
  name: string;
  description?: string;
  level?: string;
  points?: string;
  alignment?: Alignment[];
}

/** OB 3.0 `ResultDescription`: a result the achievement can award (a grade scale, a status), with its allowed values. */
export interface ResultDescription {
  id: string;
  type: TypeList<'ResultDescription'>;
  name: string;
  resultType: ResultType;
  allowedValue?: string[];
  requiredLevel?: string;
  requiredValue?: string;
  rubricCriterionLevel?: RubricCriterionLevel[];
  valueMax?: string;
  valueMin?: string;
  alignment?: Alignment[];
}

/** OB 3.0 `Result`: a grade or status the learner achieved, against one of the achievement's `resultDescription`s. */
export interface Result {
  type: TypeList<'Result'>;
  achievedLevel?: string;
  alignment?: Alignment[];
  resultDescription?: string;
  status?: ResultStatusType;
  value?: string;
}

/** OB 3.0 identifier types of an `IdentityObject` (how a learner's hashed identifier is to be compared). */
export type IdentifierType =
  | 'name'
  | 'sourcedId'
  | 'systemId'
  | 'productId'
  | 'userName'
  | 'accountId'
  | 'emailAddress'
  | 'nationalIdentityNumber'
  | 'isbn'
  | 'issn'
  | 'lisSourcedId'
  | 'oneRosterSourcedId'
  | 'sisSourcedId'
  | 'ltiContextId'
  | 'ltiDeploymentId'
  | 'ltiToolId'
  | 'ltiPlatformId'
  | 'ltiUserId'
  | 'identifier'
  | `ext:${string}`;

/** OB 3.0 `IdentityObject`: an identifier of the learner, plain or salted and hashed. */
export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: IdentifierType;
  salt?: string;
}

/** OB 3.0 achievement types (`MicroCredential`, `Course`, …), or an extension type starting with `ext:`. */
export type AchievementType =
  | 'Achievement'
  | 'ApprenticeshipCertificate'
  | 'Assessment'
  | 'Assignment'
  | 'AssociateDegree'
  | 'Award'
  | 'Badge'
  | 'BachelorDegree'
  | 'Certificate'
  | 'CertificateOfCompletion'
  | 'Certification'
  | 'CommunityService'
  | 'Competency'
  | 'Course'
  | 'CoCurricular'
  | 'Degree'
  | 'Diploma'
  | 'DoctoralDegree'
  | 'Fieldwork'
  | 'GeneralEducationDevelopment'
  | 'JourneymanCertificate'
  | 'LearningProgram'
  | 'License'
  | 'Membership'
  | 'ProfessionalDoctorate'
  | 'QualityAssuranceCredential'
  | 'MasterCertificate'
  | 'MasterDegree'
  | 'MicroCredential'
  | 'ResearchDoctorate'
  | 'SecondarySchoolDiploma'
  | `ext:${string}`;

/** OB 3.0 `Related`: another version of this achievement (e.g. in another language). */
export interface Related {
  id: string;
  type: TypeList<'Related'>;
  inLanguage?: string;
  version?: string;
}

/** OB 3.0 `Achievement`: what is recognised (title, description, criteria, alignments, credits, results). */
export interface Achievement {
  id: string;
  type: TypeList<'Achievement'>;
  name: string;
  description: string;
  criteria: Criteria;
  achievementType?: AchievementType;
  alignment?: Alignment[];
  creditsAvailable?: number;
  creator?: Profile;
  fieldOfStudy?: string;
  humanCode?: string;
  image?: Image;
  inLanguage?: string;
  otherIdentifier?: IdentifierEntry[];
  related?: Related[];
  resultDescription?: ResultDescription[];
  specialization?: string;
  tag?: string[];
  version?: string;
  endorsement?: unknown[];
  endorsementJwt?: string[];
}

/** OB 3.0 `AchievementSubject`: the learner, the achievement and the results awarded to them. */
export interface AchievementSubject<A extends Achievement = Achievement> {
  id?: string;
  type: TypeList<'AchievementSubject'>;
  achievement: A;
  identifier?: IdentityObject[];
  activityStartDate?: string;
  activityEndDate?: string;
  creditsEarned?: number;
  image?: Image;
  licenseNumber?: string;
  narrative?: string;
  result?: Result[];
  role?: string;
  source?: Profile;
  term?: string;
}

/** OB 3.0 `Evidence`: a description or link supporting the award. */
export interface Evidence {
  id?: string;
  type: TypeList<'Evidence'>;
  narrative?: string;
  name?: string;
  description?: string;
  genre?: string;
  audience?: string;
}

/** A `credentialSchema` entry: the JSON Schema a credential claims to follow. */
export interface CredentialSchema {
  id: string;
  type: string;
}

/** A `credentialStatus` entry: where to check revocation or suspension (e.g. a Bitstring Status List entry). */
export interface CredentialStatus {
  id?: string;
  type: string;
  [property: string]: unknown;
}

/** A Data Integrity proof as it appears in a signed credential. */
export interface DataIntegrityProof {
  type: string;
  cryptosuite?: string;
  created?: string;
  verificationMethod?: string;
  proofPurpose?: string;
  proofValue?: string;
  id?: string;
  previousProof?: string | string[];
  challenge?: string;
  domain?: string;
  nonce?: string;
  expires?: string;
  '@context'?: JsonLdContextEntry | JsonLdContextEntry[];
}

/** An Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential about one achievement). */
export interface OpenBadgeCredential<A extends Achievement = Achievement> {
  '@context': JsonLdContextEntry[];
  id: string;
  type: TypeList<'VerifiableCredential'>;
  name?: string;
  description?: string;
  image?: Image;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  awardedDate?: string;
  credentialSubject: AchievementSubject<A>;
  evidence?: Evidence[];
  endorsement?: unknown[];
  endorsementJwt?: string[];
  credentialSchema?: CredentialSchema[];
  credentialStatus?: CredentialStatus;
  refreshService?: { id: string; type: string };
  termsOfUse?: { type: string; id?: string }[];
  proof?: DataIntegrityProof[];
}
