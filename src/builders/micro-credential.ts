import { isMicrocredError } from '../errors';
import type { Alignment, Profile } from '../model/ob';
import type {
  EncodedAccreditation,
  EncodedAssessment,
  EncodedLearningOutcome,
  EUMicroCredentialAchievement,
} from '../model/eu';
import { EU_ACHIEVEMENT_TYPE } from '../model/eu';
import { AssessmentType } from '../model/vocab/assessment-type';
import { CreditSystem } from '../model/vocab/credit-system';
import { EQF } from '../model/vocab/eqf';
import { iscedF } from '../model/vocab/isced-f';
import { LearningActivityType } from '../model/vocab/learning-activity-type';
import { LearningMode } from '../model/vocab/learning-mode';
import { LearningOpportunityType } from '../model/vocab/learning-opportunity-type';
import { LearningSchedule } from '../model/vocab/learning-schedule';
import { LearningSetting } from '../model/vocab/learning-setting';
import { QfEheaCycle } from '../model/vocab/qf-ehea-cycle';
import { QualityAssuranceType } from '../model/vocab/quality-assurance-type';
import { SkillReuseLevel } from '../model/vocab/skill-reuse-level';
import { Stackability } from '../model/vocab/stackability';
import { SupervisionVerification } from '../model/vocab/supervision-verification';
import { TargetGroup } from '../model/vocab/target-group';
import { encodeConcept, resolveConcept, resolveConceptList } from './concepts';
import { buildGrading, type Grading } from './grading';
import type { LevelInput, MicroCredentialInput, QualityAssuranceInput, WorkloadInput } from './inputs';
import { buildImage, deepFreeze } from './issuer';
import { ProblemCollector, toDateTime } from './problems';
import { renderDescription, renderNarrative, type RelatedTitles } from './render';

/** A described micro-credential, ready to be awarded. Frozen: every credential awarded from it shares it. */
export interface MicroCredentialDefinition {
  readonly kind: 'micro-credential' | 'programme';
  readonly id: string;
  readonly title: string;
  /** ECTS credits, where the workload is given in ECTS. */
  readonly ects: number | undefined;
  /** Notional hours, where given. */
  readonly hours: number | undefined;
  readonly grading: Grading | undefined;
  /** The OB 3.0 achievement with the EU elements, as every awarded credential embeds it. */
  readonly achievement: EUMicroCredentialAchievement;
  /** The validated input (used when a programme links its parts). */
  readonly input: MicroCredentialInput;
}

const EQF_FRAMEWORK = 'European Qualifications Framework';

/**
 * Describes a micro-credential with the elements of Annex I of the Council Recommendation of 16 June 2022.
 * Every problem in the input is reported at once, in one `MicrocredError` (`MISSING_ELEMENT` / `INVALID_ELEMENT`).
 */
export function defineMicroCredential(input: MicroCredentialInput): MicroCredentialDefinition {
  const problems = new ProblemCollector();
  const definition = buildDefinition(input, problems, { kind: 'micro-credential' });
  problems.throwIfAny('The micro-credential definition is incomplete or invalid');
  return deepFreeze(definition!);
}

export interface BuildContext {
  kind: 'micro-credential' | 'programme';
  isPartOf?: string[];
  hasPart?: string[];
  /** Titles of the micro-credentials named in isPartOf / hasPart, for the wallet-visible text. */
  relatedTitles?: RelatedTitles;
}

