import { MicrocredError } from '../errors';
import { readIssuedBytes } from './programme-parts';
import type { IssuanceRecord, SetStatusResult } from './register';
import { holdWorkspaceToMark, markStatusChange } from './register-mark';
import type { Workspace } from './workspace';

/** What `revokeCredential` did: the credential's own change, and each programme credential revoked with it. */
export interface RevocationResult {
  credentialId: string;
  result: SetStatusResult;
  /** Programme credentials the register awarded on this credential (it is among their parts), revoked with it. */
  programmes: Array<{ credentialId: string; achievementId: string; result: SetStatusResult }>;
  /**
   * Programme credentials of the same learner whose file could not be read to tell whether they were awarded on
   * this credential (missing, changed since issue): not revoked; the registrar decides. Each with the reason.
   */
  unchecked: Array<{ credentialId: string; achievementId: string; why: string }>;
}

/**
 * Revokes a credential in the register and, with it, every programme credential the register awarded on it: a
 * programme stands on its parts, so a part revoked later (misconduct found after the award) takes the programme with
 * it. A programme is found by its file in the register (the bytes recorded at issue), which names its parts by
 * credential id in `relatedResource`. Each programme's revocation is recorded with its own reason naming the part.
 * Idempotent: a retried revocation records nothing new and still reports the programmes. Refused
 * (REGISTER_INCONSISTENT) on a register older than the workspace folder (restored from an old backup): a revocation
 * recorded there would sit beside the revocations it has forgotten, and a list published from it would lack them.
 */
export async function revokeCredential(
  workspace: Workspace,
  change: { credentialId: string; reason: string; actor?: string },
): Promise<RevocationResult> {
  const { register } = workspace;
  await holdWorkspaceToMark(workspace, 'status change');
  const record = await register.findByCredentialId(change.credentialId);
  if (!record)
    throw new MicrocredError('INVALID_INPUT', `No credential ${change.credentialId} in the register`, {
      path: '$.credentialId',
    });
  const result = await register.setStatus({
    credentialId: change.credentialId,
    purpose: 'revocation',
    value: true,
    reason: change.reason,
    ...(change.actor ? { actor: change.actor } : {}),
  });
  // Marked once the programmes have changed too (see markStatusChange).
  const done = [{ record, result }];
  const out: RevocationResult = { credentialId: change.credentialId, result, programmes: [], unchecked: [] };
  const { programmes, unchecked } = await programmesAwardedOn(workspace, record);
  out.unchecked.push(...unchecked);
  for (const { record: other } of programmes) {
    const reason = `a part it was awarded on (${change.credentialId}) was revoked: ${change.reason}`;
    const programme = await register.setStatus({
      credentialId: other.credentialId,
      purpose: 'revocation',
      value: true,
      reason,
      ...(change.actor ? { actor: change.actor } : {}),
    });
    done.push({ record: other, result: programme });
    out.programmes.push({ credentialId: other.credentialId, achievementId: other.achievementId, result: programme });
  }
  markStatusChange(workspace, done);
  return out;
}

/** A programme credential of the register and the part credential ids it names. */
export interface ProgrammeOnPart {
  record: IssuanceRecord;
  parts: string[];
}

/**
 * The programme credentials the register awarded on this credential (same learner, naming it among their parts in
 * `relatedResource`), and those of the same learner whose file could not be read to tell.
 */
export async function programmesAwardedOn(
  workspace: Workspace,
  part: IssuanceRecord,
): Promise<{ programmes: ProgrammeOnPart[]; unchecked: RevocationResult['unchecked'] }> {
  const programmes: ProgrammeOnPart[] = [];
  const unchecked: RevocationResult['unchecked'] = [];
  for (const other of await workspace.register.listIssued({ learnerRef: part.learnerRef })) {
    if (other.credentialId === part.credentialId) continue;
    const parts = await partsNamedBy(workspace, other);
    if (parts === undefined) continue;
    if ('why' in parts) {
      unchecked.push({ credentialId: other.credentialId, achievementId: other.achievementId, why: parts.why });
      continue;
    }
    if (parts.ids.includes(part.credentialId)) programmes.push({ record: other, parts: parts.ids });
  }
  return { programmes, unchecked };
}

/**
 * The part credential ids a programme credential names (its `relatedResource`), read from its recorded file (or the
 * register's copy when the file is not here);
 * undefined for a credential that names none (not a programme), or why it could not be read.
 */
async function partsNamedBy(
  workspace: Workspace,
  record: IssuanceRecord,
): Promise<{ ids: string[] } | { why: string } | undefined> {
  const read = await readIssuedBytes(workspace, record);
  if ('why' in read) return read.changed || record.file ? { why: `the credential ${read.why}` } : undefined;
  let credential: unknown;
  try {
    const text = read.bytes.toString('utf8').trim();
    // A VC-JWT file: the payload's vc claim.
    credential = text.startsWith('{')
      ? JSON.parse(text)
      : (JSON.parse(Buffer.from(text.split('.')[1] ?? '', 'base64url').toString('utf8')) as { vc?: unknown }).vc;
  } catch {
    return { why: 'its file is not a credential that can be read' };
  }
  const related = (credential as { relatedResource?: unknown } | undefined)?.relatedResource;
  if (related === undefined) return undefined;
  const ids = (Array.isArray(related) ? related : [related])
    .map((r) => (typeof r === 'object' && r !== null ? (r as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string');
  return { ids };
}
