/**
 * Reads the Annex I elements of an ELM v3 / European Digital Credential (JSON-LD with the EDC context), the way the
 * Commission's micro-credential sample encodes them (`Sample-MC-Annex1`): the learner (`Person`) has a claim
 * (`LearningAchievement`) specified by a `Qualification`, proven by a `LearningAssessment`, influenced by a
 * `LearningActivity` and awarded by an awarding process with its awarding body. The reader's view only: a full
 * Europass import is another matter.
 */
import { concept, concepts, first, list, num, obj, objects, str, strings, type ConceptValue, type Json } from './json';
import { CreditSystem } from '../model/vocab/credit-system';
import { Stackability } from '../model/vocab/stackability';
import { indexNodes, resolve, type NodeIndex } from './elm-nodes';
import { gradingScaleFromElm } from './grading-scale';
import { emptyView, found, supervisionView, type Found, type MicroCredentialView } from './view';

const ECTS = CreditSystem.ects.id;
const COUNTRY_PREFIX = 'http://publications.europa.eu/resource/authority/country/';
/** An ELM Identifier with this scheme is an Open Badges IdentityObject (the EDC export writes learners' ones so). */
const IDENTITY_OBJECT_SCHEME = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject';

/** What every element reader of an ELM credential starts from: the claim, its specification, the awarding process. */
interface ElmParts {
  vc: Json;
  subject: Json | undefined;
  claim: Json | undefined;
  /** The claim's specification (the Qualification or LearningAchievementSpecification). */
  spec: Json | undefined;
  process: Json | undefined;
  bodies: Json[];
  issuer: Json | undefined;
  /** JSON paths of the claim and of its specification. */
  C: string;
  Q: string;
  /** The claim's assessments and the specification's planned ones, with their paths. */
  assessments: { a: Json; path: string }[];
  /** Full nodes by id: ELM refers to a node named in full elsewhere by `{ id }` alone. */
  nodes: NodeIndex;
}

const S = '$.credentialSubject';

export function readElm(vc: Json, sources: Found): MicroCredentialView {
  const view = emptyView('elm');
  const nodes = indexNodes(vc);
  const subject = obj(first(vc.credentialSubject));
  const claim = obj(first(subject?.hasClaim));
  const C = `${S}.hasClaim${Array.isArray(subject?.hasClaim) ? '[0]' : ''}`;
  const spec = obj(first(claim?.specifiedBy));
  const Q = `${C}.specifiedBy`;
  const process = resolve(obj(first(claim?.awardedBy)), nodes);
  const issuer = typeof vc.issuer === 'string' ? { id: vc.issuer } : obj(vc.issuer);
  const assessments: { a: Json; path: string }[] = [
    ...objects(claim?.provenBy).map((a, i) => ({
      a: resolve(a, nodes)!,
      path: `${C}.provenBy${Array.isArray(claim?.provenBy) ? `[${i}]` : ''}`,
    })),
    ...objects(spec?.provenBy).map((a, i) => ({
      a: resolve(a, nodes)!,
      path: `${Q}.provenBy${Array.isArray(spec?.provenBy) ? `[${i}]` : ''}`,
    })),
  ];
  const bodies = objects(process?.awardingBody).map((b) => resolve(b, nodes)!);
  const parts: ElmParts = { vc, subject, claim, spec, process, bodies, issuer, C, Q, assessments, nodes };
  view.credentialId = str(vc.id);
  view.validFrom = str(vc.validFrom) ?? str(vc.issuanceDate);
  view.validUntil = str(vc.validUntil) ?? str(vc.expirationDate);
  view.achievementType =
    'ELM ' + (list(spec?.type).find((t): t is string => typeof t === 'string') ?? 'LearningAchievementSpecification');
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
  const language = concept(first(spec?.language));
  if (language) view.language = language.label ?? language.id;
  view.thematicAreas = concepts(spec?.thematicArea);
  if (view.thematicAreas[0]?.label) view.fieldOfStudy = view.thematicAreas[0].label;
  return view;
}

/** 1 learner: the Person's id and name. */
function readLearner({ subject }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const name = str(subject?.fullName) ?? [str(subject?.givenName), str(subject?.familyName)].filter(Boolean).join(' ');
  const identifiers = objects(subject?.identifier)
    .filter((i) => str(i.schemeId) === IDENTITY_OBJECT_SCHEME && str(i.notation))
    .map((i) => ({
      identityType: str(i.schemeName) ?? 'unknown',
      hashed: (str(i.schemeVersion) ?? '').startsWith('hashed'),
      identityHash: str(i.notation)!,
    }));
  view.learner = { ...(str(subject?.id) ? { id: str(subject?.id) } : {}), ...(name ? { name } : {}), identifiers };
  if (view.learner.id || name) found(sources, 'learner', 'elm', `${S}${view.learner.id ? '.id' : '.fullName'}`);
  if (identifiers.length) found(sources, 'learner', 'elm', `${S}.identifier`);
}

