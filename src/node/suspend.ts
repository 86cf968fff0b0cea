import { MicrocredError } from '../errors';
import type { SetStatusResult } from './register';
import { holdWorkspaceToMark, markStatusChange } from './register-mark';
import { programmesAwardedOn, type RevocationResult } from './revoke';
import type { Workspace } from './workspace';

/** The reason recorded on a programme suspended because one of its parts was: how a reinstatement recognises it. */
const CASCADE_PREFIX = 'a part it was awarded on (';

/** What `suspendCredential` did: the credential's own change, and each programme credential changed (or kept) with it. */
export interface SuspensionResult {
  credentialId: string;
  result: SetStatusResult;
  /** Programme credentials awarded on this credential, suspended or reinstated with it. */
  programmes: Array<{ credentialId: string; achievementId: string; result: SetStatusResult }>;
  /**
   * On a reinstatement: programme credentials awarded on this credential that stay suspended, and why (suspended in
   * their own right, or another of their parts is still suspended).
   */
  keptSuspended: Array<{ credentialId: string; achievementId: string; why: string }>;
  /** Programme credentials of the same learner whose file could not be read to tell; the registrar decides. */
  unchecked: RevocationResult['unchecked'];
}

/**
 * Suspends a credential in the register (`value: true`) or lifts its suspension (`value: false`), and with it every
 * programme credential the register awarded on it: a programme stands on its parts, so while a part is suspended
 * (an appeal, an investigation) the programme is too. Lifting the part's suspension lifts a programme's only when the
 * programme was suspended because of a part (its recorded reason says so) and none of its other parts is still
 * suspended; a programme suspended in its own right stays suspended. Idempotent, as `revokeCredential` is, and
 * refused on a register older than the workspace folder as it is.
 */
export async function suspendCredential(
  workspace: Workspace,
  change: { credentialId: string; value: boolean; reason: string; actor?: string },
): Promise<SuspensionResult> {
  const { register } = workspace;
  await holdWorkspaceToMark(workspace, 'status change');
  const record = await register.findByCredentialId(change.credentialId);
  if (!record)
    throw new MicrocredError('INVALID_INPUT', `No credential ${change.credentialId} in the register`, {
      path: '$.credentialId',
    });
  const actor = change.actor ? { actor: change.actor } : {};
  // Suspended already, but only because of a part: this suspension is recorded too, so that reinstating the part
  // (which lifts only what a part caused) leaves it suspended.
  const restate = change.value && (await suspendedBecauseOfAPart(workspace, change.credentialId));
  const result = await register.setStatus({
    credentialId: change.credentialId,
    purpose: 'suspension',
    value: change.value,
    reason: change.reason,
    ...actor,
    ...(restate ? { restate } : {}),
  });
  // Marked once the programmes have changed too (see markStatusChange).
  const done = [{ record, result }];
  const out: SuspensionResult = {
    credentialId: change.credentialId,
    result,
    programmes: [],
    keptSuspended: [],
    unchecked: [],
  };
  const { programmes, unchecked } = await programmesAwardedOn(workspace, record);
  out.unchecked.push(...unchecked);
  for (const { record: programme, parts } of programmes) {
    const named = { credentialId: programme.credentialId, achievementId: programme.achievementId };
    if (change.value) {
      const reason = `${CASCADE_PREFIX}${change.credentialId}) was suspended: ${change.reason}`;
      const r = await register.setStatus({ ...named, purpose: 'suspension', value: true, reason, ...actor });
      done.push({ record: programme, result: r });
      out.programmes.push({ ...named, result: r });
      continue;
    }
    if (!(await register.currentStatus(programme.credentialId)).suspended) continue;
    if (!(await suspendedBecauseOfAPart(workspace, programme.credentialId))) {
      out.keptSuspended.push({ ...named, why: 'it was suspended in its own right' });
      continue;
    }
    const stillSuspended: string[] = [];
    for (const id of parts)
      if (id !== change.credentialId && (await register.findByCredentialId(id)))
        if ((await register.currentStatus(id)).suspended) stillSuspended.push(id);
    if (stillSuspended.length > 0) {
      out.keptSuspended.push({
        ...named,
        why: `another of its parts is still suspended (${stillSuspended.join(', ')})`,
      });
      continue;
    }
    const reason = `${CASCADE_PREFIX}${change.credentialId}) was reinstated: ${change.reason}`;
    const r = await register.setStatus({ ...named, purpose: 'suspension', value: false, reason, ...actor });
    done.push({ record: programme, result: r });
    out.programmes.push({ ...named, result: r });
  }
  markStatusChange(workspace, done);
  return out;
}

/** Whether the credential is suspended and its last suspension was recorded because of a part (not in its own right). */
async function suspendedBecauseOfAPart(workspace: Workspace, credentialId: string): Promise<boolean> {
  if (!(await workspace.register.currentStatus(credentialId)).suspended) return false;
  const history = await workspace.register.statusHistory(credentialId);
  return (
    history
      .filter((c) => c.purpose === 'suspension')
      .at(-1)
      ?.reason.startsWith(CASCADE_PREFIX) === true
  );
}
