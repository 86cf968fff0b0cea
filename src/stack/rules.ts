import { mergeNodeCopies } from '../read/merge-nodes';
import type { ErrorCode } from '../errors';
import type { IdentityObject } from '../model/ob';
import { matchesIdentity } from '../builders/learner';
import type { LearnerInput } from '../builders/inputs';
import type { VerificationReport } from '../verify/report';
import { digestMatches } from './digest';
import { issuerIdOf } from '../shared/credential';
import { asListOrEmpty, isRecord } from '../shared/json';

/** The stack checks, in the order a report lists them. */
export type StackCheckName =
  | 'credentials'
  | 'parts'
  | 'learner'
  | 'results'
  | 'credits'
  | 'dates'
  | 'issuers'
  | 'integrity'
  | 'clr'
  | 'associations';

/** The codes of the stack checks (a subset of the library's error codes, so a refusal and a report share them). */
export type StackCode = Extract<
  ErrorCode,
  | 'INVALID_CREDENTIAL'
  | 'PART_MISSING'
  | 'PART_FOREIGN'
  | 'PART_DUPLICATE'
  | 'PART_NOT_PASSED'
  | 'LEARNER_MISMATCH'
  | 'CREDITS_MISMATCH'
  | 'DATE_ORDER'
  | 'ISSUER_MISMATCH'
  | 'DIGEST_MISMATCH'
  | 'INVALID_CLR'
>;

/** One check of a stack (parts present, passed, same learner, credits, dates, digests): outcome, code and message. */
export interface StackCheck {
  check: StackCheckName;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  code?: StackCode;
  /** Plain words, for the registrar or HR person reading the report. */
  message: string;
  /** Which input it is about: `$.programme` or `$.parts[i]`. */
  path?: string;
}

type Json = Record<string, unknown>;

/** One credential of a stack, as the rules see it. */
export interface StackMember {
  /** `$.programme` or `$.parts[i]`. */
  path: string;
  /** What to call it in a message: the achievement's name, else the path. */
  label: string;
  /** The credential as read (undefined when it could not be read at all). */
  credential?: Json;
  /** Its verify() report; undefined when the caller vouches for it (`verified: true`, e.g. a register record). */
  report?: VerificationReport;
  /** The bytes `digestMultibase` covers (see digest.ts); undefined when the credential could not be read. */
  digestBytes?: Uint8Array;
}

/** The programme as the rules see it: a credential (verifyStack) or a definition about to be awarded (awardProgramme). */
export interface ProgrammeFacts {
  achievement: Json;
  /** The programme credential's subject; undefined before the programme is awarded. */
  subject?: Json;
  issuerId?: string;
  /** When the programme was (or is about to be) awarded. */
  awardedAt?: string;
  /** `relatedResource` of the programme credential; undefined before it is awarded. */
  relatedResource?: unknown;
  /** Names of the parts by achievement id, for messages about a missing part. */
  partTitles?: ReadonlyMap<string, string>;
  /** The programme's own verification, when it is a credential. */
  member?: StackMember;
}

export interface StackRuleOptions {
  /** The learner as the verifier knows them (a DID, or plain identifiers that the hashed ones are checked against). */
  learner?: LearnerInput;
  /** Skip the relatedResource digest check (awardProgramme: the digests are being written, not read). */
  skipIntegrity?: boolean;
}

