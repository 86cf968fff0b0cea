import { MICROCREDENTIALS_CONTEXT_V1, OB_CONTEXT_303, OB_EXTENSIONS_CONTEXT, VC_CONTEXT_V2 } from '../jsonld/loader';
import type { EUMicroCredentialAchievement, MicroCredentialCredential } from '../model/eu';
import type { AchievementSubject, Profile } from '../model/ob';
import { MicrocredError } from '../errors';
import { cloneData } from './clone';
import { notPassedReason, resultStatusFor } from './grading';
import type { AwardOptions } from './inputs';
import { encodeLearner } from './learner';
import type { MicroCredentialDefinition } from './micro-credential';
import { ProblemCollector, isAbsoluteIri, toDateTime } from './problems';

/** The 1EdTech JSON Schema of an OB 3.0 AchievementCredential, named in every credential's `credentialSchema`. */
export const OB_ACHIEVEMENT_CREDENTIAL_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/**
 * Awards a micro-credential to a learner: an unsigned OB 3.0 `OpenBadgeCredential` (VC 2.0) carrying the
 * definition's achievement, the learner's identification, the grade and the credits earned (none for a fail).
 * Sign it with `issue`. Every problem is reported at once.
 */
export function award(definition: MicroCredentialDefinition, options: AwardOptions): MicroCredentialCredential {
  return awardWith(definition, options);
}

/**
 * The parts of a credential that a roster shares across its learners instead of copying them for each: the
 * definition's achievement and the issuer profile, each a frozen copy of what `award` would copy (see src/roster).
 */
export interface SharedAwardParts {
  readonly achievement: EUMicroCredentialAchievement;
  /** Used only when the award options name this very object as the issuer; checked as any issuer is. */
  readonly issuer: Profile;
}

