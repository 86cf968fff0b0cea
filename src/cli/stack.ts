import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { MicrocredError, isMicrocredError } from '../errors';
import type { LearnerInput } from '../builders/inputs';
import { issue, type IssueFormat } from '../issue';
import { verifyPresentation, type VerifyPresentationOptions } from '../presentation/verify';
import { buildClr, verifyClr, type ClrReport } from '../stack/clr';
import type { StackCheck } from '../stack/rules';
import { MAX_STACK_CREDENTIALS, verifyStack, type StackReport } from '../stack/verify-stack';
import { achievementOf } from '../stack/rules';
import { parseInput, type VerifiableInput } from '../verify/parse';
import type { VerificationReport } from '../verify/report';
import { unbakeForVerify } from '../verify/unbake-step';
import type { VerifyOptions } from '../verify/verify';
import type { LearnerIdentity } from '../node/identity';
import { credentialFileBase, writeNewFile } from '../node/issue-batch';
import type { IssuanceRecord } from '../node/register';
import { readRecordedFile } from '../node/programme-parts';
import { openWorkspace, type Workspace } from '../node/workspace';
import { formatPresentationReport } from './verify-presentation';
import { safeDeep } from './sanitize';

/**
 * `microcred verify --stack` (a programme with its parts, a CLR transcript, or a presentation holding a stack) and
 * `microcred transcript` (a CLR 2.0 for one learner from the register): the CLI side of src/stack/.
 */

type Out = { json: boolean; print(text: string): void; data(value: unknown): void; error(text: string): void };
const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '–' } as const;

/** A file (or "-" for standard input) as `verify()` takes it: bytes for a PNG/SVG badge, text otherwise. */
export function readVerifiable(file: string): string | Uint8Array {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  return /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG' ? new Uint8Array(bytes) : bytes.toString('utf8');
}

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
  throw new MicrocredError('INVALID_INPUT', `--learner is the learner's email or DID, got ${JSON.stringify(who)}`, { path: '$.learner' });
}

const title = (r: VerificationReport): string => {
  const name = achievementOf(r.credential)?.name ?? r.credential?.name;
  return typeof name === 'string' && name !== '' ? `"${name}"` : 'a credential that could not be read';
};
const failed = (r: VerificationReport): string => r.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('; ');
const verdictLine = (r: VerificationReport, where: string): string => `  ${r.verified ? MARK.pass : MARK.fail} ${title(r)}${where}: ${r.verified ? 'verified' : `NOT VERIFIED: ${failed(r)}`}`;
const checkLines = (checks: readonly StackCheck[]): string[] => checks.map((c) => `  ${MARK[c.status]} ${c.check.padEnd(12)} ${c.message}`);

/** A stack report in plain words: the verdict, each credential's verdict, then each stack check. `names` maps report paths (`$.parts[2]`) to what the user gave (file names). */
export function formatStackReport(unsafe: StackReport, names: Record<string, string> = {}): string {
  const report = safeDeep(unsafe);
  const rename = (text: string): string => text.replace(/\$\.(?:programme|parts\[\d+\]|credentials\[\d+\]|credentialSubject\.verifiableCredential\[\d+\])/g, (p) => names[p] ?? p);
  const lines = [report.verified ? 'STACK VERIFIED' : 'STACK NOT VERIFIED', '', '  Programme:'];
  lines.push(verdictLine(report.programme, names['$.programme'] ? ` (${names['$.programme']})` : ''));
  lines.push('', `  Parts (${report.parts.length}):`);
  report.parts.forEach((r, i) => lines.push(verdictLine(r, names[`$.parts[${i}]`] ? ` (${names[`$.parts[${i}]`]})` : '')));
  lines.push('', '  Stack checks:', ...checkLines(report.checks).map(rename));
  return lines.join('\n');
}

