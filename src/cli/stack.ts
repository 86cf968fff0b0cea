import {
  type ClrReport,
  isMicrocredError,
  type LearnerInput,
  MicrocredError,
  parseCredential,
  type StackCheck,
  type StackReport,
  type VerifiableInput,
  type VerificationReport,
  type VerifyOptions,
  type VerifyPresentationOptions,
  verifyClr,
  verifyPresentation,
  verifyStack,
} from '../index';
import type { Output } from './command';
import { readVerifiable } from './files';
import { plainHeadline } from './plain-words';
import { formatPresentationReport } from './report';
import { safeDeep } from './sanitize';

/**
 * `microcred verify --stack` (a programme with its parts, a CLR transcript, or a presentation holding a stack): the
 * command line's side of verifyStack, verifyClr and verifyPresentation, and their reports in plain words.
 */

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '–' } as const;

/** Whether the text is a JSON ClrCredential (a transcript), which `verify` then checks with `verifyClr`. */
export function isClrText(input: string | Uint8Array): input is string {
  if (typeof input !== 'string' || !/"ClrCredential"/.test(input)) return false;
  try {
    const type = (JSON.parse(input) as { type?: unknown }).type;
    return Array.isArray(type) ? type.includes('ClrCredential') : type === 'ClrCredential';
  } catch {
    return false;
  }
}

/** The learner a verifier names on the command line: an email, or a DID / URL. */
export function learnerOption(who: string | undefined): LearnerInput | undefined {
  if (who === undefined) return undefined;
  if (/^[^\s@:]+@[^\s@]+$/.test(who)) return { email: who };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(who)) return who;
  throw new MicrocredError('INVALID_INPUT', `--learner is the learner's email or DID, got ${JSON.stringify(who)}`, {
    path: '$.learner',
  });
}

/** The achievement a credential is for (`credentialSubject.achievement`), read for display and sorting only. */
function achievementOf(credential: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const subject = credential?.credentialSubject;
  const first = Array.isArray(subject) ? subject[0] : subject;
  const achievement = (first as { achievement?: unknown } | null | undefined)?.achievement;
  return achievement && typeof achievement === 'object' && !Array.isArray(achievement)
    ? (achievement as Record<string, unknown>)
    : undefined;
}

const title = (r: VerificationReport): string => {
  const name = achievementOf(r.credential)?.name ?? r.credential?.name;
  return typeof name === 'string' && name !== '' ? `"${name}"` : 'a credential that could not be read';
};
const failed = (r: VerificationReport): string =>
  r.checks
    .filter((c) => c.status === 'fail')
    .map((c) => c.message)
    .join('; ');
/** Verified, but no trust source (or web domain) confirms who the issuer is: its name is its own claim. */
const unconfirmed = (r: VerificationReport): boolean => r.verified && r.verdict?.outcome === 'authentic-unconfirmed';
// A file that could not be read says what it is and what to do (the parser's message is in --json).
const whyNot = (r: VerificationReport): string =>
  r.checks.some((c) => c.check === 'parse' && c.status === 'fail') ? plainHeadline(r) : failed(r);