export function buildDefinition(
  input: MicroCredentialInput,
  problems: ProblemCollector,
  context: BuildContext,
): MicroCredentialDefinition | undefined {
  if (typeof input !== 'object' || input === null) {
    problems.invalid('$', 'a micro-credential definition must be an object');
    return undefined;
  }
  const id = problems.requireUri(input.id, '$.id', 'micro-credential id') ?? '';
  const title = problems.requireText(input.title, '$.title', 'title (element 2)');
  const description = problems.requireText(input.description, '$.description', 'description');

  const awardingBody = buildAwardingBodies(input.awardingBodies, problems);
  const learningOutcome = buildLearningOutcomes(input, problems);
  const workload = buildWorkload(input.workload, problems);
  const level = buildLevel(input.level, problems);
  const assessment = buildAssessments(input.assessment, problems);
  const participation = buildParticipation(input, problems);
  const accreditation = buildQualityAssurance(input.qualityAssurance, problems);
  const grading = input.grading === undefined ? undefined : buildGrading(input.grading, id, '$.grading', problems);

  const achievement: EUMicroCredentialAchievement = {
    id,
    type: ['Achievement', EU_ACHIEVEMENT_TYPE],
    achievementType: 'MicroCredential',
    name: title ?? '',
    description: description ?? '',
    criteria: buildCriteria(input, problems),
  };
  const parts: DefinitionParts = {
    learningOutcome,
    workload,
    level,
    assessment,
    participation,
    accreditation,
    awardingBody,
    grading,
  };
  const { thematicArea } = writeOpenBadgesFields(achievement, input, parts, problems);
  writeEuExtensionTerms(achievement, input, parts, thematicArea, context, problems);
  renderForWallets(achievement, input, context.relatedTitles);

  return {
    kind: context.kind,
    id,
    title: title ?? '',
    ects: workload.ects,
    hours: workload.hours,
    grading,
    achievement,
    input,
  };
}

/** What the sections of a definition read, before they are written into the achievement. */
interface DefinitionParts {
  learningOutcome: ReturnType<typeof buildLearningOutcomes>;
  workload: ReturnType<typeof buildWorkload>;
  level: ReturnType<typeof buildLevel>;
  assessment: ReturnType<typeof buildAssessments>;
  participation: ReturnType<typeof buildParticipation>;
  accreditation: EncodedAccreditation[];
  awardingBody: Profile[];
  grading: Grading | undefined;
}

/** Open Badges' own fields, the ones every wallet shows: image, language, credits, codes, tags, alignments, result. */
function writeOpenBadgesFields(
  achievement: EUMicroCredentialAchievement,
  input: MicroCredentialInput,
  parts: DefinitionParts,
  problems: ProblemCollector,
): { thematicArea: { id: string; label: string }[] } {
  const { learningOutcome, workload, level, accreditation, grading } = parts;
  const image = buildImage(input.image, '$.image', problems);
  if (image) achievement.image = image;
  const language = problems.optionalText(input.language, '$.language', 'language');
  if (language) {
    if (!/^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/.test(language)) {
      problems.invalid(
        '$.language',
        `language must be a BCP 47 tag like "en", "et" or "en-GB", got ${JSON.stringify(language)}`,
      );
    } else achievement.inLanguage = language;
  }
  if (workload.ects !== undefined) achievement.creditsAvailable = workload.ects;
  const thematicArea = buildFieldOfStudy(input.fieldOfStudy, problems);
  if (thematicArea.length) achievement.fieldOfStudy = thematicArea[0]!.label;
  const humanCode = problems.optionalText(input.humanCode, '$.humanCode', 'human code');
  if (humanCode) achievement.humanCode = humanCode;
  const version = problems.optionalText(input.version, '$.version', 'version');
  if (version) achievement.version = version;
  if (input.tags !== undefined) {
    const tags = Array.isArray(input.tags)
      ? input.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '')
      : [];
    if (!Array.isArray(input.tags)) problems.invalid('$.tags', 'tags must be a list of strings');
    if (tags.length) achievement.tag = tags;
  }
  // Quality assurance with a public record also goes into OB's native alignment slot, as SURF's mapping does.
  const qaAlignment: Alignment[] = accreditation
    .filter((qa) => qa.landingPage)
    .map((qa) => ({
      type: ['Alignment'],
      targetType: 'ext:QualityAssurance',
      targetName: qa.name ?? 'Quality assurance',
      targetUrl: qa.landingPage!,
      ...(qa.description ? { targetDescription: qa.description } : {}),
    }));
  const alignment: Alignment[] = [...level.alignment, ...qaAlignment, ...learningOutcome.alignment];
  if (alignment.length) achievement.alignment = alignment;
  if (grading) achievement.resultDescription = [grading.resultDescription];
  return { thematicArea };
}

