import { MicrocredError } from '../errors';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { annexSupervisionOption, countryByAlpha2, lookupConcept, type AnnexSupervisionOption } from '../model/vocab';
import { ANNEX_I_ELEMENTS, type AnnexElementKey } from './annex';

/** A concept as read from a credential: its IRI, and the English label where the library knows the concept. */
export interface ConceptValue {
  id: string;
  label?: string;
}

export interface ElementPresence {
  n: number;
  key: AnnexElementKey;
  label: string;
  mandatory: boolean;
  present: boolean;
  /** Where the value was found: our extension terms, native OB 3.0 fields, or both. */
  source?: 'extension' | 'native';
}

/** The EU micro-credential elements of an OB 3.0 credential, in plain typed values. */
export interface MicroCredentialView {
  credentialId?: string;
  /** True when the achievement carries this library's extension type. */
  euExtension: boolean;
  /** 1 */
  learner: { id?: string; identifiers: { identityType: string; hashed: boolean; identityHash: string }[] };
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
  assessment: { type?: ConceptValue; name?: string; description?: string; mode: ConceptValue[] }[];
  /** 10 */
  participation: { modes: ConceptValue[]; activityTypes: ConceptValue[]; schedule?: ConceptValue; setting?: ConceptValue; description?: string };
  /** 11 */
  qualityAssurance: { type?: ConceptValue; name?: string; description?: string; accreditingAgent?: string; url?: string }[];
  /** 12 */
  prerequisites?: string;
  targetGroups: ConceptValue[];
  /** 13 */
  supervision?: ConceptValue & { annexOption?: AnnexSupervisionOption };
  /** 14 */
  grade?: { value?: string; status?: string; scheme?: string; allowedValues?: string[]; requiredValue?: string };
  /** 15 */
  stackability: { option?: ConceptValue; isPartOf: string[]; hasPart: string[] };
  /** 16 */
  furtherInformation: string[];
  language?: string;
  fieldOfStudy?: string;
  thematicAreas: ConceptValue[];
  achievementType?: string;
  /** Each Annex I element: whether the credential states it. */
  elements: ElementPresence[];
  /** Keys of the mandatory elements the credential does not state. */
  missingMandatory: AnnexElementKey[];
}

type Json = Record<string, unknown>;

/**
 * Reads the EU micro-credential elements of any OB 3.0 credential: one made by this library, or someone else's with
 * fewer elements (plain OB fields are read where they carry an element). Tolerant of the shapes real credentials use
 * (single values for arrays, VC 1.1 dates); it throws only when the input is not a credential object at all.
 */
