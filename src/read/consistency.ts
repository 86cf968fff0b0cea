/**
 * Do the values of a micro-credential agree with each other? A credential can state the same fact twice (ECTS in
 * OB's `creditsAvailable` and in ELM's `creditPoint`; the EQF level in an `alignment` and in `eqfLevel`) or state
 * facts that constrain each other (a grade and the scheme it belongs to, a fail and the credits it earns, dates).
 * A wallet shows one copy, an EU-aware reader the other: when they differ, the learner and the employer read two
 * different credentials under one signature. `issue()` refuses such a credential and `verify()` fails it.
 *
 * Plain JSON only, no JSON-LD processing: this runs on every issue and verify and must stay cheap.
 */

import { mergeNodeCopies } from './merge-nodes';
import { asListOrEmpty as list } from '../shared/json';
import { num, obj, type Json } from './json';
import { CreditSystem } from '../model/vocab/credit-system';

/** One disagreement. `error`s are refused at issue and fail verification; `warning`s are reported only. */
export interface ConsistencyProblem {
  severity: 'error' | 'warning';
  /** JSON path of the value that disagrees (in the credential). */
  path: string;
  message: string;
}

/** ECTS concept IRI (EU vocabulary "education credit systems"). */
const ECTS = CreditSystem.ects.id;
const EQF_PREFIX = 'http://data.europa.eu/snb/eqf/';
/** ECTS Users' Guide 2015 §3.1: 60 ECTS = 1,500–1,800 hours, i.e. 25–30 hours per credit. */
export const ECTS_HOURS_RANGE = { min: 25, max: 30 } as const;

/** Checks one credential (an OB 3.0 / VC object); returns every disagreement found, errors and warnings. */
export function checkConsistency(credential: unknown): ConsistencyProblem[] {
  return checkMergedConsistency(mergeNodeCopies(credential));
}

/** {@link checkConsistency} of what mergeNodeCopies returned, read as it is (the verifier merges once for two readers). */
export function checkMergedConsistency(credential: unknown): ConsistencyProblem[] {
  const out: ConsistencyProblem[] = [];
  const vc = obj(credential);
  if (!vc) return out;
  checkDates(vc, out);
  for (const { subject, base } of subjectsOf(vc)) {
    const achievement = obj(subject.achievement);
    if (achievement) checkAchievement(achievement, `${base}.achievement`, out);
    checkSubject(subject, achievement, base, out);
  }
  return out;
}

function checkAchievement(a: Json, path: string, out: ConsistencyProblem[]): void {
  // Element 7: ECTS stated natively and in the ELM creditPoint.
  const native = typeof a.creditsAvailable === 'number' ? a.creditsAvailable : undefined;
  const ects = ectsPoints(a);
  if (native !== undefined && ects !== undefined && !sameNumber(native, ects.value)) {
    out.push({
      severity: 'error',
      path: `${path}.creditsAvailable`,
      message: `the credits shown to wallets (creditsAvailable ${native}) differ from the ECTS credit points (${ects.value} at ${path}${ects.path})`,
    });
  }
  // SURF eduBadges / educredentials write ECTS as a plain number under `ECTS`.
  const peer = num(a.ECTS);
  const credits = ects?.value ?? native;
  if (peer !== undefined && credits !== undefined && !sameNumber(peer, credits)) {
    out.push({
      severity: 'error',
      path: `${path}.ECTS`,
      message: `ECTS ${peer} differs from the ${credits} credits stated ${ects ? 'as ECTS credit points' : 'in creditsAvailable'}`,
    });
  }
  // Element 7: notional hours per ECTS credit.
  const hours = durationHours(a.volumeOfLearning);
  if (hours !== undefined && credits !== undefined && credits > 0) {
    const perCredit = hours / credits;
    if (perCredit < ECTS_HOURS_RANGE.min || perCredit > ECTS_HOURS_RANGE.max) {
      out.push({
        severity: 'warning',
        path: `${path}.volumeOfLearning`,
        message: `${hours} hours for ${credits} ECTS is ${round(perCredit)} hours per credit; the ECTS Users' Guide puts one credit at ${ECTS_HOURS_RANGE.min}–${ECTS_HOURS_RANGE.max} hours`,
      });
    }
  }
  // Element 8: the EQF level in an alignment (what wallets show) and in eqfLevel.
  const eqfIri = typeof a.eqfLevel === 'string' ? a.eqfLevel : obj(a.eqfLevel)?.id;
  const eqf = typeof eqfIri === 'string' ? eqfNumber(eqfIri) : undefined;
  let firstAligned: number | undefined;
  list(a.alignment).forEach((item, i) => {
    const al = obj(item);
    if (!al) return;
    const level = alignmentEqf(al);
    if (level === undefined) return;
    if (eqf !== undefined && level !== eqf) {
      out.push({
        severity: 'error',
        path: `${path}.alignment[${i}]`,
        message: `the alignment says EQF level ${level}, the credential's EQF level is ${eqf}`,
      });
    } else if (eqf === undefined && firstAligned !== undefined && level !== firstAligned) {
      out.push({
        severity: 'error',
        path: `${path}.alignment[${i}]`,
        message: `the alignments name two EQF levels, ${firstAligned} and ${level}`,
      });
    }
    firstAligned ??= level;
  });
  // Element 11: accreditation dates.
  list(a.accreditation).forEach((item, i) => {
    const acc = obj(item);
    if (!acc) return;
    const issued = time(acc.dateIssued);
    for (const key of ['reviewDate', 'expiryDate']) {
      const t = time(acc[key]);
      if (issued !== undefined && t !== undefined && t < issued) {
        out.push({
          severity: 'error',
          path: `${path}.accreditation[${i}].${key}`,
          message: `the quality-assurance ${key === 'reviewDate' ? 'review' : 'expiry'} date is before the decision date`,
        });
      }
    }
  });
  // Element 14: the grading scheme itself.
  list(a.resultDescription).forEach((item, i) => {
    const rd = obj(item);
    if (!rd) return;
    const allowed = strings(rd.allowedValue);
    const required = scalar(rd.requiredValue);
    if (allowed.length && required !== undefined && !allowed.includes(required)) {
      out.push({
        severity: 'error',
        path: `${path}.resultDescription[${i}].requiredValue`,
        message: `the passing grade ${JSON.stringify(required)} is not one of the scheme's grades (${allowed.join(', ')})`,
      });
    }
    const min = num(rd.valueMin);
    const max = num(rd.valueMax);
    if (min !== undefined && max !== undefined && min > max) {
      out.push({
        severity: 'error',
        path: `${path}.resultDescription[${i}]`,
        message: `valueMin ${min} is above valueMax ${max}`,
      });
    }
    const req = num(required);
    if (
      !allowed.length &&
      req !== undefined &&
      ((min !== undefined && req < min) || (max !== undefined && req > max))
    ) {
      out.push({
        severity: 'error',
        path: `${path}.resultDescription[${i}].requiredValue`,
        message: `the passing score ${req} is outside the scale ${min ?? '…'}–${max ?? '…'}`,
      });
    }
  });
}