/** The EU extension terms (contexts/microcredentials-v1.jsonld): the Annex I elements OB has no field for. */
function writeEuExtensionTerms(
  achievement: EUMicroCredentialAchievement,
  input: MicroCredentialInput,
  parts: DefinitionParts,
  thematicArea: { id: string; label: string }[],
  context: BuildContext,
  problems: ProblemCollector,
): void {
  const { learningOutcome, workload, level, assessment, participation, accreditation, awardingBody, grading } = parts;
  achievement.learningOutcome = learningOutcome.encoded;
  const summary = problems.optionalText(
    input.learningOutcomeSummary,
    '$.learningOutcomeSummary',
    'learning outcome summary',
  );
  if (summary) achievement.learningOutcomeSummary = summary;
  if (workload.ects !== undefined) {
    achievement.creditPoint = [
      { type: ['CreditPoint'], framework: encodeConcept(CreditSystem.ects.id), point: String(workload.ects) },
    ];
  }
  if (workload.hours !== undefined) achievement.volumeOfLearning = `PT${workload.hours}H`;
  if (input.maximumDuration !== undefined) {
    if (typeof input.maximumDuration !== 'string' || !isIsoDuration(input.maximumDuration)) {
      problems.invalid(
        '$.maximumDuration',
        `maximum duration must be an ISO 8601 duration like "P1Y" or "P4M", got ${JSON.stringify(input.maximumDuration)}`,
      );
    } else achievement.maximumDuration = input.maximumDuration;
  }
  if (level.eqf) achievement.eqfLevel = encodeConcept(level.eqf);
  if (level.nqf.length) achievement.nqfLevel = level.nqf.map(encodeConcept);
  if (level.cycle) achievement.qfEheaCycle = encodeConcept(level.cycle);
  if (thematicArea.length) achievement.thematicArea = thematicArea.map((c) => encodeConcept(c.id));
  if (input.learningOpportunityType !== undefined) {
    const type = resolveConcept(
      input.learningOpportunityType,
      LearningOpportunityType,
      '$.learningOpportunityType',
      'learning opportunity type',
      problems,
    );
    if (type) achievement.learningOpportunityType = encodeConcept(type);
  }
  if (participation.mode.length) achievement.mode = participation.mode.map(encodeConcept);
  if (participation.activityTypes.length || participation.description) {
    achievement.learningActivity = [
      {
        type: ['LearningActivitySpecification'],
        ...(participation.activityTypes.length ? { activityType: participation.activityTypes.map(encodeConcept) } : {}),
        ...(participation.description ? { description: participation.description } : {}),
      },
    ];
  }
  if (participation.schedule) achievement.learningSchedule = encodeConcept(participation.schedule);
  if (participation.setting) achievement.learningSetting = encodeConcept(participation.setting);
  achievement.assessment = assessment;
  if (input.supervision !== undefined) {
    const supervision = resolveConcept(
      input.supervision,
      SupervisionVerification,
      '$.supervision',
      'supervision and identity verification (element 13)',
      problems,
    );
    if (supervision) achievement.idVerification = encodeConcept(supervision);
  }
  achievement.accreditation = accreditation;
  achievement.awardingBody = awardingBody.map(asOrganisation);
  // OB's creator is the first awarding body: the same object, so the JSON cannot say two different things about it.
  if (achievement.awardingBody.length) achievement.creator = achievement.awardingBody[0];
  const prerequisites = problems.optionalText(input.prerequisites, '$.prerequisites', 'prerequisites (element 12)');
  if (prerequisites) achievement.entryRequirement = prerequisites;
  if (input.targetGroups !== undefined) {
    const groups = resolveConceptList(input.targetGroups, TargetGroup, '$.targetGroups', 'target group', problems);
    if (groups.length) achievement.targetGroup = groups.map(encodeConcept);
  }
  if (grading && (grading.description || grading.name)) {
    achievement.gradingScheme = {
      type: ['GradingScheme'],
      name: grading.name,
      ...(grading.description ? { description: grading.description } : {}),
    };
  }
  const stackability = buildStackability(input.stackability, problems);
  if (stackability) achievement.stackability = encodeConcept(stackability);
  if (context.isPartOf?.length) achievement.isPartOf = context.isPartOf;
  if (context.hasPart?.length) achievement.hasPart = context.hasPart;
  const notes = buildFurtherInformation(input.furtherInformation, problems);
  const fee = problems.optionalText(input.fee, '$.fee', 'fee');
  if (fee) notes.push(`${FEE_PREFIX}${fee}`);
  if (notes.length) achievement.additionalNote = notes;
  if (input.supplementaryDocuments !== undefined) {
    const docs = (
      Array.isArray(input.supplementaryDocuments) ? input.supplementaryDocuments : [input.supplementaryDocuments]
    )
      .map((d, i) => problems.optionalUri(d, `$.supplementaryDocuments[${i}]`, 'supplementary document'))
      .filter((d): d is string => d !== undefined);
    if (docs.length) achievement.supplementaryDocument = docs;
  }
  const homepage = problems.optionalUri(input.homepage, '$.homepage', 'homepage');
  if (homepage) achievement.homepage = homepage;
}

