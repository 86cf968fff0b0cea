import { annexSupervisionOption, type AnnexSupervisionOption } from '../model/vocab';
import type { AnnexElementKey } from './annex';
import type { ConceptValue } from './json';

/**
 * Where an element was found: this library's extension terms, native OB 3.0 fields (including the alignment
 * conventions 1EdTech and SURF use), another issuer's extension terms (SURF eduBadges / educredentials), or an
 * ELM / European Digital Credential.
 */
export type ElementSource = 'extension' | 'native' | 'peer' | 'elm';

/** Whether an Annex I element was found in a credential, and where. */
export interface ElementPresence {
  n: number;
  key: AnnexElementKey;
  label: string;
  mandatory: boolean;
  present: boolean;
  /** The kind of encoding the value was read from. */
  source?: ElementSource;
  /** JSON paths of the values read for this element (e.g. `$.credentialSubject.achievement.creditPoint`). */
  where?: string[];
}

/** A value from a vocabulary: a concept IRI with its label, or only a label where the issuer wrote free text. */
export interface LabelledValue {
  id?: string;
  label?: string;
}

/** The EU micro-credential elements of a credential, in plain typed values. */
export interface MicroCredentialView {
  credentialId?: string;
  /** The encoding read: an Open Badges 3.0 credential or an ELM (Europass) credential. */
  format: 'ob3' | 'elm';
  /** True when the achievement carries this library's extension type. */
  euExtension: boolean;
  /** 1 */
  learner: {
    id?: string;
    name?: string;
    identifiers: { identityType: string; hashed: boolean; identityHash: string }[];
  };
  /** 2 */
  title?: string;
  description?: string;
  /** 3 */
  issuerCountries: { code?: string; country?: ConceptValue; region?: string }[];
  /** 4 */
  awardingBodies: { id?: string; name?: string }[];
  issuer?: { id?: string; name?: string };
  /** 5 */
  dateOfIssuing?: string;
  validFrom?: string;
  validUntil?: string;
  /** 6 */
  learningOutcomes: { text: string; escoSkills: string[]; relatedSkills: string[] }[];
  /** 7 */
  workload: { ects?: number; hours?: number; ectsEarned?: number; volumeOfLearning?: string };
  /** 8 */
  level: { eqf?: number; eqfConcept?: ConceptValue; qfEheaCycle?: ConceptValue; nqf: string[] };
  /** 9 */
  assessment: { type?: LabelledValue; name?: string; description?: string; mode: ConceptValue[] }[];
  /** 10 */
  participation: {
    modes: LabelledValue[];
    activityTypes: ConceptValue[];
    schedule?: ConceptValue;
    setting?: ConceptValue;
    description?: string;
  };
  /** 11 */
  qualityAssurance: {
    type?: ConceptValue;
    name?: string;
    description?: string;
    accreditingAgent?: string;
    url?: string;
  }[];
  /** 12 */
  prerequisites?: string;
  targetGroups: ConceptValue[];
  /** 13 */
  supervision?: LabelledValue & { annexOption?: AnnexSupervisionOption; identityVerified?: boolean };
  /** 14 */
  grade?: { value?: string; status?: string; scheme?: string; allowedValues?: string[]; requiredValue?: string };
  /** 15 */
  stackability: { option?: LabelledValue; isPartOf: string[]; hasPart: string[]; isPartialQualification?: boolean };
  /** 16 */
  furtherInformation: string[];
  language?: string;
  fieldOfStudy?: string;
  thematicAreas: ConceptValue[];
  achievementType?: string;
  /** Each Annex I element: whether the credential states it, and where. */
  elements: ElementPresence[];
  /** Keys of the mandatory elements the credential does not state. */
  missingMandatory: AnnexElementKey[];
}

/** What the element readers record: per element, the kind of encoding and the paths read. */
export type Found = Partial<Record<AnnexElementKey, { source: ElementSource; where: string[] }>>;

export function found(into: Found, key: AnnexElementKey, source: ElementSource, where: string): void {
  const existing = into[key];
  if (existing) {
    if (!existing.where.includes(where)) existing.where.push(where);
    return;
  }
  into[key] = { source, where: [where] };
}

export function emptyView(format: 'ob3' | 'elm'): MicroCredentialView {
  return {
    format,
    euExtension: false,
    learner: { identifiers: [] },
    issuerCountries: [],
    awardingBodies: [],
    learningOutcomes: [],
    workload: {},
    level: { nqf: [] },
    assessment: [],
    participation: { modes: [], activityTypes: [] },
    qualityAssurance: [],
    targetGroups: [],
    stackability: { isPartOf: [], hasPart: [] },
    furtherInformation: [],
    thematicAreas: [],
    elements: [],
    missingMandatory: [],
  };
}

/**
 * The supervision element from its concept: the concept itself plus the Annex I option it stands for, when it stands
 * for one (a concept outside the supervision vocabulary keeps no option rather than failing the read).
 */
export function supervisionView(supervision: ConceptValue): NonNullable<MicroCredentialView['supervision']> {
  let annexOption: AnnexSupervisionOption | undefined;
  try {
    annexOption = annexSupervisionOption(supervision);
  } catch {
    annexOption = undefined;
  }
  const view: NonNullable<MicroCredentialView['supervision']> = { id: supervision.id };
  if (supervision.label !== undefined) view.label = supervision.label;
  if (annexOption) view.annexOption = annexOption;
  return view;
}
