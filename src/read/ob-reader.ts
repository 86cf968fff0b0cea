/**
 * Reads the Annex I elements of an Open Badges 3.0 credential, whoever issued it. Each element reader looks, in order,
 * at this library's extension terms, the terms other EU issuers use (SURF eduBadges / educredentials:
 * `ECTS`, `assessmentType`, `participationType`, `supervisionType`, `identityChecked`), and the native OB fields and
 * alignment conventions (`creditsAvailable`, an EQF alignment by EU IRI or by `targetType`/`targetCode`, an
 * `ext:QualityAssurance` alignment), and records where it found the value.
 */
import { stableJson } from './merge-nodes';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { CreditSystem, countryByAlpha2 } from '../model/vocab';
import {
  concept,
  conceptId,
  concepts,
  first,
  list,
  num,
  obj,
  objects,
  str,
  strings,
  types,
  type ConceptValue,
  type Json,
} from './json';
import { emptyView, found, supervisionView, type Found, type MicroCredentialView } from './view';

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

export function readOpenBadge(vc: Json, sources: Found): MicroCredentialView {
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
  const holders: { profile: Json; path: string }[] = [];
  for (let i = 0; i < bodies.length; i++)
    holders.push({ profile: bodies[i]!, path: `${A}.awardingBody[${i}].address` });
  if (issuer) holders.push({ profile: issuer, path: '$.issuer.address' });
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
    const place: MicroCredentialView['issuerCountries'][number] = {};
    if (code) place.code = code.toUpperCase();
    if (country) place.country = country;
    if (region) place.region = region;
    view.issuerCountries.push(place);
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
  // The IRI's last path segment (all of it when it has no '/').
  const n = Number(c.id.slice(c.id.lastIndexOf('/') + 1));
  if (Number.isInteger(n) && n >= 1 && n <= 8) view.level.eqf = n;
  view.level.eqfConcept = c;
}

function readAssessment({ achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  for (const a of objects(achievement?.assessment)) {
    const type = concept(a.assessmentType);
    const name = str(a.name);
    const description = str(a.description);
    // Keys in the view's order: type, name, description, mode (set last).
    const assessment = {} as MicroCredentialView['assessment'][number];
    if (type) assessment.type = type;
    if (name) assessment.name = name;
    if (description) assessment.description = description;
    assessment.mode = concepts(a.mode);
    view.assessment.push(assessment);
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
  const activityTypes: ConceptValue[] = [];
  const described: string[] = [];
  for (const a of activities) {
    for (const c of concepts(a.activityType)) activityTypes.push(c);
    const description = str(a.description);
    if (description !== undefined) described.push(description);
  }
  p.activityTypes = activityTypes;
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
    const name = str(qa.name);
    const description = str(qa.description);
    const accreditingAgent = agent ? (str(agent.name) ?? str(agent.id)) : undefined;
    const url = str(qa.landingPage);
    const entry: MicroCredentialView['qualityAssurance'][number] = {};
    if (type) entry.type = type;
    if (name) entry.name = name;
    if (description) entry.description = description;
    if (accreditingAgent) entry.accreditingAgent = accreditingAgent;
    if (url) entry.url = url;
    view.qualityAssurance.push(entry);
  }
  if (view.qualityAssurance.length) found(sources, 'qualityAssurance', 'extension', `${A}.accreditation`);
  // SURF's mapping and educredentials: an alignment with targetType ext:QualityAssurance (e.g. an NVAO decision).
  list(achievement?.alignment).forEach((item, i) => {
    const al = obj(item);
    if (!al || !/QualityAssurance/i.test(str(al.targetType) ?? '')) return;
    const url = str(al.targetUrl);
    const known = view.qualityAssurance.some((q) => q.url !== undefined && q.url === url);
    if (!known) {
      const name = str(al.targetName);
      const description = str(al.targetDescription);
      const entry: MicroCredentialView['qualityAssurance'][number] = {};
      if (name) entry.name = name;
      if (description) entry.description = description;
      if (url) entry.url = url;
      view.qualityAssurance.push(entry);
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
    const supervision: NonNullable<MicroCredentialView['supervision']> = {};
    if (text) supervision.label = text;
    if (checked !== undefined) supervision.identityVerified = checked;
    view.supervision = supervision;
    if (text) found(sources, 'supervision', 'peer', `${A}.supervisionType`);
    if (checked !== undefined) found(sources, 'supervision', 'peer', `${A}.identityChecked`);
  }
}

function readGrade({ subject, achievement }: ObParts, view: MicroCredentialView, sources: Found): void {
  // Results are a set: their order is not signed (a holder may reorder them without breaking an eddsa-rdfc-2022
  // proof), so the grade shown never depends on it. Every result is judged and the weakest is shown: a Failed one,
  // else the lowest on its scale, else the first in a fixed order of their content.
  const descriptions = objects(achievement?.resultDescription);
  const grades = objects(subject?.result).map((result, i) => {
    const rdId = str(result.resultDescription);
    const rd = descriptions.find((r) => str(r.id) === rdId);
    const grade: NonNullable<MicroCredentialView['grade']> = {};
    const value = str(result.value);
    if (value) grade.value = value;
    const status = str(result.status);
    if (status) grade.status = status;
    if (rd) {
      const scheme = str(rd.name);
      if (scheme) grade.scheme = scheme;
      const allowedValues = strings(rd.allowedValue);
      if (allowedValues.length) grade.allowedValues = allowedValues;
      const requiredValue = str(rd.requiredValue);
      if (requiredValue) grade.requiredValue = requiredValue;
    }
    const scale = grade.allowedValues && grade.value !== undefined ? grade.allowedValues.indexOf(grade.value) : -1;
    return {
      grade,
      i,
      failed: grade.status === 'Failed' ? 0 : 1,
      scale: scale < 0 ? Number.MAX_SAFE_INTEGER : scale,
      text: '',
    };
  });
  if (grades.length === 0) return;
  // The fixed order of content decides only between two results or more.
  if (grades.length > 1) for (const g of grades) g.text = stableJson(g.grade);
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