function buildAwardingBodies(value: unknown, problems: ProblemCollector): Profile[] {
  const list = problems.requireList(value, '$.awardingBodies', 'awarding body (element 4)');
  if (!list) return [];
  const out: Profile[] = [];
  list.forEach((body, i) => {
    const path = Array.isArray(value) ? `$.awardingBodies[${i}]` : '$.awardingBodies';
    if (typeof body !== 'object' || body === null || typeof (body as Profile).id !== 'string') {
      problems.invalid(path, 'an awarding body must be an issuer profile (use defineIssuer)');
      return;
    }
    const profile = body as Profile;
    if (!profile.name) problems.missing(`${path}.name`, 'awarding body name is required');
    if (!profile.address?.addressCountryCode) {
      problems.missing(`${path}.address.addressCountryCode`, 'country of the awarding body (element 3) is required');
    }
    out.push(profile);
  });
  return out;
}

function buildLearningOutcomes(
  input: MicroCredentialInput,
  problems: ProblemCollector,
): { encoded: EncodedLearningOutcome[]; alignment: Alignment[] } {
  const list = problems.requireList(input.learningOutcomes, '$.learningOutcomes', 'learning outcomes (element 6)');
  const encoded: EncodedLearningOutcome[] = [];
  const alignment: Alignment[] = [];
  if (!list) return { encoded, alignment };
  list.forEach((item, i) => {
    const path = `$.learningOutcomes[${i}]`;
    if (typeof item === 'string') {
      const text = problems.requireText(item, path, 'learning outcome');
      if (text) encoded.push({ type: ['LearningOutcome'], name: text });
      return;
    }
    if (typeof item !== 'object' || item === null) {
      problems.invalid(
        path,
        'a learning outcome is a sentence or { text, escoSkills?, relatedSkills?, reusabilityLevel? }',
      );
      return;
    }
    const o = item as { text?: unknown; escoSkills?: unknown; relatedSkills?: unknown; reusabilityLevel?: unknown };
    const text = problems.requireText(o.text, `${path}.text`, 'learning outcome text');
    if (!text) return;
    const outcome: EncodedLearningOutcome = { type: ['LearningOutcome'], name: text };
    if (o.escoSkills !== undefined) {
      const skills: string[] = [];
      (Array.isArray(o.escoSkills) ? o.escoSkills : [o.escoSkills]).forEach((skill: unknown, j: number) => {
        const sp = `${path}.escoSkills[${j}]`;
        const iri = typeof skill === 'string' ? skill : (skill as { id?: unknown } | null)?.id;
        const label = typeof skill === 'object' && skill !== null ? (skill as { label?: unknown }).label : undefined;
        if (typeof iri !== 'string' || !iri.startsWith('http://data.europa.eu/esco/skill/')) {
          problems.invalid(
            sp,
            `an ESCO skill must be an IRI starting with http://data.europa.eu/esco/skill/, got ${JSON.stringify(iri)}`,
          );
          return;
        }
        skills.push(iri);
        alignment.push({
          type: ['Alignment'],
          targetName: typeof label === 'string' && label.trim() ? label.trim() : text,
          targetUrl: iri,
          targetFramework: 'ESCO',
          targetType: 'ext:ESCOSkill',
        });
      });
      if (skills.length) outcome.relatedESCOSkill = skills;
    }
    if (o.relatedSkills !== undefined) {
      const related = (Array.isArray(o.relatedSkills) ? o.relatedSkills : [o.relatedSkills])
        .map((s: unknown, j: number) => problems.optionalUri(s, `${path}.relatedSkills[${j}]`, 'related skill'))
        .filter((s): s is string => s !== undefined);
      if (related.length) outcome.relatedSkill = related;
    }
    if (o.reusabilityLevel !== undefined) {
      const level = resolveConcept(
        o.reusabilityLevel,
        SkillReuseLevel,
        `${path}.reusabilityLevel`,
        'skill reuse level',
        problems,
      );
      if (level) outcome.reusabilityLevel = encodeConcept(level);
    }
    encoded.push(outcome);
  });
  return { encoded, alignment };
}

