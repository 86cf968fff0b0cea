/**
 * Types of the Open Badges 3.0 data model (VC 2.0 shape), as 1EdTech's `common_credentials.lines` defines it.
 * Multiplicities follow the spec: `[0..*]` properties are arrays; nested objects carry their `type`.
 * Index signatures are left out on purpose: extensions are typed where they are defined (see `eu.ts`).
 */

export type JsonLdContextEntry = string | Readonly<Record<string, unknown>>;

/** `type` arrays: the spec's class name must be among them. */
export type TypeList<T extends string> = readonly [T, ...string[]] | readonly string[];

export interface Image {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface GeoCoordinates {
  type: 'GeoCoordinates';
  latitude: number;
  longitude: number;
}

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

export interface IdentifierEntry {
  type: 'IdentifierEntry';
  identifier: string;
  identifierType: string;
}

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

export interface Alignment {
  type: TypeList<'Alignment'>;
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetDescription?: string;
  targetFramework?: string;
  targetType?: string;
}

export interface Criteria {
  id?: string;
  narrative?: string;
}

export type ResultType =
  | 'GradePointAverage' | 'LetterGrade' | 'Percent' | 'PerformanceLevel' | 'PredictedScore' | 'RawScore' | 'Result'
  | 'RubricCriterion' | 'RubricCriterionLevel' | 'RubricScore' | 'ScaledScore' | 'Status' | `ext:${string}`;

export type ResultStatusType = 'Completed' | 'Enrolled' | 'Failed' | 'InProgress' | 'OnHold' | 'Provisional' | 'Withdrew';

export interface RubricCriterionLevel {
  id: string;
  type: TypeList<'RubricCriterionLevel'>;
  name: string;
  description?: string;
  level?: string;
  points?: string;
  alignment?: Alignment[];
}

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

export interface Result {
  type: TypeList<'Result'>;
  achievedLevel?: string;
  alignment?: Alignment[];
  resultDescription?: string;
  status?: ResultStatusType;
  value?: string;
}

export type IdentifierType =
  | 'name' | 'sourcedId' | 'systemId' | 'productId' | 'userName' | 'accountId' | 'emailAddress' | 'nationalIdentityNumber'
  | 'isbn' | 'issn' | 'lisSourcedId' | 'oneRosterSourcedId' | 'sisSourcedId' | 'ltiContextId' | 'ltiDeploymentId'
  | 'ltiToolId' | 'ltiPlatformId' | 'ltiUserId' | 'identifier' | `ext:${string}`;

export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: IdentifierType;
  salt?: string;
}

export type AchievementType =
  | 'Achievement' | 'ApprenticeshipCertificate' | 'Assessment' | 'Assignment' | 'AssociateDegree' | 'Award' | 'Badge'
  | 'BachelorDegree' | 'Certificate' | 'CertificateOfCompletion' | 'Certification' | 'CommunityService' | 'Competency'
  | 'Course' | 'CoCurricular' | 'Degree' | 'Diploma' | 'DoctoralDegree' | 'Fieldwork' | 'GeneralEducationDevelopment'
  | 'JourneymanCertificate' | 'LearningProgram' | 'License' | 'Membership' | 'ProfessionalDoctorate'
  | 'QualityAssuranceCredential' | 'MasterCertificate' | 'MasterDegree' | 'MicroCredential' | 'ResearchDoctorate'
  | 'SecondarySchoolDiploma' | `ext:${string}`;

export interface Related {
  id: string;
  type: TypeList<'Related'>;
  inLanguage?: string;
  version?: string;
}

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

export interface Evidence {
  id?: string;
  type: TypeList<'Evidence'>;
  narrative?: string;
  name?: string;
  description?: string;
  genre?: string;
  audience?: string;
}

export interface CredentialSchema {
  id: string;
  type: string;
}

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