const asArray = asListOrEmpty;
const obj = (v: unknown): Json | undefined => (isRecord(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const round2 = (n: number): number => Math.round(n * 100) / 100;

export const subjectOf = (c: Json | undefined): Json | undefined => obj(asArray(c?.credentialSubject)[0]);
export const achievementOf = (c: Json | undefined): Json | undefined => obj(subjectOf(c)?.achievement);
export { issuerIdOf };
/** When a credential was awarded: `awardedDate` (OB), else `validFrom` (VC 2.0), else `issuanceDate` (VC 1.1). */
export const awardedAtOf = (c: Json | undefined): string | undefined =>
  str(c?.awardedDate) ?? str(c?.validFrom) ?? str(c?.issuanceDate);

function labelFor(member: StackMember): string {
  return member.label;
}

/** The plain reason a credential did not verify, from its report's failed checks. */
/**
 * Why a member did not verify, in the verdict's plain words: a file that could not be read is said to be one (the
 * parser's message names JSON paths and internals), any other failure by the verdict's reason for it. The checks'
 * own messages stay in the member's report (StackReport.parts, .programme).
 */
function failureReason(report: VerificationReport): string {
  const { verdict } = report;
  if (verdict.headlineKey === 'verdict.unreadable')
    return 'it could not be read as a credential (the file is damaged, or not a credential)';
  const failed = new Set(
    report.checks.filter((c) => c.status === 'fail').map((c) => `reason.${c.check}.${c.code ?? c.check}`),
  );
  const words = [...new Set(verdict.reasons.filter((r) => failed.has(r.key)).map((r) => r.text))];
  return words.length ? words.join('; ') : verdict.headline;
}

/**
 * Every stack rule over a programme and its parts. Pure: the credentials were verified (or vouched for) before, so
 * the same rules serve verifyStack (a verifier holding signed credentials) and awardProgramme (an issuer about to
 * sign the programme).
 */
export function stackRules(
  programme: ProgrammeFacts,
  parts: readonly StackMember[],
  options: StackRuleOptions = {},
): StackCheck[] {
  const checks: StackCheck[] = [];
  const add = (c: StackCheck) => checks.push(c);
  credentialsRule(programme, parts, add);
  const matched = partsRule(programme, parts, add);
  learnerRule(programme, parts, options.learner, add);
  resultsRule(matched, add);
  creditsRule(programme, matched, add);
  datesRule(programme, matched, add);
  issuersRule(programme, matched, add);
  if (!options.skipIntegrity) integrityRule(programme, parts, add);
  return checks;
}

export function credentialsRule(
  programme: Pick<ProgrammeFacts, 'member'>,
  parts: readonly StackMember[],
  add: (c: StackCheck) => void,
): void {
  const members = programme.member ? [programme.member, ...parts] : [...parts];
  let bad = 0;
  for (const m of members) {
    if (!m.report) continue;
    if (!m.report.verified) {
      bad++;
      const revoked = m.report.checks.find((c) => c.code === 'REVOKED');
      const message =
        revoked && m !== programme.member
          ? `${labelFor(m)} has been revoked by its issuer (${revoked.message}), so a programme awarded on it does not stand`
          : `${labelFor(m)} is not a valid credential: ${failureReason(m.report)}`;
      add({ check: 'credentials', status: 'fail', code: 'INVALID_CREDENTIAL', message, path: m.path });
      continue;
    }
    // A verified credential whose status could not be established: only under statusCheck 'optional', where verify()
    // turns the status failure into a warning (status fails closed otherwise). The stack repeats it in its own words.
    const statusUnchecked = m.report.checks.find((c) => c.check === 'status' && c.status === 'warn');
    if (statusUnchecked)
      add({
        check: 'credentials',
        status: 'warn',
        message: `${labelFor(m)}: whether it was revoked was not checked. ${statusUnchecked.message}`,
        path: m.path,
      });
  }
  const vouched = members.filter((m) => !m.report).length;
  if (bad === 0) {
    add({
      check: 'credentials',
      status: 'pass',
      message: `${members.length - vouched} credential(s) verified${vouched ? `; ${vouched} vouched for by the caller (e.g. the issuer's register)` : ''}`,
    });
  }
}

/** Parts matched to the programme's `hasPart`, first credential per achievement; foreign and duplicate ones reported. */
function partsRule(
  programme: ProgrammeFacts,
  parts: readonly StackMember[],
  add: (c: StackCheck) => void,
): StackMember[] {
  const programmeId = str(programme.achievement.id);
  const hasPart = asArray(programme.achievement.hasPart).filter((x): x is string => typeof x === 'string');
  const matched: StackMember[] = [];
  const seen = new Map<string, StackMember>();
  let problems = 0;
  if (hasPart.length === 0) {
    add({
      check: 'parts',
      status: 'fail',
      code: 'PART_MISSING',
      message:
        'The programme does not list its parts (its achievement has no hasPart), so no part can be matched to it',
      path: '$.programme',
    });
    return matched;
  }
  for (const part of parts) {
    const achievement = achievementOf(part.credential);
    if (!achievement) continue; // unreadable: the credentials rule already failed it
    const id = str(achievement.id);
    const partOf = asArray(achievement.isPartOf);
    if (id === undefined || !hasPart.includes(id)) {
      problems++;
      add({
        check: 'parts',
        status: 'fail',
        code: 'PART_FOREIGN',
        message: `${labelFor(part)} is not one of this programme's parts${partOf.length ? ` (it says it is part of ${partOf.join(', ')})` : ''}`,
        path: part.path,
      });
      continue;
    }
    if (programmeId !== undefined && !partOf.includes(programmeId)) {
      problems++;
      add({
        check: 'parts',
        status: 'fail',
        code: 'PART_FOREIGN',
        message: `${labelFor(part)} does not say it is part of this programme (its isPartOf names ${partOf.length ? partOf.join(', ') : 'nothing'})`,
        path: part.path,
      });
      continue;
    }
    const first = seen.get(id);
    if (first) {
      problems++;
      add({
        check: 'parts',
        status: 'fail',
        code: 'PART_DUPLICATE',
        message: `${labelFor(part)} is given twice (${first.path} and ${part.path}); each part counts once`,
        path: part.path,
      });
      continue;
    }
    seen.set(id, part);
    matched.push(part);
  }
  for (const id of hasPart) {
    if (seen.has(id)) continue;
    problems++;
    const title = programme.partTitles?.get(id);
    add({
      check: 'parts',
      status: 'fail',
      code: 'PART_MISSING',
      message: `No credential for the part ${title ? `"${title}" (${id})` : id}`,
      path: '$.parts',
    });
  }
  if (problems === 0)
    add({
      check: 'parts',
      status: 'pass',
      message: `Every one of the programme's ${hasPart.length} parts is there exactly once, and each says it is part of this programme`,
    });
  return matched;
}

const IDENTITY_KEYS: [keyof Exclude<LearnerInput, string>, string][] = [
  ['email', 'emailAddress'],
  ['studentId', 'sisSourcedId'],
  ['nationalId', 'nationalIdentityNumber'],
  ['name', 'name'],
];

function identitiesOf(subject: Json | undefined): IdentityObject[] {
  return asArray(subject?.identifier).filter((x): x is IdentityObject => {
    const o = obj(x);
    return o !== undefined && typeof o.identityHash === 'string' && typeof o.identityType === 'string';
  });
}

/** Does this subject name the learner the verifier gives? (subject id, or a plain identifier against the hashes) */
export function subjectMatchesLearner(subject: Json | undefined, learner: LearnerInput): boolean {
  if (!subject) return false;
  if (typeof learner === 'string') return subject.id === learner;
  if (learner.id !== undefined && subject.id === learner.id) return true;
  const identities = identitiesOf(subject);
  for (const [key, identityType] of IDENTITY_KEYS) {
    const value = learner[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (identities.some((i) => i.identityType === identityType && matchesIdentity(i, value.trim()))) return true;
  }
  return false;
}

/** How two subjects are the same learner, or why they cannot be told apart / are not. */
function sameLearner(a: Json | undefined, b: Json | undefined): 'same-id' | 'same-hash' | 'different-id' | 'unlinked' {
  const idA = str(a?.id);
  const idB = str(b?.id);
  if (idA !== undefined && idB !== undefined) return idA === idB ? 'same-id' : 'different-id';
  const hashesB = identitiesOf(b);
  const shared = identitiesOf(a).some((x) =>
    hashesB.some(
      (y) =>
        y.identityType === x.identityType &&
        y.hashed === x.hashed &&
        y.identityHash.toLowerCase() === x.identityHash.toLowerCase(),
    ),
  );
  return shared ? 'same-hash' : 'unlinked';
}

function learnerRule(
  programme: ProgrammeFacts,
  parts: readonly StackMember[],
  learner: LearnerInput | undefined,
  add: (c: StackCheck) => void,
): void {
  const reference = programme.subject
    ? {
        path: programme.member?.path ?? '$.programme',
        label: programme.member?.label ?? 'The programme credential',
        subject: programme.subject,
        noun: "the programme's",
      }
    : undefined;
  learnerLinks(reference, parts, learner, add);
}

/**
 * One learner across credentials. With `learner` (what the verifier knows), every credential must name them; without,
 * every member must name the reference subject's learner by the same subject id or an equal salted hash.
 */
export function learnerLinks(
  reference: { path: string; label: string; subject: Json; noun: string } | undefined,
  members: readonly StackMember[],
  learner: LearnerInput | undefined,
  add: (c: StackCheck) => void,
): void {
  const readable = members.filter((p) => subjectOf(p.credential));
  let problems = 0;
  if (learner !== undefined) {
    const all: { path: string; label: string; subject: Json | undefined }[] = [
      ...(reference ? [reference] : []),
      ...readable.map((p) => ({ path: p.path, label: labelFor(p), subject: subjectOf(p.credential) })),
    ];
    for (const m of all) {
      if (subjectMatchesLearner(m.subject, learner)) continue;
      problems++;
      add({
        check: 'learner',
        status: 'fail',
        code: 'LEARNER_MISMATCH',
        message: `${m.label} was not awarded to this learner: neither its subject id nor its identifiers match the learner given`,
        path: m.path,
      });
    }
    if (problems === 0)
      add({ check: 'learner', status: 'pass', message: `All ${all.length} credential(s) name the learner given` });
    return;
  }
  if (!reference) {
    add({
      check: 'learner',
      status: 'fail',
      code: 'LEARNER_MISMATCH',
      message: 'The learner cannot be checked: the programme names no learner and none was given',
      path: '$.programme',
    });
    return;
  }
  const how = new Set<string>();
  for (const part of readable) {
    const verdict = sameLearner(reference.subject, subjectOf(part.credential));
    if (verdict === 'same-id' || verdict === 'same-hash') {
      how.add(verdict === 'same-id' ? 'the same subject id' : 'the same salted identity hash');
      continue;
    }
    problems++;
    add({
      check: 'learner',
      status: 'fail',
      code: 'LEARNER_MISMATCH',
      message:
        verdict === 'different-id'
          ? `${labelFor(part)} was awarded to someone else (subject ${String(subjectOf(part.credential)?.id)}, ${reference.noun} is ${String(reference.subject.id)})`
          : `${labelFor(part)} cannot be linked to ${reference.noun} learner: ${identitiesOf(reference.subject).length && identitiesOf(subjectOf(part.credential)).length ? 'their identifiers are hashed with different salts' : 'they share no subject id and no identity hash'}. Give the learner's identifier (e.g. their email) to check it`,
      path: part.path,
    });
  }
  if (problems === 0)
    add({
      check: 'learner',
      status: 'pass',
      message: `Every credential names ${reference.noun} learner (${[...how].join(' and ') || 'no parts'})`,
    });
}

/** Did the part's result pass its result description's requiredValue? undefined when there is nothing to judge. */
export function partPassed(signed: Json | undefined): { passed: boolean; why: string } {
  // Every copy of a node merged, as signed; every result judged, in no particular order (../read/merge-nodes.ts).
  const credential = mergeNodeCopies(signed);
  const subject = subjectOf(credential);
  const achievement = achievementOf(credential);
  const descriptions = asArray(achievement?.resultDescription)
    .map(obj)
    .filter((x): x is Json => x !== undefined);
  const results = asArray(subject?.result)
    .map(obj)
    .filter((x): x is Json => x !== undefined);
  for (const r of results) {
    const value = r.value === undefined ? undefined : String(r.value);
    if (r.status === 'Failed')
      return { passed: false, why: `the result is "Failed"${value ? ` (grade ${value})` : ''}` };
    const rd = descriptions.find((d) => d.id !== undefined && d.id === r.resultDescription);
    const required = rd?.requiredValue === undefined ? undefined : String(rd.requiredValue);
    if (!rd || required === undefined || value === undefined) continue;
    const allowed = asArray(rd.allowedValue).map(String);
    if (allowed.length) {
      // OB orders allowedValue from lowest to highest.
      const at = allowed.indexOf(value);
      if (at < 0) return { passed: false, why: `grade ${value} is not on its scale (${allowed.join(', ')})` };
      if (at < allowed.indexOf(required))
        return { passed: false, why: `grade ${value}, below the lowest pass ${required}` };
      continue;
    }
    const n = Number(value);
    const min = Number(required);
    if (Number.isFinite(n) && Number.isFinite(min) && /score|percent|grade/i.test(String(rd.resultType ?? ''))) {
      if (n < min) return { passed: false, why: `score ${value}, below the pass mark ${required}` };
    } else if (value !== required) {
      return { passed: false, why: `result ${value}, where ${required} is required` };
    }
  }
  const earned = typeof subject?.creditsEarned === 'number' ? subject.creditsEarned : undefined;
  const available = typeof achievement?.creditsAvailable === 'number' ? achievement.creditsAvailable : undefined;
  if (earned === 0 && available !== undefined && available > 0) return { passed: false, why: 'no credits were earned' };
  return { passed: true, why: results.length ? 'passed' : 'no grade recorded; awarded as completed' };
}

function resultsRule(matched: readonly StackMember[], add: (c: StackCheck) => void): void {
  let failed = 0;
  for (const part of matched) {
    const { passed, why } = partPassed(part.credential);
    if (passed) continue;
    failed++;
    add({
      check: 'results',
      status: 'fail',
      code: 'PART_NOT_PASSED',
      message: `${labelFor(part)} was not passed: ${why}`,
      path: part.path,
    });
  }
  if (failed === 0) add({ check: 'results', status: 'pass', message: `Every part was passed (${matched.length})` });
}

function creditsRule(programme: ProgrammeFacts, matched: readonly StackMember[], add: (c: StackCheck) => void): void {
  const stated =
    typeof programme.subject?.creditsEarned === 'number'
      ? programme.subject.creditsEarned
      : programme.achievement.creditsAvailable;
  const earned = matched.map((p) => {
    const s = subjectOf(p.credential);
    return typeof s?.creditsEarned === 'number' ? s.creditsEarned : undefined;
  });
  if (typeof stated !== 'number') {
    add({
      check: 'credits',
      status: 'warn',
      message: "The programme states no ECTS credits, so the parts' credits were not added up",
    });
    return;
  }
  const missing = matched.filter((_, i) => earned[i] === undefined);
  if (missing.length) {
    add({
      check: 'credits',
      status: 'fail',
      code: 'CREDITS_MISMATCH',
      message: `${missing.map(labelFor).join(', ')} state${missing.length === 1 ? 's' : ''} no credits earned, so the programme's ${stated} ECTS cannot be confirmed`,
      path: missing[0]!.path,
    });
    return;
  }
  const sum = round2(earned.reduce<number>((a, b) => a + (b ?? 0), 0));
  if (sum !== round2(stated)) {
    const list = matched.map((p, i) => `${labelFor(p)}: ${earned[i]}`).join(', ');
    add({
      check: 'credits',
      status: 'fail',
      code: 'CREDITS_MISMATCH',
      message: `The parts earn ${sum} ECTS, but the programme is worth ${stated} ECTS${list ? ` (${list})` : ''}`,
      path: '$.parts',
    });
    return;
  }
  add({ check: 'credits', status: 'pass', message: `The parts' ${sum} ECTS add up to the programme's ${stated} ECTS` });
}

function datesRule(programme: ProgrammeFacts, matched: readonly StackMember[], add: (c: StackCheck) => void): void {
  const at = programme.awardedAt;
  const t = at === undefined ? NaN : Date.parse(at);
  if (Number.isNaN(t)) {
    add({
      check: 'dates',
      status: 'fail',
      code: 'DATE_ORDER',
      message: 'The programme has no readable award date, so it cannot be checked against its parts',
      path: '$.programme',
    });
    return;
  }
  let late = 0;
  for (const part of matched) {
    const partAt = awardedAtOf(part.credential);
    const pt = partAt === undefined ? NaN : Date.parse(partAt);
    if (Number.isNaN(pt)) {
      late++;
      add({
        check: 'dates',
        status: 'fail',
        code: 'DATE_ORDER',
        message: `${labelFor(part)} has no readable award date`,
        path: part.path,
      });
    } else if (pt > t) {
      late++;
      add({
        check: 'dates',
        status: 'fail',
        code: 'DATE_ORDER',
        message: `The programme was awarded on ${at}, before ${labelFor(part)} (${partAt}); a programme comes after its parts`,
        path: part.path,
      });
    }
  }
  if (late === 0)
    add({ check: 'dates', status: 'pass', message: `The programme (${at}) was awarded on or after its last part` });
}

function awardingBodiesOf(achievement: Json | undefined): string[] {
  return [...asArray(achievement?.awardingBody), achievement?.creator]
    .map((b) => str(b) ?? str(obj(b)?.id))
    .filter((x): x is string => x !== undefined);
}

function issuersRule(programme: ProgrammeFacts, matched: readonly StackMember[], add: (c: StackCheck) => void): void {
  const issuer = programme.issuerId;
  const bodies = new Set(awardingBodiesOf(programme.achievement));
  let bad = 0;
  for (const part of matched) {
    const partIssuer = issuerIdOf(part.credential);
    // Only the programme's issuer says who else may award its parts (its awarding bodies, signed into the programme).
    // A part's own creator / awardingBody is its signer's say-so: anyone can sign a part "created by" the university.
    if (partIssuer !== undefined && (partIssuer === issuer || bodies.has(partIssuer))) continue;
    bad++;
    add({
      check: 'issuers',
      status: 'fail',
      code: 'ISSUER_MISMATCH',
      message: `${labelFor(part)} was issued by ${partIssuer ?? 'an unnamed issuer'}, which is neither the programme's issuer (${issuer ?? 'unnamed'}) nor one of its awarding bodies`,
      path: part.path,
    });
  }
  if (bad === 0)
    add({
      check: 'issuers',
      status: 'pass',
      message: `Every part comes from the programme's issuer or one of its awarding bodies`,
    });
}

function integrityRule(programme: ProgrammeFacts, parts: readonly StackMember[], add: (c: StackCheck) => void): void {
  const related = asArray(programme.relatedResource)
    .map(obj)
    .filter((x): x is Json => x !== undefined);
  if (related.length === 0) {
    add({
      check: 'integrity',
      status: 'warn',
      message:
        'The programme credential does not name its part credentials (no relatedResource): the parts were matched by achievement only',
    });
    return;
  }
  let bad = 0;
  for (const part of parts) {
    if (!part.credential || !part.digestBytes) continue;
    const id = str(part.credential.id);
    const entry = related.find((r) => r.id === id);
    if (!entry) {
      bad++;
      add({
        check: 'integrity',
        status: 'fail',
        code: 'DIGEST_MISMATCH',
        message: `${labelFor(part)} is not one of the part credentials the programme was awarded for (its id ${id ?? '(none)'} is not in relatedResource)`,
        path: part.path,
      });
    } else if (!digestMatches(entry.digestMultibase, part.digestBytes)) {
      bad++;
      add({
        check: 'integrity',
        status: 'fail',
        code: 'DIGEST_MISMATCH',
        message: `${labelFor(part)} is not the credential the programme was awarded for: it has changed since (its digest differs from the programme's relatedResource)`,
        path: part.path,
      });
    }
  }
  if (bad === 0)
    add({
      check: 'integrity',
      status: 'pass',
      message: `Each part is byte for byte the credential the programme names (${related.length} digest(s) in relatedResource)`,
    });
}