function checkSubject(subject: Json, achievement: Json | undefined, path: string, out: ConsistencyProblem[]): void {
  const descriptions = new Map<string, Json>();
  for (const item of list(achievement?.resultDescription)) {
    const rd = obj(item);
    if (rd && typeof rd.id === 'string') descriptions.set(rd.id, rd);
  }
  // Element 14: each result against the scheme it names; pass or fail decided by requiredValue.
  let failed = false;
  list(subject.result).forEach((item, i) => {
    const result = obj(item);
    if (!result) return;
    const rp = `${path}.result[${i}]`;
    const rd = typeof result.resultDescription === 'string' ? descriptions.get(result.resultDescription) : undefined;
    if (
      typeof result.resultDescription === 'string' &&
      !rd &&
      achievement &&
      list(achievement.resultDescription).length
    ) {
      out.push({
        severity: 'error',
        path: `${rp}.resultDescription`,
        message: `the result points to a grading scheme the achievement does not describe (${result.resultDescription})`,
      });
      return;
    }
    const status = typeof result.status === 'string' ? result.status : undefined;
    if (status === 'Failed') failed = true;
    const value = scalar(result.value);
    if (!rd || value === undefined) return;
    const verdict = passes(rd, value);
    if (verdict === 'not-allowed') {
      const allowed = strings(rd.allowedValue);
      out.push({
        severity: 'error',
        path: `${rp}.value`,
        message: allowed.length
          ? `grade ${JSON.stringify(value)} is not one of the scheme's grades (${allowed.join(', ')})`
          : `score ${value} is outside the scheme's scale ${scalar(rd.valueMin) ?? '…'}–${scalar(rd.valueMax) ?? '…'}`,
      });
      return;
    }
    if (verdict === undefined) return;
    if (!verdict) failed = true;
    if (status === 'Completed' && !verdict) {
      out.push({
        severity: 'error',
        path: `${rp}.status`,
        message: `grade ${JSON.stringify(value)} is below the passing grade ${JSON.stringify(scalar(rd.requiredValue))}, yet the result says Completed`,
      });
    }
    if (status === 'Failed' && verdict) {
      out.push({
        severity: 'error',
        path: `${rp}.status`,
        message: `grade ${JSON.stringify(value)} reaches the passing grade ${JSON.stringify(scalar(rd.requiredValue))}, yet the result says Failed`,
      });
    }
  });
  // Element 7: the credits earned against a fail and against what the achievement offers.
  const earned = typeof subject.creditsEarned === 'number' ? subject.creditsEarned : undefined;
  if (earned === undefined) return;
  if (failed && earned > 0) {
    out.push({
      severity: 'error',
      path: `${path}.creditsEarned`,
      message: `a failed result earns no credits, yet creditsEarned is ${earned}`,
    });
  }
  const available =
    typeof achievement?.creditsAvailable === 'number'
      ? achievement.creditsAvailable
      : ectsPoints(achievement ?? {})?.value;
  if (available !== undefined && earned > available + 1e-9) {
    out.push({
      severity: 'error',
      path: `${path}.creditsEarned`,
      message: `creditsEarned ${earned} is more than the ${available} credits the micro-credential carries`,
    });
  }
}

