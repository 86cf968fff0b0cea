/**
 * The Open Badges EU-element reader as written before its allocation-lean rewrite (src/read/ob-reader.ts, json.ts,
 * view.ts' found/emptyView/supervisionView, read-merged.ts' withElements, merge-nodes.ts' stableJson): the reference
 * that test/read-differential.test.ts holds readMergedOpenBadge to, view for view and byte for byte.
 */
import { EU_ACHIEVEMENT_TYPE } from '../../src/model/eu';
import {
  CreditSystem,
  annexSupervisionOption,
  countryByAlpha2,
  lookupConcept,
  type AnnexSupervisionOption,
} from '../../src/model/vocab';
import { ANNEX_I_ELEMENTS } from '../../src/read/annex';
import type { AnnexElementKey } from '../../src/read/annex';
import type { ConceptValue } from '../../src/read/json';
import type { ElementSource, Found, MicroCredentialView } from '../../src/read/view';
import { asListOrEmpty, isRecord } from '../../src/shared/json';

type Json = Record<string, unknown>;

/** readMergedOpenBadge as it was. */
export function referenceReadMergedOpenBadge(vc: Json): MicroCredentialView {
  const sources: Found = {};
  return withElements(readOpenBadge(vc, sources), sources);
}

function obj(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A set-valued member as a list; absent or `null` is empty. */
const list: (value: unknown) => unknown[] = asListOrEmpty;

function objects(value: unknown): Json[] {
  return list(value).map(obj).filter(isDefined);
}

/** A string, the English (else first) entry of a language map, `{ "@value" }`, or an ELM Note's `noteLiteral`. */
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const v = obj(value);
  if (!v) return undefined;
  if (typeof v['@value'] === 'string') return v['@value'];
  if (v.noteLiteral !== undefined) return str(v.noteLiteral);
  if (v.type !== undefined || v.id !== undefined) return undefined;
  const en = v.en ?? Object.values(v).find((x) => typeof x === 'string');
  return typeof en === 'string' && en.trim() !== '' ? en : undefined;
}

function strings(value: unknown): string[] {
  return list(value).map(str).filter(isDefined);
}

/** A concept given as an IRI or as an object `{ id, prefLabel }`. */
function concept(value: unknown): ConceptValue | undefined {
  const o = obj(value);
  const id = typeof value === 'string' ? value : typeof o?.id === 'string' ? o.id : undefined;
  if (!id || id.trim() === '') return undefined;
  const own = o ? str(o.prefLabel) : undefined;
  const label = own ?? lookupConcept(id)?.concept.label;
  return label ? { id, label } : { id };
}

function concepts(value: unknown): ConceptValue[] {
  return list(value).map(concept).filter(isDefined);
}

/** The IRI of a concept value (string or object). */
function conceptId(value: unknown): string | undefined {
  return concept(value)?.id;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function types(value: unknown): string[] {
  return list(value).filter((t): t is string => typeof t === 'string');
}

function isDefined<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}

function found(into: Found, key: AnnexElementKey, source: ElementSource, ...where: string[]): void {
  const existing = into[key];
  if (existing) {
    for (const w of where) if (!existing.where.includes(w)) existing.where.push(w);
    return;
  }
  into[key] = { source, where: [...where] };
}