/** `award`, with the achievement and issuer taken from `shared` (frozen copies) rather than copied again. */
export function awardWith(
  definition: MicroCredentialDefinition,
  options: AwardOptions,
  shared?: SharedAwardParts,
): MicroCredentialCredential {
  const problems = new ProblemCollector();
  if (typeof definition !== 'object' || definition === null || typeof definition.achievement !== 'object') {
    problems.invalid('$.definition', 'award needs a definition made by defineMicroCredential or defineProgramme');
    problems.throwIfAny('Cannot award');
  }
  if (typeof options !== 'object' || options === null) {
    problems.missing('$', 'award options { issuer, learner, … } are required');
    problems.throwIfAny('Cannot award');
  }
  const issuer =
    shared !== undefined && options.issuer === shared.issuer
      ? checkIssuer(options.issuer, problems, shared.issuer)
      : checkIssuer(options.issuer, problems);
  const learner = encodeLearner(options.learner, '$.learner', problems);

  const now = new Date();
  const awardedDate = toDateTime(options.awardedOn ?? now, '$.awardedOn', 'award date (element 5)', problems);
  const validFrom = toDateTime(options.validFrom ?? options.awardedOn ?? now, '$.validFrom', 'validFrom', problems);
  const validUntil = toDateTime(options.validUntil, '$.validUntil', 'validUntil', problems);
  if (validFrom && validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
    problems.invalid('$.validUntil', `validUntil ${validUntil} must be after validFrom ${validFrom}`);
  }
  const activityStartDate = toDateTime(
    options.activityStartDate,
    '$.activityStartDate',
    'activity start date',
    problems,
  );
  const activityEndDate = toDateTime(options.activityEndDate, '$.activityEndDate', 'activity end date', problems);
  if (activityStartDate && activityEndDate && Date.parse(activityEndDate) < Date.parse(activityStartDate)) {
    problems.invalid('$.activityEndDate', 'the activity cannot end before it starts');
  }
  const id = options.id ?? `urn:uuid:${globalThis.crypto.randomUUID()}`;
  if (typeof id !== 'string' || !isAbsoluteIri(id)) problems.invalid('$.id', 'credential id must be an absolute URI');

  // Grade (element 14) and the credits it earns (element 7).
  let passed = true;
  let notPassed: string | undefined;
  let result: AchievementSubject['result'];
  const grading = definition.grading;
  if (grading) {
    if (options.grade === undefined || options.grade === null || options.grade === '') {
      problems.missing('$.grade', `this micro-credential is graded (${grading.name}); give the grade achieved`);
    } else {
      const normalized = grading.normalize(options.grade);
      if ('error' in normalized) problems.invalid('$.grade', normalized.error);
      else {
        passed = grading.passes(normalized.value);
        if (!passed) notPassed = notPassedReason(grading, normalized.value);
        result = [
          {
            type: ['Result'],
            resultDescription: grading.resultDescription.id,
            value: normalized.value,
            status: resultStatusFor(passed),
          },
        ];
      }
    }
  } else if (options.grade !== undefined) {
    problems.invalid('$.grade', 'this micro-credential has no grading scheme, so a grade cannot be recorded');
  }
  problems.throwIfAny('Cannot award the micro-credential');
  if (notPassed !== undefined && options.failingGrade === 'refuse') {
    throw new MicrocredError(
      'NOT_PASSED',
      `Not awarded: ${notPassed}. A micro-credential certifies learning outcomes achieved; an assessment record is made instead unless failingGrade is 'refuse'`,
      { path: '$.grade' },
    );
  }

  const achievement = shared?.achievement ?? (cloneData(definition.achievement) as EUMicroCredentialAchievement);
  const subject: AchievementSubject<EUMicroCredentialAchievement> = {
    type: ['AchievementSubject'],
    ...(learner.id ? { id: learner.id } : {}),
    ...(learner.identifier ? { identifier: learner.identifier } : {}),
    achievement,
  };
  if (definition.ects !== undefined) subject.creditsEarned = passed ? definition.ects : 0;
  if (result) subject.result = result;
  if (activityStartDate) subject.activityStartDate = activityStartDate;
  if (activityEndDate) subject.activityEndDate = activityEndDate;

  const useExtensions =
    options.include1EdTechSchema === true || (options.credentialStatus?.type ?? '').startsWith('1EdTech');
  const credential: MicroCredentialCredential = {
    '@context': [
      VC_CONTEXT_V2,
      OB_CONTEXT_303,
      ...(useExtensions ? [OB_EXTENSIONS_CONTEXT] : []),
      MICROCREDENTIALS_CONTEXT_V1,
    ],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name:
      options.name ??
      (notPassed !== undefined ? `${definition.title}: assessment record (not passed)` : definition.title),
    ...(options.description
      ? { description: options.description }
      : notPassed !== undefined
        ? { description: failRecordText(definition, notPassed) }
        : {}),
    issuer: issuer!,
    validFrom: validFrom!,
    ...(validUntil ? { validUntil } : {}),
    awardedDate: awardedDate!,
    credentialSubject: subject,
  };
  if (options.credentialStatus) credential.credentialStatus = cloneData(options.credentialStatus);
  if (options.include1EdTechSchema) {
    credential.credentialSchema = [{ id: OB_ACHIEVEMENT_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }];
  }
  return credential;
}

/** The description of an assessment record: what it is, and plainly that it certifies no outcome and earns nothing. */
function failRecordText(definition: MicroCredentialDefinition, reason: string): string {
  return `Assessment record, not a micro-credential: the learner was assessed for "${definition.title}" and did not pass (${reason}). It does not certify the learning outcomes described in the achievement and earns no credits.`;
}

function checkIssuer(issuer: unknown, problems: ProblemCollector, sharedCopy?: Profile): Profile | undefined {
  if (issuer === undefined || issuer === null) {
    problems.missing('$.issuer', 'the issuer (awarding body) is required; build it with defineIssuer');
    return undefined;
  }
  const p = issuer as Profile;
  if (typeof p !== 'object' || typeof p.id !== 'string' || !isAbsoluteIri(p.id)) {
    problems.invalid('$.issuer', 'the issuer must be a profile with an absolute id (use defineIssuer)');
    return undefined;
  }
  if (!Array.isArray(p.type) || !p.type.includes('Profile'))
    problems.invalid('$.issuer.type', 'issuer type must include "Profile"');
  if (!p.name) problems.missing('$.issuer.name', 'issuer name is required');
  if (!p.address?.addressCountryCode)
    problems.missing('$.issuer.address.addressCountryCode', 'country of the issuer (element 3) is required');
  return sharedCopy ?? cloneData(p);
}
