import { MicrocredError, describeThrown, isMicrocredError } from '../errors';
import type { LearnerInput } from '../builders/inputs';
import { parseInput, type VerifiableInput } from '../verify/parse';
import type { VerificationReport } from '../verify/report';
import { withVerdict } from '../verify/verdict';
import { unbakeForVerify } from '../verify/parse-credential';
import { verify } from '../verify/verify';
import { checkVerifyOptions, withResolutionBudget, type VerifyOptions } from '../verify/options';
import { digestedBytes } from './digest';
import { mergeNodeCopies } from '../read/merge-nodes';
import {
  achievementOf,
  awardedAtOf,
  credentialsRule,
  issuerIdOf,
  stackRules,
  subjectOf,
  type StackCheck,
  type StackMember,
} from './rules';

/**
 * A part credential as a stack takes it: anything `verify()` accepts (object, JSON text, VC-JWT, baked PNG/SVG), or
 * one the caller vouches for, e.g. a credential the issuer's own register issued and recorded (`verified: true`):
 * it is then read, not verified again.
 */
export type StackPartInput = VerifiableInput | { credential: VerifiableInput; verified: true };

/** What `verifyStack` takes: the programme credential, its parts, optionally the learner, and `verify` options. */
export interface VerifyStackInput extends VerifyOptions {
  /** The programme credential. Leave it out to let the stack find it among `credentials`. */
  programme?: VerifiableInput;
  /** The part credentials. */
  parts?: readonly StackPartInput[];
  /**
   * All credentials at once, programme included (the one whose achievement lists `hasPart`): what a CLR or a
   * presentation holds. To verify a presentation, take its credentials out with the presentation verifier and pass
   * them here; each is verified again by `verify()` on its own.
   */
  credentials?: readonly VerifiableInput[];
  /**
   * The learner as the verifier knows them: a DID, or plain identifiers ({ email }, { studentId }, …) checked
   * against each credential's hashed ones. Without it, every part must name the programme's learner by the same
   * subject id or an equal salted hash (which needs one salt per learner, see docs/stacks.md).
   */
  learner?: LearnerInput;
}

/** The report of `verifyStack`: each credential's `verify` report and the stack's own checks. */
export interface StackReport {
  /** True when every credential verified and no stack check failed. Warnings do not count against it. */
  verified: boolean;
  /** The programme credential's full report. */
  programme: VerificationReport;
  /** Each part's full report, in the order given. A part the caller vouched for has a report with no checks run. */
  parts: VerificationReport[];
  /** The stack checks, each with its own code and a plain-words message. */
  checks: StackCheck[];
}

/**
 * Credentials in one stack or CLR. The seed programme has six; a transcript of a whole degree has a few dozen. Each
 * is a full verification (proofs, keys, status lists), so the count is bounded before any work starts.
 */
export const MAX_STACK_CREDENTIALS = 64;

export interface ReadMember {
  member: StackMember;
  report: VerificationReport;
}

/**
 * `acceptVouched: false` for members taken from a document (a CLR's nested credentials): there an object
 * `{ credential, verified: true }` is the document's say-so, not the caller's, and is verified like any other.
 */
async function readMember(
  input: StackPartInput,
  path: string,
  options: VerifyOptions,
  acceptVouched = true,
): Promise<ReadMember> {
  let vouched = false;
  let raw = input as VerifiableInput;
  let parsed: Awaited<ReturnType<typeof parseInput>> | undefined;
  let unreadable: MicrocredError | undefined;
  try {
    // A caller's member may be a hostile object: telling a vouched-for one apart reads it, and may throw.
    vouched =
      acceptVouched &&
      typeof input === 'object' &&
      input !== null &&
      !(input instanceof Uint8Array) &&
      (input as { verified?: unknown }).verified === true &&
      'credential' in input;
    if (vouched) raw = (input as { credential: VerifiableInput }).credential;
    parsed = await parseInput(raw, unbakeForVerify);
  } catch (e) {
    unreadable = isMicrocredError(e)
      ? e
      : new MicrocredError('INVALID_INPUT', `The credential cannot be read: ${describeThrown(e)}`, { path: '$' });
    vouched = false;
    if (typeof raw !== 'object' || raw === null) raw = {} as VerifiableInput;
  }
  // The stack rules and verify read one reading of a caller's object (parseInput's copy, which verify copies as it
  // is): read twice, a getter could show verify the signed credential and the rules another. An object that could not
  // be read is not read again (a getter that throws once would read fine the second time).
  const checked = parsed?.source === 'object' ? parsed.credential : raw;
  // A vouched-for credential that cannot even be read is reported as not verified, like any other.
  const report: VerificationReport =
    unreadable && isObjectNotBytes(raw)
      ? withVerdict({
          verified: false,
          proofs: [],
          checks: [
            {
              check: 'parse',
              status: 'fail',
              code: unreadable.code,
              message: unreadable.message,
              path: unreadable.path ?? '$',
            },
          ],
        })
      : vouched && parsed
        ? withVerdict({
            verified: true,
            format: parsed.format,
            source: parsed.source,
            credential: parsed.credential,
            proofs: [],
            checks: [
              {
                check: 'proof',
                status: 'skip',
                message: "Vouched for by the caller (e.g. the issuer's register); not verified again",
              },
            ],
          })
        : await verify(checked, options);
  // The stack rules read the credential as signed: every copy of a node merged (../read/merge-nodes.ts).
  const credential = parsed ? mergeNodeCopies(parsed.credential) : undefined;
  const name = achievementOf(credential)?.name;
  const label = typeof name === 'string' && name !== '' ? `"${name}" (${path})` : path;
  return {
    member: {
      path,
      label,
      credential,
      ...(vouched ? {} : { report }),
      ...(parsed ? digestOf(parsed) : {}),
    },
    report,
  };
}