function checkDates(vc: Json, out: ConsistencyProblem[]): void {
  const from = time(vc.validFrom) ?? time(vc.issuanceDate);
  const until = time(vc.validUntil) ?? time(vc.expirationDate);
  if (from !== undefined && until !== undefined && until <= from) {
    out.push({
      severity: 'error',
      path: vc.validUntil !== undefined ? '$.validUntil' : '$.expirationDate',
      message: 'the credential stops being valid before it starts',
    });
  }
  // An award date after validUntil is not a contradiction: a credential can be (re)issued with a past validity.
  const awarded = time(vc.awardedDate);
  for (const { subject, base } of subjectsOf(vc)) {
    const start = time(subject.activityStartDate);
    const end = time(subject.activityEndDate);
    if (start !== undefined && end !== undefined && end < start) {
      out.push({
        severity: 'error',
        path: `${base}.activityEndDate`,
        message: 'the learning activity ends before it starts',
      });
    }
    if (start !== undefined && awarded !== undefined && awarded < start) {
      out.push({
        severity: 'error',
        path: '$.awardedDate',
        message: 'the micro-credential was awarded before the learning activity started',
      });
    }
  }
}

/** Each credential subject that is an object, with its JSON path (a single subject or a list of them). */
function subjectsOf(vc: Json): { subject: Json; base: string }[] {
  const many = Array.isArray(vc.credentialSubject);
  const all: unknown[] = many ? (vc.credentialSubject as unknown[]) : [vc.credentialSubject];
  const out: { subject: Json; base: string }[] = [];
  all.forEach((s, i) => {
    const subject = obj(s);
    if (subject) out.push({ subject, base: many ? `$.credentialSubject[${i}]` : '$.credentialSubject' });
  });
  return out;
}

/** Whether `value` passes under the result description: true/false, 'not-allowed', or undefined when it cannot tell. */
function passes(rd: Json, value: string): boolean | 'not-allowed' | undefined {
  const allowed = strings(rd.allowedValue);
  const required = scalar(rd.requiredValue);
  if (allowed.length) {
    // OB 3.0: allowedValue is "ordered from low to high".
    const at = allowed.indexOf(value);
    if (at < 0) return 'not-allowed';
    const needed = required === undefined ? -1 : allowed.indexOf(required);
    return needed < 0 ? undefined : at >= needed;
  }
  const n = num(value);
  const min = num(rd.valueMin);
  const max = num(rd.valueMax);
  if (n === undefined) return undefined;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return 'not-allowed';
  const req = num(required);
  return req === undefined ? undefined : n >= req;
}

function ectsPoints(a: Json): { value: number; path: string } | undefined {
  const items = list(a.creditPoint);
  for (let i = 0; i < items.length; i++) {
    const cp = obj(items[i]);
    const framework = typeof cp?.framework === 'string' ? cp.framework : obj(cp?.framework)?.id;
    if (framework !== ECTS) continue;
    const n = num(cp!.point);
    if (n !== undefined)
      return { value: n, path: Array.isArray(a.creditPoint) ? `.creditPoint[${i}].point` : '.creditPoint.point' };
  }
  return undefined;
}

/** EQF level of an alignment: its target IRI, or its code when it names the EQF as its framework/type. */
function alignmentEqf(al: Json): number | undefined {
  if (typeof al.targetUrl === 'string' && al.targetUrl.startsWith(EQF_PREFIX)) return eqfNumber(al.targetUrl);
  const names = `${String(al.targetType ?? '')} ${String(al.targetFramework ?? '')}`;
  if (/\bEQF|European Qualifications Framework/i.test(names)) {
    const code = num(al.targetCode);
    return code !== undefined && Number.isInteger(code) && code >= 1 && code <= 8 ? code : undefined;
  }
  return undefined;
}

function eqfNumber(iri: string): number | undefined {
  if (!iri.startsWith(EQF_PREFIX)) return undefined;
  const n = Number(iri.slice(EQF_PREFIX.length));
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : undefined;
}

/** Hours of an ISO 8601 duration made only of days, hours and minutes ("PT156H", "P6DT12H"); undefined otherwise. */
function durationHours(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$/.exec(value);
  if (!m || value === 'P' || value === 'PT') return undefined;
  return Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function strings(value: unknown): string[] {
  return list(value)
    .map(scalar)
    .filter((s): s is string => s !== undefined);
}
