import fs from 'node:fs';
import type { Profile } from '../model/ob';
import { locateRecordedFile } from './recorded-path';
import type { ProgrammeDefinition } from '../builders/programme';
import type { LearnerInput } from '../builders/inputs';
import { MicrocredError, isMicrocredError, type Problem } from '../errors';
import { awardProgramme, type ProgrammeCredential } from '../stack/award-programme';
import type { StackPartInput } from '../stack/verify-stack';
import { credentialHash, type IssuanceRecord } from './register';
import { isSupersededSigning } from './superseded-signing';
import type { Workspace } from './workspace';

/**
 * A learner's part credentials for a programme, as the register knows them: for each part, the issued credential
 * recorded for this learner ({@link readIssuedBytes}). The register vouches for a credential (`verified: true`) only
 * when the bytes read are the bytes recorded at issue (the SHA-256 in the register) and the register does not
 * list it as revoked or suspended; otherwise the part is left out with a plain reason.
 */
export async function partsFromRegister(
  workspace: Workspace,
  programme: ProgrammeDefinition,
  learnerRef: string,
): Promise<{ parts: StackPartInput[]; records: IssuanceRecord[]; problems: Problem[]; excluded: string[] }> {
  const records = await workspace.register.listIssued({ learnerRef });
  const parts: StackPartInput[] = [];
  const used: IssuanceRecord[] = [];
  const problems: Problem[] = [];
  const excluded: string[] = [];
  for (const part of programme.parts) {
    // One record per learner and part: the register's idempotency key is (learner, achievement).
    const record = records.find((r) => r.achievementId === part.id);
    if (!record) continue; // awardProgramme names the missing part
    const read = record.status.revoked
      ? { why: 'is revoked in the register' }
      : record.status.suspended
        ? { why: 'is suspended in the register' }
        : await readIssuedBytes(workspace, record);
    if ('why' in read) {
      excluded.push(part.id);
      problems.push({
        code: 'INVALID_CREDENTIAL',
        path: '$.parts',
        message: `"${part.title}" (${record.credentialId}) ${read.why}`,
      });
      continue;
    }
    // The bytes vouched for are the bytes whose hash was just checked: the file is not read a second time.
    parts.push({ credential: read.bytes.toString('utf8'), verified: true });
    used.push(record);
  }
  return { parts, records: used, problems, excluded };
}

/**
 * The bytes of an issued credential's file, read once, when they are still the bytes recorded at issue (the SHA-256
 * in the register); otherwise why not, in plain words (`changed` says the file is there but differs).
 */
export function readRecordedFile(
  workspaceDir: string,
  record: IssuanceRecord,
): { bytes: Buffer; file: string } | { why: string; changed?: true; found?: Buffer } {
  if (!record.file) return { why: 'has no file recorded in the register' };
  const { file, note } = locateRecordedFile(workspaceDir, record.file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return {
      why: `cannot be read from ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}${note ? `; ${note}` : ''}); restore the file`,
    };
  }
  if (credentialHash(bytes) !== record.credentialHash)
    return {
      why: `has changed in ${file} since it was issued (its SHA-256 is not the one in the register)`,
      changed: true,
      found: bytes,
    };
  return { bytes, file };
}

/**
 * The bytes of an issued credential for the registrar's commands: its file, when that still holds the bytes
 * recorded at issue; otherwise, when the file is not here (another server issued it, or no file was recorded), the
 * register's own copy, checked against the same SHA-256. A file that is here but changed is not passed over: that
 * is for the registrar to look into, so it stays a reason, as do kept bytes that fail their check. The one change
 * that is not a reason is a crash's leftover: an earlier signing of the same claims, which this server wrote before
 * another server completed the issue with its own ({@link isSupersededSigning}); the register's copy is read then.
 */
export async function readIssuedBytes(
  workspace: Workspace,
  record: IssuanceRecord,
): Promise<{ bytes: Buffer; file?: string } | { why: string; changed?: true }> {
  const read = readRecordedFile(workspace.dir, record);
  if (!('why' in read)) return read;
  const reason = read.changed ? { why: read.why, changed: true as const } : { why: read.why };
  let kept: Uint8Array | undefined;
  try {
    kept = await workspace.register.issuedCredential(record.credentialId);
  } catch (e) {
    if (isMicrocredError(e) && e.code === 'REGISTER_INCONSISTENT')
      return read.changed
        ? reason
        : { why: `${read.why}, and its copy in the register does not have the SHA-256 recorded at issue` };
    throw e;
  }
  if (read.changed)
    return kept && read.found && (await isSupersededSigning(read.found, kept, record.credentialId, workspace.key))
      ? { bytes: Buffer.from(kept) }
      : reason;
  return kept ? { bytes: Buffer.from(kept) } : reason;
}

/**
 * The awarding rule for a register's programme row: the programme credential (unsigned) from the learner's part
 * credentials in the register, or a `PROGRAMME_NOT_EARNED` error listing every reason in plain words (which parts
 * are missing, failed, revoked or changed), one line per reason.
 */
export async function awardProgrammeFromRegister(
  workspace: Workspace,
  programme: ProgrammeDefinition,
  options: {
    learnerRef: string;
    learner: LearnerInput;
    awardedOn?: string;
    id?: string;
    credentialStatus?: { type: string };
    issuer?: Profile;
  },
): Promise<ProgrammeCredential> {
  const { parts, problems, excluded } = await partsFromRegister(workspace, programme, options.learnerRef);
  try {
    const credential = await awardProgramme(programme, {
      issuer: options.issuer ?? workspace.config.issuer,
      learner: options.learner,
      parts,
      ...(options.awardedOn ? { awardedOn: options.awardedOn } : {}),
      ...(options.id ? { id: options.id } : {}),
      ...(options.credentialStatus ? { credentialStatus: options.credentialStatus } : {}),
    });
    if (problems.length === 0) return credential;
  } catch (e) {
    if (!isMicrocredError(e) || e.code !== 'PROGRAMME_NOT_EARNED') throw e;
    // A part left out above is reported once, with its own reason, not again as missing.
    problems.push(
      ...e.problems.filter((p) => !(p.code === 'PART_MISSING' && excluded.some((id) => p.message.includes(id)))),
    );
  }
  // The registrar reads courses by title; the library's positions in its parts list ("($.parts[1])") mean nothing here.
  const reasons = problems.map((p) => p.message.replace(/ \(\$\.parts\[\d+\]\)/g, ''));
  throw new MicrocredError(
    'PROGRAMME_NOT_EARNED',
    `the programme "${programme.title}" is not earned: ${reasons.join('; ')}`,
    { problems: problems.map((p, i) => ({ ...p, message: reasons[i]! })) },
  );
}