/** Whether `x` is an object other than bytes; true for a proxy that throws when asked (it is no bytes of ours). */
function isObjectNotBytes(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  try {
    return !(x instanceof Uint8Array);
  } catch {
    return true;
  }
}

/**
 * The bytes the programme's digests are compared with, or nothing when the part cannot be written as JSON (a value
 * JSON has no form for, nesting deeper than JCS writes): its report has failed already, and so does the stack.
 */
function digestOf(parsed: Awaited<ReturnType<typeof parseInput>>): { digestBytes?: Uint8Array } {
  try {
    return { digestBytes: digestedBytes(parsed) };
  } catch {
    return {};
  }
}

/**
 * Verifies a stack: a programme credential and the part credentials it is made of. Each credential gets its full
 * `verify()` report (proof, key, dates, status — pass `fetchStatusList` to check revocation); then the stack checks:
 * every part the programme lists is there once and says it is part of it, nothing foreign or duplicated, one learner,
 * every part passed, the credits add up, the programme came after its parts, the issuers agree, and each part is the
 * very credential the programme names (`relatedResource` digests). Never throws for bad credentials.
 */
export async function verifyStack(input: VerifyStackInput): Promise<StackReport> {
  if (typeof input !== 'object' || input === null)
    throw new MicrocredError('INVALID_INPUT', 'verifyStack needs { programme, parts } or { credentials }');
  const { programme, parts, credentials, learner, ...ownOptions } = input;
  // One resolution budget for the whole stack (as for a presentation), not maxResolvedDocuments per credential.
  checkVerifyOptions(ownOptions);
  const options = withResolutionBudget(ownOptions);
  const count = (credentials?.length ?? 0) + (parts?.length ?? 0) + (programme === undefined ? 0 : 1);
  if (count > MAX_STACK_CREDENTIALS)
    throw new MicrocredError(
      'INVALID_INPUT',
      `A stack of ${count} credentials; at most ${MAX_STACK_CREDENTIALS} are verified together`,
      { path: '$' },
    );
  const programmeInput: VerifiableInput | undefined = programme;
  const partInputs: readonly StackPartInput[] = parts ?? [];
  let foundProgramme: ReadMember | undefined;
  let found: ReadMember[] | undefined;
  if (credentials !== undefined) {
    if (!Array.isArray(credentials))
      throw new MicrocredError('INVALID_INPUT', 'credentials must be an array', { path: '$.credentials' });
    const read = await Promise.all(
      credentials.map((c, i) => readMember(c as VerifiableInput, `$.credentials[${i}]`, options)),
    );
    const candidates = read.filter((r) => Array.isArray(achievementOf(r.member.credential)?.hasPart));
    if (programmeInput === undefined) {
      if (candidates.length !== 1) {
        throw new MicrocredError(
          'INVALID_INPUT',
          candidates.length
            ? `${candidates.length} of the credentials are programmes (list hasPart); pass the one to check as programme`
            : 'None of the credentials is a programme (none lists hasPart)',
          { path: '$.credentials' },
        );
      }
      foundProgramme = candidates[0]!;
      found = read.filter((r) => r !== foundProgramme);
    } else found = read;
  }
  if (programmeInput === undefined && foundProgramme === undefined)
    throw new MicrocredError('INVALID_INPUT', 'verifyStack needs the programme credential', { path: '$.programme' });
  if (!Array.isArray(partInputs))
    throw new MicrocredError('INVALID_INPUT', 'parts must be an array', { path: '$.parts' });

  const programmeRead = foundProgramme ?? (await readMember(programmeInput!, '$.programme', options));
  const partsRead = [
    ...(found ?? []),
    ...(await Promise.all(partInputs.map((p, i) => readMember(p, `$.parts[${i}]`, options)))),
  ];
  return stackReport(programmeRead, partsRead, learner);
}

/** The stack report over credentials already read and verified (verifyStack, and a CLR's nested credentials). */
export function stackReport(
  programmeRead: ReadMember,
  partsRead: readonly ReadMember[],
  learner?: LearnerInput,
): StackReport {
  const credential = programmeRead.member.credential;
  const achievement = achievementOf(credential);
  let checks: StackCheck[];
  if (!achievement) {
    checks = [];
    credentialsRule(
      { member: { ...programmeRead.member, label: 'The programme credential' } },
      partsRead.map((r) => r.member),
      (c) => checks.push(c),
    );
    checks.push({
      check: 'parts',
      status: 'fail',
      code: 'PART_MISSING',
      message: 'The programme credential could not be read, so its parts cannot be checked',
      path: programmeRead.member.path,
    });
  } else {
    checks = stackRules(
      {
        achievement,
        subject: subjectOf(credential),
        issuerId: issuerIdOf(credential),
        awardedAt: awardedAtOf(credential),
        relatedResource: credential?.relatedResource,
        member: {
          ...programmeRead.member,
          label: `The programme credential${typeof achievement.name === 'string' ? ` "${achievement.name}"` : ''}`,
        },
      },
      partsRead.map((r) => r.member),
      learner !== undefined ? { learner } : {},
    );
  }
  const verified =
    programmeRead.report.verified &&
    partsRead.every((r) => r.report.verified) &&
    !checks.some((c) => c.status === 'fail');
  return { verified, programme: programmeRead.report, parts: partsRead.map((r) => r.report), checks };
}

/** Reads one stack member and verifies it, unless the caller vouches for it (`{ credential, verified: true }`). */
export { readMember as readStackMember };