function buildWorkload(
  value: WorkloadInput | undefined,
  problems: ProblemCollector,
): { ects?: number; hours?: number } {
  if (value === undefined || value === null) {
    problems.missing('$.workload', 'notional workload (element 7) is required: { ects } and/or { hours }');
    return {};
  }
  if (typeof value !== 'object') {
    problems.invalid('$.workload', 'workload must be { ects } and/or { hours }');
    return {};
  }
  const { ects, hours } = value as { ects?: unknown; hours?: unknown };
  const out: { ects?: number; hours?: number } = {};
  if (ects === undefined && hours === undefined)
    problems.missing('$.workload.ects', 'give the workload in ECTS (wherever possible) or in hours');
  if (ects !== undefined) {
    if (typeof ects !== 'number' || !Number.isFinite(ects) || ects <= 0)
      problems.invalid('$.workload.ects', `ECTS must be a positive number, got ${JSON.stringify(ects)}`);
    else if (Math.abs(Math.round(ects * 100) - ects * 100) > 1e-6)
      problems.invalid('$.workload.ects', 'ECTS may have at most two decimals');
    else out.ects = ects;
  }
  if (hours !== undefined) {
    if (typeof hours !== 'number' || !Number.isInteger(hours) || hours <= 0)
      problems.invalid('$.workload.hours', `hours must be a positive whole number, got ${JSON.stringify(hours)}`);
    else out.hours = hours;
  }
  return out;
}

const CYCLE_SHORTHAND = {
  short: QfEheaCycle.shortCycle.id,
  first: QfEheaCycle.firstCycle.id,
  second: QfEheaCycle.secondCycle.id,
  third: QfEheaCycle.thirdCycle.id,
} as const;