/** 2 title, from the specification or the claim (and the description beside it). */
function readTitle({ claim, spec, C, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  view.title = str(spec?.title) ?? str(claim?.title);
  if (view.title) found(sources, 'title', 'elm', str(spec?.title) ? `${Q}.title` : `${C}.title`);
  view.description = str(spec?.description) ?? str(claim?.description);
}

/** 4 awarding bodies, and 3 their countries and the issuer's (each country and region once). */
function readAwardingBodiesAndCountries(
  { bodies, issuer, C }: ElmParts,
  view: MicroCredentialView,
  sources: Found,
): void {
  view.awardingBodies = bodies.map((b) => ({ id: str(b.id), name: str(b.legalName) ?? str(b.prefLabel) }));
  if (bodies.length) found(sources, 'awardingBody', 'elm', `${C}.awardedBy.awardingBody`);
  if (issuer) view.issuer = { id: str(issuer.id), name: str(issuer.legalName) };
  const holders = [
    ...bodies.map((b, i) => ({
      org: b,
      path: `${C}.awardedBy.awardingBody${bodies.length > 1 ? `[${i}]` : ''}.location`,
    })),
    ...(issuer ? [{ org: issuer, path: '$.issuer.location' }] : []),
  ];
  const seen = new Set<string>();
  for (const { org, path } of holders) {
    for (const location of objects(org.location)) {
      const country = concept(obj(first(location.address))?.countryCode);
      const regionConcept = concept(location.spatialCode);
      const regionName = str(location.geographicName);
      const region = regionConcept ?? (regionName ? { id: '', label: regionName } : undefined);
      if (!country && !region) continue;
      const key = `${country?.id ?? ''}|${region?.id || region?.label || ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const code = country?.id.startsWith(COUNTRY_PREFIX) ? country.id.slice(COUNTRY_PREFIX.length) : undefined;
      view.issuerCountries.push({
        ...(code ? { code } : {}),
        ...(country ? { country } : {}),
        ...(region ? { region: region.label || region.id } : {}),
      });
      found(sources, 'country', 'elm', path);
    }
  }
}

/** 5 date of issuing: the awarding date, else the credential's own date. */
function readDate({ vc, process, C }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const dateKey = ['issued', 'validFrom', 'issuanceDate'].find((k) => str(vc[k]));
  const awardingDate = str(process?.awardingDate);
  view.dateOfIssuing = awardingDate ?? (dateKey ? str(vc[dateKey]) : undefined);
  if (awardingDate) found(sources, 'dateOfIssuing', 'elm', `${C}.awardedBy.awardingDate`);
  else if (dateKey) found(sources, 'dateOfIssuing', 'elm', `$.${dateKey}`);
}

/** 6 learning outcomes, or their summary when none is listed. */
function readLearningOutcomes({ spec, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  for (const lo of objects(spec?.learningOutcome)) {
    const text = str(lo.title);
    if (text)
      view.learningOutcomes.push({
        text,
        escoSkills: concepts(lo.relatedESCOSkill).map((c) => c.id),
        relatedSkills: concepts(lo.relatedSkill).map((c) => c.id),
      });
  }
  if (view.learningOutcomes.length) found(sources, 'learningOutcomes', 'elm', `${Q}.learningOutcome`);
  const summary = str(spec?.learningOutcomeSummary);
  if (summary) {
    if (!view.learningOutcomes.length) view.learningOutcomes.push({ text: summary, escoSkills: [], relatedSkills: [] });
    found(sources, 'learningOutcomes', 'elm', `${Q}.learningOutcomeSummary`);
  }
}

/** 7 workload: ECTS credit points, the volume of learning (hours), and the ECTS the claim received. */
function readWorkload({ claim, spec, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const points = objects(spec?.creditPoint);
  const ects = points.find((p) => concept(p.framework)?.id === ECTS);
  if (ects && num(ects.point) !== undefined) {
    view.workload.ects = num(ects.point);
    found(sources, 'workload', 'elm', `${Q}.creditPoint`);
  }
  const volume = str(spec?.volumeOfLearning);
  if (volume) {
    view.workload.volumeOfLearning = volume;
    const hours = /^PT(\d+(?:\.\d+)?)H$/.exec(volume);
    if (hours) view.workload.hours = Number(hours[1]);
    found(sources, 'workload', 'elm', `${Q}.volumeOfLearning`);
  }
  const earned = objects(claim?.creditReceived).find((p) => concept(p.framework)?.id === ECTS);
  if (earned && num(earned.point) !== undefined) view.workload.ectsEarned = num(earned.point);
}

/** 8 level: EQF, NQF and the QF-EHEA cycle (educationLevel). */
function readLevel({ spec, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const eqf = concept(spec?.eqfLevel);
  if (eqf) {
    const n = Number(eqf.id.split('/').pop());
    if (Number.isInteger(n) && n >= 1 && n <= 8) view.level.eqf = n;
    view.level.eqfConcept = eqf;
    found(sources, 'level', 'elm', `${Q}.eqfLevel`);
  }
  view.level.nqf = concepts(spec?.nqfLevel).map((c) => c.id);
  if (view.level.nqf.length) found(sources, 'level', 'elm', `${Q}.nqfLevel`);
  const educationLevel = concept(spec?.educationLevel);
  if (educationLevel) {
    view.level.qfEheaCycle = educationLevel;
    found(sources, 'level', 'elm', `${Q}.educationLevel`);
  }
}

/** 9 assessment: the claim's assessment and the specification's planned ones. */
function readAssessment({ assessments, nodes }: ElmParts, view: MicroCredentialView, sources: Found): void {
  // One entry per way of assessing: the learner's assessment names its specification, which the qualification lists too.
  const assessed = new Set<string>();
  for (const { a, path } of assessments) {
    const aspec = resolve(obj(first(a.specifiedBy)), nodes) ?? a;
    const specId = str(aspec.id);
    if (specId !== undefined && assessed.has(specId)) {
      found(sources, 'assessment', 'elm', path);
      continue;
    }
    if (specId !== undefined) assessed.add(specId);
    const type = concept(aspec.dcType);
    view.assessment.push({
      ...(type ? { type } : {}),
      ...((str(aspec.title) ?? str(a.title)) ? { name: str(aspec.title) ?? str(a.title) } : {}),
      ...(str(aspec.description) ? { description: str(aspec.description) } : {}),
      mode: concepts(aspec.mode),
    });
    found(sources, 'assessment', 'elm', path);
  }
}

/** 10 participation: modes, the learning activities that influenced the claim, setting and schedule. */
function readParticipation({ claim, spec, C, Q, nodes }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const p = view.participation;
  p.modes = concepts(spec?.mode);
  if (p.modes.length) found(sources, 'participation', 'elm', `${Q}.mode`);
  const activities: { a: Json; path: string }[] = [
    ...objects(claim?.influencedBy).map((a, i) => ({
      a,
      path: `${C}.influencedBy${Array.isArray(claim?.influencedBy) ? `[${i}]` : ''}`,
    })),
    ...objects(spec?.influencedBy).map((a, i) => ({
      a,
      path: `${Q}.influencedBy${Array.isArray(spec?.influencedBy) ? `[${i}]` : ''}`,
    })),
  ];
  for (const { a, path } of activities) {
    const aspec = obj(first(a.specifiedBy)) ?? a;
    p.activityTypes.push(...concepts(aspec.dcType));
    for (const m of concepts(aspec.mode)) if (!p.modes.some((x) => x.id === m.id)) p.modes.push(m);
    const d = str(a.description) ?? str(aspec.description);
    if (d && !p.description) p.description = d;
    found(sources, 'participation', 'elm', path);
  }
  const setting = concept(spec?.learningSetting);
  if (setting) {
    p.setting = setting;
    found(sources, 'participation', 'elm', `${Q}.learningSetting`);
  }
  const opportunity = resolve(obj(first(claim?.learningOpportunity)), nodes);
  const schedule = concept(spec?.learningSchedule) ?? concept(opportunity?.learningSchedule);
  if (schedule) p.schedule = schedule;
}

/** 11 quality assurance: accreditation of the qualification, else of the awarding body. */
function readQualityAssurance({ spec, bodies, C, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const accreditations = [
    ...objects(spec?.accreditation).map((a) => ({ a, path: `${Q}.accreditation` })),
    ...bodies.flatMap((b, i) =>
      objects(b.accreditation).map((a) => ({
        a,
        path: `${C}.awardedBy.awardingBody${bodies.length > 1 ? `[${i}]` : ''}.accreditation`,
      })),
    ),
  ];
  for (const { a, path } of accreditations) {
    const type = concept(a.dcType);
    const agent = obj(first(a.accreditingAgent));
    const landing = obj(first(a.landingPage));
    view.qualityAssurance.push({
      ...(type ? { type } : {}),
      ...(str(a.title) ? { name: str(a.title) } : {}),
      ...(str(a.description) ? { description: str(a.description) } : {}),
      ...(agent && (str(agent.legalName) ?? str(agent.id))
        ? { accreditingAgent: str(agent.legalName) ?? str(agent.id) }
        : {}),
      ...((str(landing?.contentURL) ?? str(a.landingPage))
        ? { url: str(landing?.contentURL) ?? str(a.landingPage) }
        : {}),
    });
    found(sources, 'qualityAssurance', 'elm', path);
  }
}

/** 12 prerequisites (entry requirement), and the target groups beside them. */
function readPrerequisites({ spec, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const entry = str(spec?.entryRequirement);
  if (entry) {
    view.prerequisites = entry;
    found(sources, 'prerequisites', 'elm', `${Q}.entryRequirement`);
  }
  view.targetGroups = concepts(spec?.targetGroup);
}

/** 13 supervision: the first assessment's identity verification. */
function readSupervision({ assessments }: ElmParts, view: MicroCredentialView, sources: Found): void {
  for (const { a, path } of assessments) {
    const supervision = concept(a.idVerification);
    if (!supervision) continue;
    view.supervision = supervisionView(supervision);
    found(sources, 'supervision', 'elm', `${path}.idVerification`);
    break;
  }
}

/** 14 grade: the first assessment's grade, with its grading scheme's title. */
function readGrade({ assessments, nodes }: ElmParts, view: MicroCredentialView, sources: Found): void {
  for (const { a, path } of assessments) {
    const grade = str(a.grade);
    if (!grade) continue;
    const scheme = resolve(obj(first(resolve(obj(first(a.specifiedBy)), nodes)?.gradingScheme)), nodes);
    const scale = gradingScaleFromElm(scheme);
    view.grade = { value: grade, ...(scheme && str(scheme.title) ? { scheme: str(scheme.title) } : {}) };
    // The scale the export writes on the grading scheme gives the pass/fail status and the allowed values back.
    if (scale?.kind === 'letter') {
      const at = scale.grades.indexOf(grade);
      view.grade = {
        ...view.grade,
        status: at >= 0 && at <= scale.grades.indexOf(scale.lowestPassing) ? 'Completed' : 'Failed',
        allowedValues: [...scale.grades].reverse(),
        requiredValue: scale.lowestPassing,
      };
    } else if (scale?.kind === 'pass-fail') {
      view.grade = {
        ...view.grade,
        status: grade === scale.pass ? 'Completed' : 'Failed',
        allowedValues: [scale.fail, scale.pass],
        requiredValue: scale.pass,
      };
    } else if (scale?.kind === 'numeric') {
      view.grade = {
        ...view.grade,
        status: Number(grade) >= scale.passing ? 'Completed' : 'Failed',
        requiredValue: String(scale.passing),
      };
    }
    found(sources, 'grade', 'elm', `${path}.grade`);
    break;
  }
}

/** 15 stackability: part of, has parts, partial qualification. */
function readStackability({ spec, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  const st = view.stackability;
  st.isPartOf = concepts(spec?.isPartOf).map((c: ConceptValue) => c.id);
  st.hasPart = concepts(spec?.hasPart).map((c: ConceptValue) => c.id);
  if (typeof spec?.isPartialQualification === 'boolean') st.isPartialQualification = spec.isPartialQualification;
  const option = concepts(spec?.dcType).find((c) => Stackability.$byId(c.id) !== undefined);
  if (option) {
    st.option = option;
    found(sources, 'stackability', 'elm', `${Q}.dcType`);
  }
  for (const key of ['isPartialQualification', 'isPartOf', 'hasPart'])
    if (spec?.[key] !== undefined) found(sources, 'stackability', 'elm', `${Q}.${key}`);
}

/** 16 further information: notes, supplementary documents and the homepage. */
function readFurtherInformation({ claim, spec, C, Q }: ElmParts, view: MicroCredentialView, sources: Found): void {
  view.furtherInformation = [...strings(spec?.additionalNote), ...strings(claim?.additionalNote)];
  for (const doc of [...objects(spec?.supplementaryDocument), ...objects(spec?.homepage)]) {
    const url = str(doc.contentURL);
    if (url) view.furtherInformation.push(url);
  }
  for (const key of ['additionalNote', 'supplementaryDocument', 'homepage'])
    if (spec?.[key] !== undefined) found(sources, 'furtherInformation', 'elm', `${Q}.${key}`);
  if (claim?.additionalNote !== undefined) found(sources, 'furtherInformation', 'elm', `${C}.additionalNote`);
}