/** A CLR report in plain words: the verdict, the transcript's own checks, each credential inside, the CLR and stack checks. */
export function formatClrReport(unsafe: ClrReport): string {
  const report = safeDeep(unsafe);
  const clr = report.clr.credential;
  const lines = [report.verified ? 'TRANSCRIPT VERIFIED' : 'TRANSCRIPT NOT VERIFIED', ''];
  if (typeof clr?.name === 'string') lines.push(`  ${clr.name}`);
  const issuer = clr?.issuer as { id?: string; name?: string } | string | undefined;
  const issuerName = typeof issuer === 'string' ? issuer : (issuer?.name ?? issuer?.id);
  if (issuerName) lines.push(`  Issued by ${issuerName}${typeof clr?.validFrom === 'string' ? ` on ${clr.validFrom}` : ''}`);
  lines.push('', '  The transcript itself:', ...report.clr.checks.map((c) => `  ${MARK[c.status]} ${c.check.padEnd(12)} ${c.message}`));
  lines.push('', `  Credentials inside (${report.credentials.length}):`, ...report.credentials.map((r) => verdictLine(r, '')));
  lines.push('', '  Transcript checks:', ...checkLines(report.checks));
  if (report.stack) lines.push('', `  Stack checks (${report.stack.verified ? 'the programme and its parts hold together' : 'the programme and its parts do NOT hold together'}):`, ...checkLines(report.stack.checks));
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
    if (typeof id === 'string' && id.startsWith('data:application/vc') && id.includes(',')) return id.slice(id.indexOf(',') + 1);
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
export async function verifyStackFiles(files: string[], options: VerifyOptions & { learner?: LearnerInput; challenge?: string; domain?: string }, out: Out, alreadyRead?: (string | Uint8Array)[]): Promise<number> {
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
    const presented = await verifyPresentation(inputs[0], { ...(verifyOptions as VerifyPresentationOptions), ...(challenge !== undefined ? { challenge } : {}), ...(domain !== undefined ? { domain } : {}) });
    const credentials = presentedCredentials(presented.presentation);
    const stack = credentials.length ? await verifyStack({ ...verifyOptions, credentials, ...(learner !== undefined ? { learner } : {}) }) : undefined;
    const verified = presented.verified && (stack?.verified ?? false);
    if (out.json) out.data({ verified, presentation: presented, stack });
    else {
      out.print(formatPresentationReport(presented));
      out.print('');
      out.print(stack ? formatStackReport(stack) : 'STACK NOT VERIFIED: the presentation holds no credentials');
    }
    return exitFor(verified, [...presented.credentials, ...(stack ? [stack.programme, ...stack.parts] : [])]);
  }
  if (inputs.length < 2) throw new MicrocredError('INVALID_INPUT', 'verify --stack needs the programme credential and its parts (or one CLR transcript, or one presentation)');
  // The programme is the credential whose achievement lists its parts (hasPart); the others are its parts, in the order given.
  const isProgramme = await Promise.all(inputs.map(async (input) => {
    try {
      return Array.isArray(achievementOf((await parseInput(input, unbakeForVerify)).credential)?.hasPart);
    } catch (e) {
      if (isMicrocredError(e)) return false;
      throw e;
    }
  }));
  const programmes = isProgramme.flatMap((p, i) => (p ? [i] : []));
  if (programmes.length !== 1) {
    throw new MicrocredError('INVALID_INPUT', programmes.length ? `${programmes.map((i) => files[i]).join(' and ')} are all programmes (they list parts); give one programme and its parts` : 'None of the files is a programme credential (none lists its parts)');
  }
  const at = programmes[0]!;
  const partFiles = files.filter((_, i) => i !== at);
  const report = await verifyStack({ ...verifyOptions, programme: inputs[at]!, parts: inputs.filter((_, i) => i !== at), ...(learner !== undefined ? { learner } : {}) });
  if (out.json) out.data(report);
  else out.print(formatStackReport(report, { '$.programme': files[at]!, ...Object.fromEntries(partFiles.map((f, i) => [`$.parts[${i}]`, f])) }));
  return exitFor(report.verified, [report.programme, ...report.parts]);
}

/** The register's identities a learner typed on the command line may be: an email, a DID/URL, or a student or national ID. */
export function identitiesFor(who: string): LearnerIdentity[] {
  if (/^[^\s@:]+@[^\s@]+$/.test(who)) return [{ type: 'email', value: who }];
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(who)) return [{ type: 'did', value: who }];
  return [
    { type: 'studentId', value: who },
    { type: 'nationalId', value: who },
  ];
}

/** The learner as the transcript names them: the same identifier, hashed with the learner's own salt when the register keeps one. */
function learnerInputOf(identity: LearnerIdentity, salt: string | undefined): LearnerInput {
  if (identity.type === 'did') return identity.value;
  return { [identity.type]: identity.value, ...(salt ? { salt } : {}) } as LearnerInput;
}

export interface TranscriptResult {
  file: string;
  id: string;
  credentials: { credentialId: string; achievementId: string }[];
  /** Credentials of the learner left out, with why (revoked, suspended, a VC-JWT that cannot be nested). */
  leftOut: { credentialId: string; achievementId: string; why: string }[];
  /** False in a workspace with per-credential salts: a verifier needs the learner's identifier to link the transcript. */
  linked: boolean;
}

/**
 * Makes a CLR 2.0 transcript for one learner from the register: every credential issued to them and still active
 * (their programme and its parts), read from the files the register recorded (each checked against the SHA-256
 * recorded at issue), signed with the workspace key and written to a new file (mode 0600, never over another).
 */