function buildLevel(
  value: LevelInput | undefined,
  problems: ProblemCollector,
): { eqf?: string; cycle?: string; nqf: string[]; alignment: Alignment[] } {
  const out: { eqf?: string; cycle?: string; nqf: string[]; alignment: Alignment[] } = { nqf: [], alignment: [] };
  if (value === undefined || value === null || typeof value !== 'object') {
    problems.missing('$.level', 'level (element 8) is required: { eqf: 1–8 }');
    return out;
  }
  const eqfInput = value.eqf;
  if (eqfInput === undefined) problems.missing('$.level.eqf', 'EQF level (element 8) is required');
  else if (typeof eqfInput === 'number') {
    if (!Number.isInteger(eqfInput) || eqfInput < 1 || eqfInput > 8)
      problems.invalid('$.level.eqf', `EQF level must be 1–8, got ${eqfInput}`);
    else out.eqf = `http://data.europa.eu/snb/eqf/${eqfInput}`;
  } else {
    const iri = resolveConcept(eqfInput, EQF, '$.level.eqf', 'EQF level', problems);
    if (iri && !EQF.$byId(iri)) problems.invalid('$.level.eqf', `EQF has only levels 1–8, got ${iri}`);
    else if (iri) out.eqf = iri;
  }
  if (out.eqf) {
    const concept = EQF.$byId(out.eqf)!;
    out.alignment.push({
      type: ['Alignment'],
      targetName: `EQF level ${concept.notation}`,
      targetCode: concept.notation!,
      targetFramework: EQF_FRAMEWORK,
      targetUrl: concept.id,
      targetType: 'ext:EQFLevel',
    });
  }
  if (value.qfEheaCycle !== undefined) {
    const shorthand =
      typeof value.qfEheaCycle === 'string'
        ? CYCLE_SHORTHAND[value.qfEheaCycle as keyof typeof CYCLE_SHORTHAND]
        : undefined;
    const iri =
      shorthand ??
      resolveConcept(
        value.qfEheaCycle,
        QfEheaCycle,
        '$.level.qfEheaCycle',
        'QF-EHEA cycle (short, first, second, third)',
        problems,
      );
    if (iri) out.cycle = iri;
  }
  if (value.nqf !== undefined) {
    const list = Array.isArray(value.nqf) ? value.nqf : [value.nqf];
    list.forEach((n: unknown, i: number) => {
      const iri = problems.optionalUri(n, Array.isArray(value.nqf) ? `$.level.nqf[${i}]` : '$.level.nqf', 'NQF level');
      if (iri) out.nqf.push(iri);
    });
  }
  return out;
}

function buildAssessments(value: unknown, problems: ProblemCollector): EncodedAssessment[] {
  const list = problems.requireList(value, '$.assessment', 'type of assessment (element 9)');
  if (!list) return [];
  const out: EncodedAssessment[] = [];
  list.forEach((item, i) => {
    const path = Array.isArray(value) ? `$.assessment[${i}]` : '$.assessment';
    if (typeof item !== 'object' || item === null) {
      problems.invalid(path, 'an assessment is { type, name?, description?, mode? }');
      return;
    }
    const a = item as { type?: unknown; name?: unknown; description?: unknown; mode?: unknown };
    if (a.type === undefined) {
      problems.missing(`${path}.type`, 'assessment type is required (e.g. AssessmentType.continuousEvaluation)');
      return;
    }
    const type = resolveConcept(a.type, AssessmentType, `${path}.type`, 'assessment type', problems);
    const encoded: EncodedAssessment = {
      type: ['LearningAssessmentSpecification'],
      assessmentType: encodeConcept(type ?? ''),
    };
    const name = problems.optionalText(a.name, `${path}.name`, 'assessment name');
    if (name) encoded.name = name;
    else if (type) encoded.name = AssessmentType.$byId(type)?.label ?? undefined;
    if (encoded.name === undefined) delete encoded.name;
    const description = problems.optionalText(a.description, `${path}.description`, 'assessment description');
    if (description) encoded.description = description;
    if (a.mode !== undefined) {
      const modes = resolveConceptList(a.mode, LearningMode, `${path}.mode`, 'assessment mode', problems);
      if (modes.length) encoded.mode = modes.map(encodeConcept);
    }
    if (type) out.push(encoded);
  });
  return out;
}

function buildParticipation(
  input: MicroCredentialInput,
  problems: ProblemCollector,
): { mode: string[]; activityTypes: string[]; schedule?: string; setting?: string; description?: string } {
  const out: { mode: string[]; activityTypes: string[]; schedule?: string; setting?: string; description?: string } = {
    mode: [],
    activityTypes: [],
  };
  const p = input.participation;
  if (p === undefined || p === null || typeof p !== 'object') {
    problems.missing('$.participation', 'form of participation (element 10) is required: { mode }');
    return out;
  }
  if (p.mode === undefined || (Array.isArray(p.mode) && p.mode.length === 0)) {
    problems.missing('$.participation.mode', 'mode of participation is required (e.g. LearningMode.blended)');
  } else out.mode = resolveConceptList(p.mode, LearningMode, '$.participation.mode', 'mode of participation', problems);
  if (p.activityTypes !== undefined)
    out.activityTypes = resolveConceptList(
      p.activityTypes,
      LearningActivityType,
      '$.participation.activityTypes',
      'learning activity type',
      problems,
    );
  if (p.schedule !== undefined)
    out.schedule = resolveConcept(
      p.schedule,
      LearningSchedule,
      '$.participation.schedule',
      'learning schedule',
      problems,
    );
  if (p.setting !== undefined)
    out.setting = resolveConcept(p.setting, LearningSetting, '$.participation.setting', 'learning setting', problems);
  out.description = problems.optionalText(p.description, '$.participation.description', 'participation description');
  return out;
}