export function readMicroCredential(credential: unknown): MicroCredentialView {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    throw new MicrocredError('INVALID_INPUT', 'readMicroCredential expects a credential object', { path: '$' });
  }
  const vc = credential as Json;
  const subject = obj(first(vc.credentialSubject));
  const achievement = obj(subject?.achievement);
  const types = strings(achievement?.type);
  const euExtension = types.includes(EU_ACHIEVEMENT_TYPE);
  const issuer = typeof vc.issuer === 'string' ? { id: vc.issuer } : obj(vc.issuer);

  const view: MicroCredentialView = {
    credentialId: str(vc.id),
    euExtension,
    learner: {
      id: str(subject?.id),
      identifiers: list(subject?.identifier).map(obj).filter(isDefined).map((i) => ({
        identityType: str(i.identityType) ?? 'unknown',
        hashed: i.hashed === true,
        identityHash: str(i.identityHash) ?? '',
      })),
    },
    title: str(achievement?.name) ?? str(vc.name),
    description: str(achievement?.description) ?? str(vc.description),
    issuerCountries: [],
    awardingBodies: [],
    issuer: issuer ? { id: str(issuer.id), name: str(issuer.name) } : undefined,
    dateOfIssuing: str(vc.awardedDate) ?? str(vc.validFrom) ?? str(vc.issuanceDate),
    validFrom: str(vc.validFrom) ?? str(vc.issuanceDate),
    validUntil: str(vc.validUntil) ?? str(vc.expirationDate),
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
  const sources: Partial<Record<AnnexElementKey, 'extension' | 'native'>> = {};

  // 1 learner
  if (view.learner.id || view.learner.identifiers.length) sources.learner = 'native';
  // 2 title
  if (view.title) sources.title = 'native';
  // 4 awarding bodies (extension), else the issuer / achievement creator
  const bodies = list(achievement?.awardingBody).map(obj).filter(isDefined);
  const bodyProfiles = bodies.length ? bodies : [issuer, obj(achievement?.creator)].filter(isDefined).slice(0, 1);
  view.awardingBodies = bodyProfiles.map((b) => ({ id: str(b.id), name: str(b.name) }));
  if (view.awardingBodies.length) sources.awardingBody = bodies.length ? 'extension' : 'native';
  // 3 countries of the issuer / awarding bodies
  const countryHolders = bodies.length ? [...bodies, ...(issuer ? [issuer] : [])] : issuer ? [issuer] : [];
  const seen = new Set<string>();
  for (const holder of countryHolders) {
    const address = obj(first(holder.address));
    const code = str(address?.addressCountryCode);
    const region = str(address?.addressRegion);
    if (!code && !region) continue;
    const key = `${code ?? ''}|${region ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let country: ConceptValue | undefined;
    if (code) {
      try {
        const c = countryByAlpha2(code);
        country = { id: c.id, label: c.label };
      } catch {
        country = undefined;
      }
    }
    view.issuerCountries.push({ ...(code ? { code: code.toUpperCase() } : {}), ...(country ? { country } : {}), ...(region ? { region } : {}) });
  }
  if (view.issuerCountries.length) sources.country = bodies.length ? 'extension' : 'native';
  // 5 date
  if (view.dateOfIssuing) sources.dateOfIssuing = 'native';
  // 6 learning outcomes
  for (const lo of list(achievement?.learningOutcome).map(obj).filter(isDefined)) {
    const text = str(lo.name) ?? str(lo.title);
    if (text) view.learningOutcomes.push({ text, escoSkills: strings(lo.relatedESCOSkill), relatedSkills: strings(lo.relatedSkill) });
  }
  if (view.learningOutcomes.length) sources.learningOutcomes = 'extension';
  // 7 workload
  const creditPoint = list(achievement?.creditPoint).map(obj).find((c) => c && str(c.framework) === 'http://data.europa.eu/snb/education-credit/6fcec5c5af');
  const ectsExt = creditPoint ? Number(str(creditPoint.point)) : undefined;
  const creditsAvailable = typeof achievement?.creditsAvailable === 'number' ? achievement.creditsAvailable : undefined;
  if (ectsExt !== undefined && Number.isFinite(ectsExt)) view.workload.ects = ectsExt;
  else if (creditsAvailable !== undefined) view.workload.ects = creditsAvailable;
  const volume = str(achievement?.volumeOfLearning);
  if (volume) {
    view.workload.volumeOfLearning = volume;
    const hours = /^PT(\d+)H$/.exec(volume);
    if (hours) view.workload.hours = Number(hours[1]);
  }
  if (typeof subject?.creditsEarned === 'number') view.workload.ectsEarned = subject.creditsEarned;
  if (view.workload.ects !== undefined || view.workload.volumeOfLearning) sources.workload = creditPoint || volume ? 'extension' : 'native';
  // 8 level
  const eqfIri = str(achievement?.eqfLevel) ?? list(achievement?.alignment).map(obj).map((a) => str(a?.targetUrl)).find((u) => u?.startsWith('http://data.europa.eu/snb/eqf/'));
  if (eqfIri) {
    const n = Number(eqfIri.split('/').pop());
    if (Number.isInteger(n) && n >= 1 && n <= 8) view.level.eqf = n;
    view.level.eqfConcept = concept(eqfIri);
    sources.level = str(achievement?.eqfLevel) ? 'extension' : 'native';
  }
  const cycle = str(achievement?.qfEheaCycle);
  if (cycle) view.level.qfEheaCycle = concept(cycle);
  view.level.nqf = strings(achievement?.nqfLevel);
  if (!sources.level && (cycle || view.level.nqf.length)) sources.level = 'extension';
  // 9 assessment
  for (const a of list(achievement?.assessment).map(obj).filter(isDefined)) {
    const type = str(a.assessmentType);
    view.assessment.push({
      ...(type ? { type: concept(type) } : {}),
      ...(str(a.name) ? { name: str(a.name) } : {}),
      ...(str(a.description) ? { description: str(a.description) } : {}),
      mode: strings(a.mode).map(concept),
    });
  }
  if (view.assessment.length) sources.assessment = 'extension';
  // 10 participation
  view.participation.modes = strings(achievement?.mode).map(concept);
  view.participation.activityTypes = strings(achievement?.learningActivityType).map(concept);
  const schedule = str(achievement?.learningSchedule);
  if (schedule) view.participation.schedule = concept(schedule);
  const setting = str(achievement?.learningSetting);
  if (setting) view.participation.setting = concept(setting);
  const participationDescription = str(achievement?.participationDescription);
  if (participationDescription) view.participation.description = participationDescription;
  if (view.participation.modes.length || view.participation.activityTypes.length) sources.participation = 'extension';
  // 11 quality assurance
  for (const qa of list(achievement?.accreditation).map(obj).filter(isDefined)) {
    const type = str(qa.accreditationType);
    const agent = obj(qa.accreditingAgent);
    view.qualityAssurance.push({
      ...(type ? { type: concept(type) } : {}),
      ...(str(qa.name) ? { name: str(qa.name) } : {}),
      ...(str(qa.description) ? { description: str(qa.description) } : {}),
      ...(agent && (str(agent.name) ?? str(agent.id)) ? { accreditingAgent: str(agent.name) ?? str(agent.id) } : {}),
      ...(str(qa.landingPage) ? { url: str(qa.landingPage) } : {}),
    });
  }
  if (view.qualityAssurance.length) sources.qualityAssurance = 'extension';
  // 12 prerequisites
  const prerequisites = str(achievement?.entryRequirement);
  if (prerequisites) {
    view.prerequisites = prerequisites;
    sources.prerequisites = 'extension';
  }
  view.targetGroups = strings(achievement?.targetGroup).map(concept);
  // 13 supervision
  const supervision = str(achievement?.idVerification);
  if (supervision) {
    const c = concept(supervision);
    let annexOption: AnnexSupervisionOption | undefined;
    try {
      annexOption = annexSupervisionOption(c);
    } catch {
      annexOption = undefined;
    }
    view.supervision = { ...c, ...(annexOption ? { annexOption } : {}) };
    sources.supervision = 'extension';
  }
  // 14 grade
  const result = list(subject?.result).map(obj).filter(isDefined)[0];
  if (result) {
    const rdId = str(result.resultDescription);
    const rd = list(achievement?.resultDescription).map(obj).find((r) => r && str(r.id) === rdId);
    view.grade = {
      ...(str(result.value) ? { value: str(result.value) } : {}),
      ...(str(result.status) ? { status: str(result.status) } : {}),
      ...(rd && str(rd.name) ? { scheme: str(rd.name) } : {}),
      ...(rd && strings(rd.allowedValue).length ? { allowedValues: strings(rd.allowedValue) } : {}),
      ...(rd && str(rd.requiredValue) ? { requiredValue: str(rd.requiredValue) } : {}),
    };
    if (view.grade.value || view.grade.status) sources.grade = 'native';
  }
  // 15 stackability
  const stack = str(achievement?.stackability);
  if (stack) view.stackability.option = concept(stack);
  view.stackability.isPartOf = strings(achievement?.isPartOf);
  view.stackability.hasPart = strings(achievement?.hasPart);
  if (stack || view.stackability.isPartOf.length || view.stackability.hasPart.length) sources.stackability = 'extension';
  // 16 further information
  view.furtherInformation = strings(achievement?.additionalNote);
  if (view.furtherInformation.length) sources.furtherInformation = 'extension';

  const language = str(achievement?.inLanguage);
  if (language) view.language = language;
  const field = str(achievement?.fieldOfStudy);
  if (field) view.fieldOfStudy = field;
  view.thematicAreas = strings(achievement?.thematicArea).map(concept);
  const achievementType = str(achievement?.achievementType);
  if (achievementType) view.achievementType = achievementType;

  view.elements = ANNEX_I_ELEMENTS.map((e) => ({
    n: e.n,
    key: e.key,
    label: e.label,
    mandatory: e.mandatory,
    present: sources[e.key] !== undefined,
    ...(sources[e.key] ? { source: sources[e.key] } : {}),
  }));
  view.missingMandatory = view.elements.filter((e) => e.mandatory && !e.present).map((e) => e.key);
  return view;
}

function concept(iri: string): ConceptValue {
  const found = lookupConcept(iri);
  return found ? { id: iri, label: found.concept.label } : { id: iri };
}

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  // Language maps and {"@value": …} objects appear in some real credentials.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Json;
    if (typeof v['@value'] === 'string') return v['@value'];
    const en = v.en ?? Object.values(v).find((x) => typeof x === 'string');
    if (typeof en === 'string') return en;
  }
  return undefined;
}

function strings(value: unknown): string[] {
  return list(value).map(str).filter(isDefined);
}

function isDefined<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}