export async function makeTranscript(workspace: Workspace, who: string, options: { out?: string; format?: IssueFormat; name?: string } = {}): Promise<TranscriptResult> {
  let identity: LearnerIdentity | undefined;
  let records: IssuanceRecord[] = [];
  for (const candidate of identitiesFor(who)) {
    const found = await workspace.register.listIssued({ learnerRef: workspace.learnerRef(candidate) });
    if (found.length && identity) throw new MicrocredError('INVALID_INPUT', `${JSON.stringify(who)} is both a student ID and a national ID in the register; give the learner's email`);
    if (found.length) [identity, records] = [candidate, found];
  }
  if (!identity) throw new MicrocredError('INVALID_INPUT', `No credential in the register for learner ${JSON.stringify(who)}`, { path: '$.learner' });
  const leftOut: TranscriptResult['leftOut'] = [];
  const nested: { record: IssuanceRecord; credential: object }[] = [];
  for (const r of records) {
    const why = r.status.revoked ? 'revoked' : r.status.suspended ? 'suspended' : r.format === 'vc-jwt' ? 'a VC-JWT, which a CLR 2.0 cannot nest' : undefined;
    if (why) {
      leftOut.push({ credentialId: r.credentialId, achievementId: r.achievementId, why });
      continue;
    }
    const read = readRecordedFile(r);
    if ('why' in read) {
      const message = read.changed ? `${r.file} has changed since ${r.credentialId} was issued (its SHA-256 is not the one in the register); restore it before making a transcript` : `${r.credentialId} ${read.why}`;
      throw new MicrocredError('INVALID_INPUT', message, { path: '$.file' });
    }
    nested.push({ record: r, credential: JSON.parse(read.bytes.toString('utf8')) as object });
  }
  if (nested.length === 0) throw new MicrocredError('INVALID_INPUT', `No credential of learner ${JSON.stringify(who)} can go into a transcript (${leftOut.map((l) => `${l.achievementId.split('/').pop()}: ${l.why}`).join('; ')})`);
  if (nested.length > MAX_STACK_CREDENTIALS) throw new MicrocredError('INVALID_INPUT', `${nested.length} credentials; a transcript holds at most ${MAX_STACK_CREDENTIALS} (verifiers check no more)`);
  const salt = await workspace.register.learnerSalt(workspace.learnerRef(identity));
  const clr = buildClr({
    issuer: workspace.config.issuer,
    learner: learnerInputOf(identity, salt),
    credentials: nested.map((n) => n.credential),
    ...(options.name ? { name: options.name } : {}),
    ...(leftOut.length ? { partial: true } : {}),
  });
  const signed = await issue(clr, { key: workspace.key, format: options.format ?? 'eddsa-rdfc-2022' });
  const dir = options.out ? path.dirname(options.out) : path.join(workspace.dir, 'transcripts');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = options.out ?? path.join(dir, `${credentialFileBase('transcript', clr.id)}.${options.format === 'vc-jwt' ? 'jwt' : 'json'}`);
  writeNewFile(file, typeof signed === 'string' ? signed : JSON.stringify(signed, null, 2) + '\n', clr.id);
  return {
    file,
    id: clr.id,
    credentials: nested.map((n) => ({ credentialId: n.record.credentialId, achievementId: n.record.achievementId })),
    leftOut,
    linked: salt !== undefined || identity.type === 'did',
  };
}

/** `microcred transcript`: shaped like main.ts's commands, so main lists it. */
export const transcriptCommand = {
  summary: "make a learner's CLR 2.0 transcript (their programme and part credentials, signed) from the register",
  usage: 'microcred transcript -w <workspace> --learner <email|student id|national id|DID> [--out file.json] [--name "Transcript: …"] [--format eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt] [--json]',
  examples: ['microcred transcript -w ~/ut-office --learner mari@example.ee --out mari-transcript.json', 'microcred verify mari-transcript.json --status-dir ~/ut-office/status'],
  options: { learner: { type: 'string' }, out: { type: 'string', short: 'o' }, name: { type: 'string' }, format: { type: 'string' } } satisfies NonNullable<ParseArgsConfig['options']>,
  async run({ values }: { values: Record<string, unknown>; positionals: string[] }, out: Out): Promise<number> {
    if (!values.learner) {
      out.error(`transcript needs --learner\nusage: ${transcriptCommand.usage}`);
      return 2;
    }
    const format = ((values.format as string | undefined) ?? 'eddsa-rdfc-2022') as IssueFormat;
    if (!['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'].includes(format)) {
      out.error(`unknown --format ${format}\nusage: ${transcriptCommand.usage}`);
      return 2;
    }
    const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
    try {
      const result = await makeTranscript(workspace, values.learner as string, { format, ...(values.out ? { out: values.out as string } : {}), ...(values.name ? { name: values.name as string } : {}) });
      if (out.json) out.data(result);
      else {
        out.print(`Wrote the transcript ${result.file} (${result.credentials.length} credential${result.credentials.length === 1 ? '' : 's'})`);
        for (const l of result.leftOut) out.print(`  left out ${l.credentialId} (${l.achievementId.split('/').pop()}): ${l.why}`);
        if (!result.linked) out.print('  Note: this workspace salts each credential afresh, so a verifier needs the learner\'s identifier to link the transcript (verify … --learner <email>)');
      }
      return 0;
    } finally {
      await workspace.close();
    }
  },
};