const verdictLine = (r: VerificationReport, where: string): string =>
  `  ${r.verified ? (unconfirmed(r) ? MARK.warn : MARK.pass) : MARK.fail} ${title(r)}${where}: ${
    r.verified
      ? unconfirmed(r)
        ? `verified, but the issuer's identity is not confirmed (it calls itself "${r.verdict.issuer.name ?? r.verdict.issuer.id ?? 'an unnamed issuer'}")`
        : 'verified'
      : `NOT VERIFIED: ${whyNot(r)}`
  }`;
/** Under a verified headline: that the issuer's name is its own claim, when it is, as `verify` says for one file. */
const issuerNote = (reports: readonly VerificationReport[]): string[] =>
  reports.some(unconfirmed)
    ? [
        "  ! The issuer's identity is not confirmed: the name it gives is its own claim (give --trust with a list you trust; docs/verifying.md)",
      ]
    : [];
const checkLines = (checks: readonly StackCheck[]): string[] =>
  checks.map((c) => `  ${MARK[c.status]} ${c.check.padEnd(12)} ${c.message}`);

/** A stack report in plain words: the verdict, each credential's verdict, then each stack check. `names` maps report paths (`$.parts[2]`) to what the user gave (file names). */
export function formatStackReport(unsafe: StackReport, names: Record<string, string> = {}): string {
  const report = safeDeep(unsafe);
  const rename = (text: string): string =>
    text.replace(
      /\$\.(?:programme|parts\[\d+\]|credentials\[\d+\]|credentialSubject\.verifiableCredential\[\d+\])/g,
      (p) => names[p] ?? p,
    );
  const lines = [
    report.verified ? 'STACK VERIFIED' : 'STACK NOT VERIFIED',
    ...(report.verified ? issuerNote([report.programme, ...report.parts]) : []),
    '',
    '  Programme:',
  ];
  lines.push(verdictLine(report.programme, names['$.programme'] ? ` (${names['$.programme']})` : ''));
  lines.push('', `  Parts (${report.parts.length}):`);
  report.parts.forEach((r, i) =>
    lines.push(verdictLine(r, names[`$.parts[${i}]`] ? ` (${names[`$.parts[${i}]`]})` : '')),
  );
  lines.push('', '  Stack checks:', ...checkLines(report.checks).map(rename));
  return lines.join('\n');
}

/** A CLR report in plain words: the verdict, the transcript's own checks, each credential inside, the CLR and stack checks. */
export function formatClrReport(unsafe: ClrReport): string {
  const report = safeDeep(unsafe);
  const clr = report.clr.credential;
  const lines = [
    report.verified ? 'TRANSCRIPT VERIFIED' : 'TRANSCRIPT NOT VERIFIED',
    ...(report.verified ? issuerNote([report.clr, ...report.credentials]) : []),
    '',
  ];
  if (typeof clr?.name === 'string') lines.push(`  ${clr.name}`);
  const issuer = clr?.issuer as { id?: string; name?: string } | string | undefined;
  const issuerName = typeof issuer === 'string' ? issuer : (issuer?.name ?? issuer?.id);
  if (issuerName)
    lines.push(`  Issued by ${issuerName}${typeof clr?.validFrom === 'string' ? ` on ${clr.validFrom}` : ''}`);
  lines.push(
    '',
    '  The transcript itself:',
    ...report.clr.checks.map((c) => `  ${MARK[c.status]} ${c.check.padEnd(12)} ${c.message}`),
  );
  lines.push(
    '',
    `  Credentials inside (${report.credentials.length}):`,
    ...report.credentials.map((r) => verdictLine(r, '')),
  );
  lines.push('', '  Transcript checks:', ...checkLines(report.checks));
  if (report.stack)
    lines.push(
      '',
      `  Stack checks (${report.stack.verified ? 'the programme and its parts hold together' : 'the programme and its parts do NOT hold together'}):`,
      ...checkLines(report.stack.checks),
    );
  return lines.join('\n');
}

/** 2 when an input could not be read as a credential at all; else 0 verified, 1 not. */
function exitFor(verified: boolean, reports: readonly VerificationReport[]): number {
  if (verified) return 0;
  return reports.some((r) => r.checks.some((c) => c.check === 'parse' && c.status === 'fail')) ? 2 : 1;
}

/** Credentials as a presentation carries them: embedded-proof objects as they are, enveloped ones as their JWT. */
function presentedCredentials(presentation: Record<string, unknown> | undefined): VerifiableInput[] {
  const list = presentation?.verifiableCredential;
  return (Array.isArray(list) ? list : list === undefined ? [] : [list]).map((c) => {
    if (typeof c === 'string') return c;
    const id = (c as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id.startsWith('data:application/vc') && id.includes(','))
      return id.slice(id.indexOf(',') + 1);
    // As JSON text: verifyStack takes an object { credential, verified: true } as vouched for by its caller, and here
    // the holder wrote it. Text is always verified.
    return JSON.stringify(c);
  });
}

function isPresentation(input: string | Uint8Array): input is string {
  if (typeof input !== 'string') return false;
  const text = input.trim();
  if (text.startsWith('{')) return /"VerifiablePresentation"/.test(text);
  const payload = text.split('.')[1];
  if (!payload) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return claims.vp !== undefined || (Array.isArray(claims.type) && claims.type.includes('VerifiablePresentation'));
  } catch {
    return false;
  }
}

/**
 * `microcred verify --stack …`: one CLR file, one presentation file (with --challenge), or a programme credential and
 * its parts in any order. Prints the stack report; exit 0 verified, 1 not, 2 unusable input.
 */
export async function verifyStackFiles(
  files: string[],
  options: VerifyOptions & { learner?: LearnerInput; challenge?: string; domain?: string },
  out: Output,
  alreadyRead?: (string | Uint8Array)[],
): Promise<number> {
  const { learner, challenge, domain, ...verifyOptions } = options;
  // Standard input can be read once: a caller that has looked at it passes what it read.
  const inputs = alreadyRead ?? files.map(readVerifiable);
  if (inputs.length === 1 && isClrText(inputs[0]!)) {
    const report = await verifyClr(inputs[0], { ...verifyOptions, ...(learner !== undefined ? { learner } : {}) });
    if (out.json) out.data(report);
    else out.print(formatClrReport(report));
    return exitFor(report.verified, [report.clr, ...report.credentials]);
  }
  if (inputs.length === 1 && isPresentation(inputs[0]!)) {
    // The presentation is checked as verify-presentation does (holder, challenge, domain); the stack in it by verifyStack.
    const presented = await verifyPresentation(inputs[0], {
      ...(verifyOptions as VerifyPresentationOptions),
      ...(challenge !== undefined ? { challenge } : {}),
      ...(domain !== undefined ? { domain } : {}),
    });
    const credentials = presentedCredentials(presented.presentation);
    const stack = credentials.length
      ? await verifyStack({ ...verifyOptions, credentials, ...(learner !== undefined ? { learner } : {}) })
      : undefined;
    const verified = presented.verified && (stack?.verified ?? false);
    if (out.json) out.data({ verified, presentation: presented, stack });
    else {
      out.print(formatPresentationReport(presented));
      out.print('');
      out.print(stack ? formatStackReport(stack) : 'STACK NOT VERIFIED: the presentation holds no credentials');
    }
    return exitFor(verified, [...presented.credentials, ...(stack ? [stack.programme, ...stack.parts] : [])]);
  }
  if (inputs.length < 2)
    throw new MicrocredError(
      'INVALID_INPUT',
      'verify --stack needs the programme credential and its parts (or one CLR transcript, or one presentation)',
    );
  // The programme is the credential whose achievement lists its parts (hasPart); the others are its parts, in the order given.
  const isProgramme = await Promise.all(
    inputs.map(async (input) => {
      try {
        return Array.isArray(achievementOf((await parseCredential(input)).credential)?.hasPart);
      } catch (e) {
        if (isMicrocredError(e)) return false;
        throw e;
      }
    }),
  );
  const programmes = isProgramme.flatMap((p, i) => (p ? [i] : []));
  if (programmes.length !== 1) {
    throw new MicrocredError(
      'INVALID_INPUT',
      programmes.length
        ? `${programmes.map((i) => files[i]).join(' and ')} are all programmes (they list parts); give one programme and its parts`
        : 'None of the files is a programme credential (none lists its parts)',
    );
  }
  const at = programmes[0]!;
  const partFiles = files.filter((_, i) => i !== at);
  const report = await verifyStack({
    ...verifyOptions,
    programme: inputs[at]!,
    parts: inputs.filter((_, i) => i !== at),
    ...(learner !== undefined ? { learner } : {}),
  });
  if (out.json) out.data(report);
  else
    out.print(
      formatStackReport(report, {
        '$.programme': files[at]!,
        ...Object.fromEntries(partFiles.map((f, i) => [`$.parts[${i}]`, f])),
      }),
    );
  return exitFor(report.verified, [report.programme, ...report.parts]);
}