function buildQualityAssurance(value: unknown, problems: ProblemCollector): EncodedAccreditation[] {
  const list = problems.requireList(value, '$.qualityAssurance', 'type of quality assurance (element 11)');
  if (!list) return [];
  const out: EncodedAccreditation[] = [];
  list.forEach((item, i) => {
    const path = Array.isArray(value) ? `$.qualityAssurance[${i}]` : '$.qualityAssurance';
    if (typeof item !== 'object' || item === null) {
      problems.invalid(path, 'quality assurance is { type, name?, description?, accreditingAgent?, url?, … }');
      return;
    }
    const qa = item as QualityAssuranceInput;
    if (qa.type === undefined) {
      problems.missing(
        `${path}.type`,
        'quality-assurance type is required (e.g. QualityAssuranceType.institutionalQA)',
      );
      return;
    }
    const type = resolveConcept(qa.type, QualityAssuranceType, `${path}.type`, 'quality-assurance type', problems);
    if (!type) return;
    const encoded: EncodedAccreditation = { type: ['Accreditation'], accreditationType: encodeConcept(type) };
    const name = problems.optionalText(qa.name, `${path}.name`, 'name');
    encoded.name = name ?? QualityAssuranceType.$byId(type)?.label ?? 'Quality assurance';
    const description = problems.optionalText(qa.description, `${path}.description`, 'description');
    if (description) encoded.description = description;
    if (qa.accreditingAgent !== undefined) {
      const agent = qa.accreditingAgent as { id?: unknown; name?: unknown; type?: unknown };
      const id = problems.requireUri(agent?.id, `${path}.accreditingAgent.id`, 'accrediting agent id');
      const agentName = problems.requireText(agent?.name, `${path}.accreditingAgent.name`, 'accrediting agent name');
      if (id && agentName)
        encoded.accreditingAgent = asOrganisation(
          Array.isArray(agent.type) ? (qa.accreditingAgent as Profile) : { id, type: ['Profile'], name: agentName },
        );
    }
    const decision = problems.optionalText(qa.decision, `${path}.decision`, 'decision');
    if (decision) encoded.decision = decision;
    const issued = toDateTime(qa.issued, `${path}.issued`, 'decision date', problems);
    if (issued) encoded.dateIssued = issued;
    const review = toDateTime(qa.reviewDate, `${path}.reviewDate`, 'review date', problems);
    if (review) encoded.reviewDate = review;
    const expiry = toDateTime(qa.expiryDate, `${path}.expiryDate`, 'expiry date', problems);
    if (expiry) encoded.expiryDate = expiry;
    const url = problems.optionalUri(qa.url, `${path}.url`, 'url');
    if (url) encoded.landingPage = url;
    if (qa.limitEqfLevel !== undefined) {
      if (!Number.isInteger(qa.limitEqfLevel) || qa.limitEqfLevel < 1 || qa.limitEqfLevel > 8)
        problems.invalid(`${path}.limitEqfLevel`, 'must be an EQF level 1–8');
      else encoded.limitEQFLevel = encodeConcept(`http://data.europa.eu/snb/eqf/${qa.limitEqfLevel}`);
    }
    out.push(encoded);
  });
  return out;
}

