/**
 * Where each OB 3.0 / EU-extension class sits in a credential, and which of its properties are multi-valued.
 * Lenient validation uses it to turn JSON-LD compacted single values into arrays; error reporting uses it to
 * name the class whose `type` is wrong. One table, so both stay in step with the schemas.
 */

export interface ClassShape {
  /** The type name the class's `type` array must contain (for messages); undefined where `type` is a plain string. */
  readonly typeName?: string;
  /** `type` is a string (Image, IdentityObject, …) or a single VC class name (Proof, CredentialStatus): never an array. */
  readonly typeIsString?: boolean;
  /** Properties whose value is a set: a single value may be written without the array in compacted JSON-LD. */
  readonly arrays: readonly string[];
  /** Properties whose values are objects of another class. */
  readonly nested: Readonly<Record<string, ClassName>>;
  /** Properties the schema wants as one object, which VC 2.0 also allows as an array (lenient mode unwraps one). */
  readonly singles?: readonly string[];
}

export type ClassName =
  | 'Credential'
  | 'AchievementSubject'
  | 'Achievement'
  | 'Profile'
  | 'Address'
  | 'Alignment'
  | 'Result'
  | 'ResultDescription'
  | 'RubricCriterionLevel'
  | 'Related'
  | 'Evidence'
  | 'EndorsementCredential'
  | 'EndorsementSubject'
  | 'Image'
  | 'IdentityObject'
  | 'IdentifierEntry'
  | 'Plain'
  | 'LearningOutcome'
  | 'CreditPoint'
  | 'LearningAssessmentSpecification'
  | 'LearningActivitySpecification'
  | 'Accreditation'
  | 'GradingScheme';

const ENDORSABLE = ['endorsement', 'endorsementJwt'] as const;
const VC_ARRAYS = ['type', 'proof', 'credentialSchema', 'termsOfUse'] as const;
const VC_NESTED = {
  proof: 'Plain',
  credentialSchema: 'Plain',
  termsOfUse: 'Plain',
  credentialStatus: 'Plain',
  refreshService: 'Plain',
} as const;

export const SHAPES: Readonly<Record<ClassName, ClassShape>> = {
  Credential: {
    typeName: 'VerifiableCredential',
    arrays: [...VC_ARRAYS, 'evidence', ...ENDORSABLE],
    nested: {
      ...VC_NESTED,
      issuer: 'Profile',
      credentialSubject: 'AchievementSubject',
      evidence: 'Evidence',
      endorsement: 'EndorsementCredential',
      image: 'Image',
    },
    singles: ['credentialStatus', 'credentialSubject'],
  },
  AchievementSubject: {
    typeName: 'AchievementSubject',
    arrays: ['type', 'identifier', 'result'],
    nested: {
      achievement: 'Achievement',
      identifier: 'IdentityObject',
      result: 'Result',
      source: 'Profile',
      image: 'Image',
    },
  },
  Achievement: {
    typeName: 'Achievement',
    arrays: [
      'type',
      'alignment',
      'otherIdentifier',
      'related',
      'resultDescription',
      'tag',
      ...ENDORSABLE,
      // EU extension terms (contexts/microcredentials-v1.jsonld declares them `@container: @set`).
      'learningOutcome',
      'creditPoint',
      'nqfLevel',
      'thematicArea',
      'mode',
      'learningActivity',
      'assessment',
      'accreditation',
      'awardingBody',
      'targetGroup',
      'isPartOf',
      'hasPart',
      'additionalNote',
      'supplementaryDocument',
    ],
    nested: {
      creator: 'Profile',
      alignment: 'Alignment',
      otherIdentifier: 'IdentifierEntry',
      related: 'Related',
      resultDescription: 'ResultDescription',
      endorsement: 'EndorsementCredential',
      image: 'Image',
      learningOutcome: 'LearningOutcome',
      creditPoint: 'CreditPoint',
      assessment: 'LearningAssessmentSpecification',
      learningActivity: 'LearningActivitySpecification',
      accreditation: 'Accreditation',
      awardingBody: 'Profile',
      gradingScheme: 'GradingScheme',
    },
  },
  Profile: {
    typeName: 'Profile',
    arrays: ['type', 'otherIdentifier', ...ENDORSABLE],
    nested: {
      address: 'Address',
      parentOrg: 'Profile',
      otherIdentifier: 'IdentifierEntry',
      endorsement: 'EndorsementCredential',
      image: 'Image',
    },
  },
  Address: { typeName: 'Address', arrays: ['type'], nested: {} },
  Alignment: { typeName: 'Alignment', arrays: ['type'], nested: {} },
  Result: { typeName: 'Result', arrays: ['type', 'alignment'], nested: { alignment: 'Alignment' } },
  ResultDescription: {
    typeName: 'ResultDescription',
    arrays: ['type', 'alignment', 'allowedValue', 'rubricCriterionLevel'],
    nested: { alignment: 'Alignment', rubricCriterionLevel: 'RubricCriterionLevel' },
  },
  RubricCriterionLevel: {
    typeName: 'RubricCriterionLevel',
    arrays: ['type', 'alignment'],
    nested: { alignment: 'Alignment' },
  },
  Related: { typeName: 'Related', arrays: ['type'], nested: {} },
  Evidence: { typeName: 'Evidence', arrays: ['type'], nested: {} },
  EndorsementCredential: {
    typeName: 'EndorsementCredential',
    arrays: [...VC_ARRAYS],
    nested: { ...VC_NESTED, issuer: 'Profile', credentialSubject: 'EndorsementSubject' },
    singles: ['credentialStatus', 'credentialSubject'],
  },
  EndorsementSubject: { typeName: 'EndorsementSubject', arrays: ['type'], nested: {} },
  Image: { typeIsString: true, arrays: [], nested: {} },
  IdentityObject: { typeIsString: true, arrays: [], nested: {} },
  IdentifierEntry: { typeIsString: true, arrays: [], nested: {} },
  /** Proof, CredentialSchema, CredentialStatus, RefreshService, TermsOfUse: left as they are. */
  Plain: { typeIsString: true, arrays: [], nested: {} },
  LearningOutcome: { typeName: 'LearningOutcome', arrays: ['type', 'relatedESCOSkill', 'relatedSkill'], nested: {} },
  CreditPoint: { typeName: 'CreditPoint', arrays: ['type'], nested: {} },
  LearningAssessmentSpecification: {
    typeName: 'LearningAssessmentSpecification',
    arrays: ['type', 'mode'],
    nested: {},
  },
  LearningActivitySpecification: {
    typeName: 'LearningActivitySpecification',
    arrays: ['type', 'activityType'],
    nested: {},
  },
  Accreditation: { typeName: 'Accreditation', arrays: ['type'], nested: { accreditingAgent: 'Profile' } },
  GradingScheme: { typeName: 'GradingScheme', arrays: ['type'], nested: {} },
};

/** The class of the object at a path of keys from the credential root (array indexes are skipped). */
export function classAt(keys: readonly (string | number)[]): ClassName | undefined {
  let current: ClassName = 'Credential';
  for (const key of keys) {
    if (typeof key === 'number') continue;
    const next: ClassName | undefined = SHAPES[current].nested[key];
    if (!next) return undefined;
    current = next;
  }
  return current;
}