function emptyView(format: 'ob3' | 'elm'): MicroCredentialView {
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
function supervisionView(supervision: ConceptValue): NonNullable<MicroCredentialView['supervision']> {
  let annexOption: AnnexSupervisionOption | undefined;
  try {
    annexOption = annexSupervisionOption(supervision);
  } catch {
    annexOption = undefined;
  }
  return { ...supervision, ...(annexOption ? { annexOption } : {}) };
}

const ECTS = CreditSystem.ects.id;
const EQF_PREFIX = 'http://data.europa.eu/snb/eqf/';
const S = '$.credentialSubject';
const A = `${S}.achievement`;

interface ObParts {
  vc: Json;
  subject: Json | undefined;
  achievement: Json | undefined;
  issuer: Json | undefined;
}

function readOpenBadge(vc: Json, sources: Found): MicroCredentialView {
  const subject = obj(first(vc.credentialSubject));
  const achievement = obj(subject?.achievement);
  const issuer = typeof vc.issuer === 'string' ? { id: vc.issuer } : obj(vc.issuer);
  const parts: ObParts = { vc, subject, achievement, issuer };
  const view = emptyView('ob3');
  view.credentialId = str(vc.id);
  view.euExtension = types(achievement?.type).includes(EU_ACHIEVEMENT_TYPE);
  view.issuer = issuer ? { id: str(issuer.id), name: str(issuer.name) } : undefined;
  view.description = str(achievement?.description) ?? str(vc.description);
  view.validFrom = str(vc.validFrom) ?? str(vc.issuanceDate);
  view.validUntil = str(vc.validUntil) ?? str(vc.expirationDate);
  readLearner(parts, view, sources);
  readTitle(parts, view, sources);
  readAwardingBodiesAndCountries(parts, view, sources);
  readDate(parts, view, sources);
  readLearningOutcomes(parts, view, sources);
  readWorkload(parts, view, sources);
  readLevel(parts, view, sources);
  readAssessment(parts, view, sources);
  readParticipation(parts, view, sources);
  readQualityAssurance(parts, view, sources);
  readPrerequisites(parts, view, sources);
  readSupervision(parts, view, sources);
  readGrade(parts, view, sources);
  readStackability(parts, view, sources);
  readFurtherInformation(parts, view, sources);
  const language = str(achievement?.inLanguage);
  if (language) view.language = language;
  const field = str(achievement?.fieldOfStudy);
  if (field) view.fieldOfStudy = field;
  view.thematicAreas = concepts(achievement?.thematicArea);
  const achievementType = str(achievement?.achievementType);
  if (achievementType) view.achievementType = achievementType;
  return view;
}

function readLearner({ subject }: ObParts, view: MicroCredentialView, sources: Found): void {
  view.learner = {
    id: str(subject?.id),
    identifiers: objects(subject?.identifier).map((i) => ({
      identityType: str(i.identityType) ?? 'unknown',
      hashed: i.hashed === true,
      identityHash: str(i.identityHash) ?? '',
    })),
  };
  if (view.learner.id) found(sources, 'learner', 'native', `${S}.id`);
  if (view.learner.identifiers.length) found(sources, 'learner', 'native', `${S}.identifier`);
}

function readTitle({ vc, achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  view.title = str(achievement?.name) ?? str(vc.name);
  if (view.title) found(sources, 'title', 'native', str(achievement?.name) ? `${A}.name` : '$.name');
}

function readAwardingBodiesAndCountries(
  { achievement, issuer }: ObParts,
  view: MicroCredentialView,
  sources: Found,
): void {
  const bodies = objects(achievement?.awardingBody);
  const creator = obj(achievement?.creator);
  const profiles = bodies.length ? bodies : [issuer, creator].filter((p): p is Json => p !== undefined).slice(0, 1);
  view.awardingBodies = profiles.map((b) => ({ id: str(b.id), name: str(b.name) }));
  if (bodies.length) found(sources, 'awardingBody', 'extension', `${A}.awardingBody`);
  else if (issuer) found(sources, 'awardingBody', 'native', '$.issuer');
  else if (creator) found(sources, 'awardingBody', 'native', `${A}.creator`);
  const holders: { profile: Json; path: string }[] = [
    ...bodies.map((profile, i) => ({ profile, path: `${A}.awardingBody[${i}].address` })),
    ...(issuer ? [{ profile: issuer, path: '$.issuer.address' }] : []),
  ];
  const seen = new Set<string>();
  for (const { profile, path } of holders) {
    const address = obj(first(profile.address));
    const code = str(address?.addressCountryCode);
    const region = str(address?.addressRegion);
    const countryName = str(address?.addressCountry);
    if (!code && !region && !countryName) continue;
    const key = `${code ?? countryName ?? ''}|${region ?? ''}`;
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
    view.issuerCountries.push({
      ...(code ? { code: code.toUpperCase() } : {}),
      ...(country ? { country } : {}),
      ...(region ? { region } : {}),
    });
    found(sources, 'country', path.startsWith('$.issuer') ? 'native' : 'extension', path);
  }
}

function readDate({ vc }: ObParts, view: MicroCredentialView, sources: Found): void {
  const key = ['awardedDate', 'validFrom', 'issuanceDate'].find((k) => str(vc[k]));
  if (key) {
    view.dateOfIssuing = str(vc[key]);
    found(sources, 'dateOfIssuing', 'native', `$.${key}`);
  }
}

function readLearningOutcomes({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  for (const lo of objects(achievement?.learningOutcome)) {
    const text = str(lo.name) ?? str(lo.title);
    if (text)
      view.learningOutcomes.push({
        text,
        escoSkills: concepts(lo.relatedESCOSkill).map((c) => c.id),
        relatedSkills: concepts(lo.relatedSkill).map((c) => c.id),
      });
  }
  // SURF's mapping sheet: learningOutcome as plain strings.
  for (const text of list(achievement?.learningOutcome).filter(
    (x): x is string => typeof x === 'string' && x.trim() !== '',
  )) {
    view.learningOutcomes.push({ text, escoSkills: [], relatedSkills: [] });
  }
  // Not criteria.narrative: OB 3.0 defines it as what is needed to earn the achievement, not what was learned.
  if (view.learningOutcomes.length)
    found(sources, 'learningOutcomes', view.euExtension ? 'extension' : 'peer', `${A}.learningOutcome`);
}

function readWorkload({ subject, achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const points = list(achievement?.creditPoint);
  const at = points.findIndex((c) => conceptId(obj(c)?.framework) === ECTS);
  const ectsExt = at >= 0 ? num(obj(points[at])?.point) : undefined;
  const ectsPeer = num(achievement?.ECTS);
  const creditsAvailable = typeof achievement?.creditsAvailable === 'number' ? achievement.creditsAvailable : undefined;
  if (ectsExt !== undefined) {
    view.workload.ects = ectsExt;
    found(
      sources,
      'workload',
      'extension',
      `${A}.creditPoint${Array.isArray(achievement?.creditPoint) ? `[${at}]` : ''}`,
    );
  } else if (ectsPeer !== undefined) {
    view.workload.ects = ectsPeer;
    found(sources, 'workload', 'peer', `${A}.ECTS`);
  } else if (creditsAvailable !== undefined) {
    view.workload.ects = creditsAvailable;
    found(sources, 'workload', 'native', `${A}.creditsAvailable`);
  }
  if (creditsAvailable !== undefined && sources.workload?.source !== 'native')
    found(sources, 'workload', 'native', `${A}.creditsAvailable`);
  const volume = str(achievement?.volumeOfLearning);
  if (volume) {
    view.workload.volumeOfLearning = volume;
    const hours = /^PT(\d+(?:\.\d+)?)H$/.exec(volume);
    if (hours) view.workload.hours = Number(hours[1]);
    found(sources, 'workload', 'extension', `${A}.volumeOfLearning`);
  }
  const studyLoad = num(achievement?.studyLoad) ?? num(achievement?.timeInvestment);
  if (view.workload.hours === undefined && studyLoad !== undefined) {
    view.workload.hours = studyLoad;
    found(sources, 'workload', 'peer', achievement?.studyLoad !== undefined ? `${A}.studyLoad` : `${A}.timeInvestment`);
  }
  if (typeof subject?.creditsEarned === 'number') view.workload.ectsEarned = subject.creditsEarned;
}

function readLevel({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const ext = concept(achievement?.eqfLevel);
  if (ext) {
    setEqf(view, ext);
    found(sources, 'level', 'extension', `${A}.eqfLevel`);
  }
  list(achievement?.alignment).forEach((item, i) => {
    const al = obj(item);
    if (!al) return;
    const url = str(al.targetUrl);
    const byName = /\bEQF|European Qualifications Framework/i.test(
      `${str(al.targetType) ?? ''} ${str(al.targetFramework) ?? ''}`,
    );
    let level: number | undefined;
    if (url?.startsWith(EQF_PREFIX)) level = Number(url.slice(EQF_PREFIX.length));
    else if (byName) level = num(al.targetCode);
    if (level === undefined || !Number.isInteger(level) || level < 1 || level > 8) return;
    if (!view.level.eqf) setEqf(view, concept(`${EQF_PREFIX}${level}`)!);
    found(sources, 'level', sources.level?.source ?? 'native', `${A}.alignment[${i}]`);
  });
  const cycle = concept(achievement?.qfEheaCycle);
  if (cycle) view.level.qfEheaCycle = cycle;
  view.level.nqf = concepts(achievement?.nqfLevel).map((c) => c.id);
  if (cycle) found(sources, 'level', sources.level?.source ?? 'extension', `${A}.qfEheaCycle`);
  if (view.level.nqf.length) found(sources, 'level', sources.level?.source ?? 'extension', `${A}.nqfLevel`);
}

function setEqf(view: MicroCredentialView, c: ConceptValue): void {
  const n = Number(c.id.split('/').pop());
  if (Number.isInteger(n) && n >= 1 && n <= 8) view.level.eqf = n;
  view.level.eqfConcept = c;
}

function readAssessment({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  for (const a of objects(achievement?.assessment)) {
    const type = concept(a.assessmentType);
    view.assessment.push({
      ...(type ? { type } : {}),
      ...(str(a.name) ? { name: str(a.name) } : {}),
      ...(str(a.description) ? { description: str(a.description) } : {}),
      mode: concepts(a.mode),
    });
  }
  if (view.assessment.length) found(sources, 'assessment', 'extension', `${A}.assessment`);
  // educredentials / eduBadges: assessmentType as a word on the achievement.
  for (const text of strings(achievement?.assessmentType)) {
    view.assessment.push({ type: { label: text }, mode: [] });
    found(sources, 'assessment', 'peer', `${A}.assessmentType`);
  }
  // 1EdTech Assessment Extension: assessmentType (Exam, Performance, Artifact) on a result description.
  list(achievement?.resultDescription).forEach((item, i) => {
    const text = str(obj(item)?.assessmentType);
    if (!text) return;
    view.assessment.push({ type: { label: text }, mode: [] });
    found(sources, 'assessment', 'peer', `${A}.resultDescription[${i}].assessmentType`);
  });
}

function readParticipation({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const p = view.participation;
  p.modes = concepts(achievement?.mode);
  if (p.modes.length) found(sources, 'participation', 'extension', `${A}.mode`);
  const activities = objects(achievement?.learningActivity);
  p.activityTypes = activities.flatMap((a) => concepts(a.activityType));
  const described = activities.map((a) => str(a.description)).filter((d): d is string => d !== undefined);
  if (described.length) p.description = described.join(' ');
  if (activities.length) found(sources, 'participation', 'extension', `${A}.learningActivity`);
  const schedule = concept(achievement?.learningSchedule);
  if (schedule) p.schedule = schedule;
  const setting = concept(achievement?.learningSetting);
  if (setting) p.setting = setting;
  for (const key of ['participationType', 'participationForm', 'participation']) {
    for (const text of strings(achievement?.[key])) {
      p.modes.push({ label: text });
      found(sources, 'participation', 'peer', `${A}.${key}`);
    }
  }
}

function readQualityAssurance({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  for (const qa of objects(achievement?.accreditation)) {
    const type = concept(qa.accreditationType);
    const agent = obj(qa.accreditingAgent);
    view.qualityAssurance.push({
      ...(type ? { type } : {}),
      ...(str(qa.name) ? { name: str(qa.name) } : {}),
      ...(str(qa.description) ? { description: str(qa.description) } : {}),
      ...(agent && (str(agent.name) ?? str(agent.id)) ? { accreditingAgent: str(agent.name) ?? str(agent.id) } : {}),
      ...(str(qa.landingPage) ? { url: str(qa.landingPage) } : {}),
    });
  }
  if (view.qualityAssurance.length) found(sources, 'qualityAssurance', 'extension', `${A}.accreditation`);
  // SURF's mapping and educredentials: an alignment with targetType ext:QualityAssurance (e.g. an NVAO decision).
  list(achievement?.alignment).forEach((item, i) => {
    const al = obj(item);
    if (!al || !/QualityAssurance/i.test(str(al.targetType) ?? '')) return;
    const known = view.qualityAssurance.some((q) => q.url !== undefined && q.url === str(al.targetUrl));
    if (!known) {
      view.qualityAssurance.push({
        ...(str(al.targetName) ? { name: str(al.targetName) } : {}),
        ...(str(al.targetDescription) ? { description: str(al.targetDescription) } : {}),
        ...(str(al.targetUrl) ? { url: str(al.targetUrl) } : {}),
      });
    }
    found(sources, 'qualityAssurance', sources.qualityAssurance?.source ?? 'native', `${A}.alignment[${i}]`);
  });
}

function readPrerequisites({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const prerequisites = str(achievement?.entryRequirement);
  if (prerequisites) {
    view.prerequisites = prerequisites;
    found(sources, 'prerequisites', 'extension', `${A}.entryRequirement`);
  }
  view.targetGroups = concepts(achievement?.targetGroup);
}

function readSupervision({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const supervision = concept(achievement?.idVerification);
  if (supervision) {
    view.supervision = supervisionView(supervision);
    found(sources, 'supervision', 'extension', `${A}.idVerification`);
    return;
  }
  // educredentials: supervisionType (free text) and identityChecked (boolean).
  const text = str(achievement?.supervisionType);
  const checked = typeof achievement?.identityChecked === 'boolean' ? achievement.identityChecked : undefined;
  if (text !== undefined || checked !== undefined) {
    view.supervision = {
      ...(text ? { label: text } : {}),
      ...(checked !== undefined ? { identityVerified: checked } : {}),
    };
    if (text) found(sources, 'supervision', 'peer', `${A}.supervisionType`);
    if (checked !== undefined) found(sources, 'supervision', 'peer', `${A}.identityChecked`);
  }
}

function readGrade({ subject, achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  // Results are a set: their order is not signed (a holder may reorder them without breaking an eddsa-rdfc-2022
  // proof), so the grade shown never depends on it. Every result is judged and the weakest is shown: a Failed one,
  // else the lowest on its scale, else the first in a fixed order of their content.
  const grades = objects(subject?.result).map((result, i) => {
    const rdId = str(result.resultDescription);
    const rd = objects(achievement?.resultDescription).find((r) => str(r.id) === rdId);
    const grade: NonNullable<MicroCredentialView['grade']> = {
      ...(str(result.value) ? { value: str(result.value) } : {}),
      ...(str(result.status) ? { status: str(result.status) } : {}),
      ...(rd && str(rd.name) ? { scheme: str(rd.name) } : {}),
      ...(rd && strings(rd.allowedValue).length ? { allowedValues: strings(rd.allowedValue) } : {}),
      ...(rd && str(rd.requiredValue) ? { requiredValue: str(rd.requiredValue) } : {}),
    };
    const scale = grade.allowedValues && grade.value !== undefined ? grade.allowedValues.indexOf(grade.value) : -1;
    return {
      grade,
      i,
      failed: grade.status === 'Failed' ? 0 : 1,
      scale: scale < 0 ? Number.MAX_SAFE_INTEGER : scale,
      text: stableJson(grade),
    };
  });
  if (grades.length === 0) return;
  grades.sort((a, b) => a.failed - b.failed || a.scale - b.scale || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const shown = grades[0]!;
  view.grade = shown.grade;
  if (view.grade.value || view.grade.status) found(sources, 'grade', 'native', `${S}.result[${shown.i}]`);
}

function readStackability({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  const st = view.stackability;
  const option = concept(achievement?.stackability);
  if (option) st.option = option;
  st.isPartOf = concepts(achievement?.isPartOf).map((c) => c.id);
  st.hasPart = concepts(achievement?.hasPart).map((c) => c.id);
  if (typeof achievement?.isPartialQualification === 'boolean')
    st.isPartialQualification = achievement.isPartialQualification;
  for (const key of ['stackability', 'isPartOf', 'hasPart', 'isPartialQualification'] as const) {
    if (achievement?.[key] !== undefined && (key !== 'stackability' || option))
      found(sources, 'stackability', 'extension', `${A}.${key}`);
  }
  // SURF: integrationOptions ("standalone") or stackable (boolean).
  for (const key of ['integrationOptions', 'stackable']) {
    const value = achievement?.[key];
    if (typeof value === 'string' || typeof value === 'boolean') {
      if (!st.option) st.option = { label: typeof value === 'boolean' ? (value ? 'stackable' : 'stand-alone') : value };
      found(sources, 'stackability', 'peer', `${A}.${key}`);
    }
  }
}

function readFurtherInformation({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  view.furtherInformation = strings(achievement?.additionalNote);
  if (view.furtherInformation.length) found(sources, 'furtherInformation', 'extension', `${A}.additionalNote`);
  for (const key of ['supplementaryDocument', 'homepage']) {
    const links = strings(achievement?.[key]);
    if (!links.length) continue;
    view.furtherInformation.push(...links);
    found(sources, 'furtherInformation', 'extension', `${A}.${key}`);
  }
}

/** A reader's view completed with its Annex I element list: each element, whether present, and where it was found. */
function withElements(view: MicroCredentialView, sources: Found): MicroCredentialView {
  view.elements = ANNEX_I_ELEMENTS.map((e) => {
    const at = sources[e.key];
    return {
      n: e.n,
      key: e.key,
      label: e.label,
      mandatory: e.mandatory,
      present: at !== undefined,
      ...(at ? { source: at.source, where: at.where } : {}),
    };
  });
  view.missingMandatory = view.elements.filter((e) => e.mandatory && !e.present).map((e) => e.key);
  return view;
}

/** JSON text with every object's keys sorted, so that copies written in another key order compare equal. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