function buildFieldOfStudy(value: unknown, problems: ProblemCollector): { id: string; label: string }[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: { id: string; label: string }[] = [];
  list.forEach((item: unknown, i: number) => {
    const path = Array.isArray(value) ? `$.fieldOfStudy[${i}]` : '$.fieldOfStudy';
    const code =
      typeof item === 'string' && !item.includes(':')
        ? item
        : typeof item === 'string'
          ? item.split('/').pop()
          : typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string'
            ? (item as { id: string }).id.split('/').pop()
            : undefined;
    if (code === undefined) {
      problems.invalid(path, 'field of study must be an ISCED-F 2013 code ("0223") or concept');
      return;
    }
    try {
      const concept = iscedF(code);
      out.push({ id: concept.id, label: concept.label });
    } catch (e) {
      if (!isMicrocredError(e)) throw e;
      problems.invalid(path, e.message);
    }
  });
  return out;
}

function buildStackability(value: unknown, problems: ProblemCollector): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'stand-alone') return Stackability.standAlone.id;
  if (value === 'integrated-stackable') return Stackability.integratedStackable.id;
  return resolveConcept(
    value,
    Stackability,
    '$.stackability',
    'integration/stackability option (element 15: "stand-alone" or "integrated-stackable")',
    problems,
  );
}

function buildFurtherInformation(value: unknown, problems: ProblemCollector): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list
    .map((v: unknown, i: number) =>
      problems.optionalText(
        v,
        Array.isArray(value) ? `$.furtherInformation[${i}]` : '$.furtherInformation',
        'further information',
      ),
    )
    .filter((v): v is string => v !== undefined);
}

/** The issuer's own criteria (URL and narrative); the narrative is completed by `renderForWallets`. */
function buildCriteria(input: MicroCredentialInput, problems: ProblemCollector): { id?: string; narrative?: string } {
  const c = input.criteria;
  if (typeof c === 'string') return { narrative: problems.optionalText(c, '$.criteria', 'criteria') ?? '' };
  if (typeof c === 'object' && c !== null) {
    const url = problems.optionalUri(c.url, '$.criteria.url', 'criteria url');
    const narrative = problems.optionalText(c.narrative, '$.criteria.narrative', 'criteria narrative');
    return { ...(url ? { id: url } : {}), narrative: narrative ?? '' };
  }
  if (c !== undefined) problems.invalid('$.criteria', 'criteria must be a narrative or { narrative?, url? }');
  return { narrative: '' };
}

/** Further-information note that carries the fee (ELM has no fee on a specification; elm:additionalNote is a note). */
export const FEE_PREFIX = 'Fee: ';

/**
 * Writes every Annex I element in words into the native fields generic wallets show: `description` (the issuer's
 * text plus the key facts) and `criteria.narrative` (Markdown, all elements). Generated from the achievement's own
 * encoded values, so the words say what the data says. Called again when a programme links its parts.
 */
export function renderForWallets(
  achievement: EUMicroCredentialAchievement,
  input: MicroCredentialInput,
  relatedTitles?: RelatedTitles,
): void {
  const own =
    typeof input.criteria === 'string'
      ? input.criteria
      : typeof input.criteria === 'object' && input.criteria !== null
        ? input.criteria.narrative
        : undefined;
  const fee = typeof input.fee === 'string' && input.fee.trim() ? input.fee.trim() : undefined;
  const intro = typeof own === 'string' && own.trim() ? own.trim() : undefined;
  achievement.criteria = {
    ...achievement.criteria,
    narrative: renderNarrative(achievement, {
      ...(intro ? { intro } : {}),
      ...(relatedTitles ? { relatedTitles } : {}),
      ...(fee ? { fee } : {}),
    }),
  };
  if (typeof input.description === 'string' && input.description.trim())
    achievement.description = renderDescription(achievement, input.description.trim());
}

/** An OB Profile that also says it is an ELM Organisation (the range of elm:awardingBody and elm:accreditingAgent). */
function asOrganisation(profile: Profile): Profile {
  return profile.type.includes('Organisation') ? profile : { ...profile, type: [...profile.type, 'Organisation'] };
}

export function isIsoDuration(text: string): boolean {
  return /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/.test(
    text,
  );
}
