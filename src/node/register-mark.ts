import path from 'node:path';
import { MicrocredError } from '../errors';
import type { IssuanceRecord, IssuanceRegister, SetStatusResult, StatusChange } from './register';
import { workspaceIdentity, type Workspace } from './workspace';
import { readWorkspaceRecord, writeWorkspaceRecord } from './workspace-record';

/** The file, in the workspace folder, recording how far each status list of the register has been seen to reach. */
export const REGISTER_MARK = '.microcred-register-mark.json';

/**
 * A witness the register cannot rewrite: per status list, the highest number of indexes handed out that this
 * workspace folder has seen, and the credential whose reservation reached it; and the last status change (revocation,
 * suspension, reinstatement) recorded from this folder for a credential of the list. A register restored from an old
 * backup (of register.sqlite or of the database) has forgotten what was done since: credentials issued, whose status
 * indexes it would hand out again, and status changes, which a list it publishes would lack (a revocation undone). It
 * is caught because it does not know the credential, or the change, the mark names (nothing is ever deleted from a
 * register, and its status history is append-only), and issuing, changing a status or publishing is refused. The mark
 * is written after the register commits and before the credential is signed, written or handed out, so a crash in
 * between leaves the mark behind the register, naming something the register still holds: accepted, the safe side.
 * With several servers sharing one PostgreSQL register, each folder's mark says only what that server saw, and the
 * shared register holds all of it. Named by a digest of the workspace identity, so a mark copied from another
 * workspace is ignored.
 */
interface Mark {
  /** The register's count of indexes handed out of the list, after the reservation that set this mark. */
  allocated?: number;
  /** The credential that reservation was for. */
  credentialId?: string;
  /** The last status change recorded from this folder for a credential of the list. */
  changed?: MarkedChange;
}
/** A status change as the register recorded it: its place in the register's history, its time, what it set. */
interface MarkedChange {
  credentialId: string;
  seq: number;
  at: string;
  purpose: string;
  value: boolean;
}
type Marks = Record<string, Mark>;

/** Per open register: the credential whose reservation it last wrote into a mark, per list. */
const lastMarked = new WeakMap<object, Map<string, string>>();

/** The kind of workspace record this is (see ./workspace-record.ts); it salts the workspace's digest. */
const KIND = 'register mark';

/** The folder's marks for this workspace; empty when there are none, they are unreadable, or another workspace's. */
export function readRegisterMark(dir: string, identity: string): Marks {
  const marks: Marks = Object.create(null) as Marks;
  const lists = readWorkspaceRecord(path.join(dir, REGISTER_MARK), KIND, identity);
  if (typeof lists !== 'object' || lists === null || Array.isArray(lists)) return marks;
  for (const [id, entry] of Object.entries(lists)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { allocated, credentialId, changed } = entry as Partial<Record<keyof Mark, unknown>>;
    const mark: Mark = {};
    if (
      typeof allocated === 'number' &&
      Number.isSafeInteger(allocated) &&
      allocated > 0 &&
      typeof credentialId === 'string'
    )
      Object.assign(mark, { allocated, credentialId });
    const change = markedChange(changed);
    if (change) mark.changed = change;
    if (mark.credentialId !== undefined || mark.changed) marks[id] = mark;
  }
  return marks;
}

function markedChange(value: unknown): MarkedChange | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { credentialId, seq, at, purpose, value: set } = value as Partial<Record<keyof MarkedChange, unknown>>;
  return typeof credentialId === 'string' &&
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    typeof at === 'string' &&
    typeof purpose === 'string' &&
    typeof set === 'boolean'
    ? { credentialId, seq, at, purpose, value: set }
    : undefined;
}

/** What the register was asked to do when it was found older than the folder: the refusal (or warning) says what was not done. */
export type RefusedOperation = 'issue' | 'status change' | 'publication' | 'listing';

const NOTHING_DONE: Record<RefusedOperation, string> = {
  issue: 'Nothing was issued.',
  'status change': 'Nothing was revoked, suspended or reinstated.',
  publication: 'No status list was published; the lists already published stay as they are.',
  listing:
    'The list below is what that old register holds: credentials issued and statuses changed since are missing from it.',
};

function olderThanMark(dir: string, forgotten: string, operation: RefusedOperation): MicrocredError {
  return new MicrocredError(
    'REGISTER_INCONSISTENT',
    `The register is older than this workspace: it does not know ${forgotten}. ` +
      'It was probably restored from an old backup, and it has forgotten what was done since: credentials issued (whose status indexes it would hand out again), revocations and suspensions (which its status lists would leave out). ' +
      `${NOTHING_DONE[operation]} Restore the register from the latest backup (this workspace's record of it is ${path.join(dir, REGISTER_MARK)}).`,
    { path: '$.register' },
  );
}

/**
 * Why the workspace's register is older than its folder's mark (see {@link Mark}): a credential issued, or a status
 * change recorded, from this folder that the register does not know. Undefined when it knows all the mark names (or
 * there is no mark). One lookup per status list the mark names, two for a list with a status change.
 */
export async function registerOlderThanMark(
  dir: string,
  identity: string,
  register: Pick<IssuanceRegister, 'findByCredentialId' | 'statusHistory'>,
  operation: RefusedOperation,
): Promise<MicrocredError | undefined> {
  for (const [listId, mark] of Object.entries(readRegisterMark(dir, identity))) {
    if (mark.credentialId !== undefined && (await register.findByCredentialId(mark.credentialId))?.listId !== listId)
      return olderThanMark(
        dir,
        `${mark.credentialId}, which this workspace issued with an index of ${listId}`,
        operation,
      );
    const change = mark.changed;
    if (change === undefined) continue;
    const known =
      (await register.findByCredentialId(change.credentialId)) !== undefined &&
      (await register.statusHistory(change.credentialId)).some(
        (c) => c.seq === change.seq && c.at === change.at && c.purpose === change.purpose && c.value === change.value,
      );
    if (!known)
      return olderThanMark(
        dir,
        `the ${change.purpose === 'revocation' ? 'revocation' : change.value ? 'suspension' : 'reinstatement'} of ${change.credentialId} recorded from this workspace at ${change.at}`,
        operation,
      );
  }
  return undefined;
}

/**
 * Raises the mark of each list to the last of these status changes the register just recorded (a credential's
 * changes, or a programme's with its part's), so a register restored from before them is refused (see
 * {@link registerOlderThanMark}). A change below the one the mark names already (recorded at the same time by
 * another process) leaves the mark as it is.
 */
export function markStatusChanges(
  dir: string,
  identity: string,
  changes: ReadonlyArray<{ listId: string | undefined; change: StatusChange }>,
): void {
  const marks = readRegisterMark(dir, identity);
  let raised = false;
  for (const { listId, change } of changes) {
    if (listId === undefined) continue;
    const mark = (marks[listId] ??= {});
    if (mark.changed && mark.changed.seq >= change.seq) continue;
    mark.changed = {
      credentialId: change.credentialId,
      seq: change.seq,
      at: change.at,
      purpose: change.purpose,
      value: change.value,
    };
    raised = true;
  }
  if (!raised) return;
  try {
    writeMark(dir, identity, marks);
  } catch (e) {
    throw new MicrocredError(
      'REGISTER_UNAVAILABLE',
      `The change is recorded in the register, but this workspace could not note it in its record of the register: ${(e as Error).message}. Make the workspace folder writable; the change need not be made again`,
      { cause: e },
    );
  }
}

/**
 * Marks the changes these status changes recorded (nothing for one that recorded none). Called once, after a change
 * and every programme change it cascades to: a mark that cannot be written then fails the call only when the register
 * holds the whole change, so "the change need not be made again" is true.
 */
export function markStatusChange(
  workspace: Workspace,
  done: ReadonlyArray<{
    record: Pick<IssuanceRecord, 'listId'>;
    result: Pick<SetStatusResult, 'recorded' | 'change'>;
  }>,
): void {
  const changes = done.flatMap(({ record, result }) =>
    result.recorded && result.change ? [{ listId: record.listId, change: result.change }] : [],
  );
  if (changes.length) markStatusChanges(workspace.dir, workspaceIdentity(workspace.config), changes);
}

/** {@link registerOlderThanMark} for an open workspace: its folder's mark against its register. */
export function registerOlderThanWorkspace(
  workspace: Workspace,
  operation: RefusedOperation,
): Promise<MicrocredError | undefined> {
  return registerOlderThanMark(workspace.dir, workspaceIdentity(workspace.config), workspace.register, operation);
}

/** Throws REGISTER_INCONSISTENT when the workspace's register is older than its folder's mark. */
export async function holdWorkspaceToMark(workspace: Workspace, operation: RefusedOperation): Promise<void> {
  const older = await registerOlderThanWorkspace(workspace, operation);
  if (older) throw older;
}

/**
 * Holds a reservation the register just made to the folder's mark and raises the mark to it. A reservation handed
 * back (a resumed or already issued one) carries no count and passes: its index was handed out before.
 * Throws REGISTER_INCONSISTENT when the register does not hold the credential the mark names: nothing is ever deleted
 * from a register, so it is older than the folder. The lookup is skipped when the register's count is past the mark
 * and the mark is the one this register object set last (it held that credential a moment ago, and a register put
 * back under a running process would count less, not more). Reservations made at the same time, in this process or
 * another on the same folder, may hold the mark in another order than they committed: a count at or below the mark
 * is then looked up, never refused for the count alone, and never lowers the mark.
 */
export async function holdToRegisterMark(
  dir: string,
  identity: string,
  register: Pick<IssuanceRegister, 'findByCredentialId'>,
  reservation: IssuanceRecord,
): Promise<void> {
  const { listId, listAllocated } = reservation;
  if (listId === undefined || listAllocated === undefined) return;
  let marks = readRegisterMark(dir, identity);
  const seen = marks[listId];
  if (
    seen?.credentialId !== undefined &&
    !(listAllocated > (seen.allocated ?? 0) && lastMarked.get(register)?.get(listId) === seen.credentialId)
  ) {
    const known = await register.findByCredentialId(seen.credentialId);
    if (known?.listId !== listId) {
      // For the registrar first (what happened, what to do); the ids and counts after, for whoever restores it.
      const technical =
        `The register does not know ${seen.credentialId}, which this workspace issued with a status entry on the list ` +
        `${listId}; the register has handed out ${listAllocated} entries of that list, this workspace had seen ${seen.allocated} ` +
        `(its record: ${path.join(dir, REGISTER_MARK)}).`;
      throw new MicrocredError(
        'REGISTER_INCONSISTENT',
        'Nothing was issued: the register is older than this workspace. It was probably restored from an old backup, ' +
          'and it has forgotten the credentials issued since, so a new credential could share the status entry of one ' +
          'already issued (revoking or suspending one would do it to both). Restore the register from the latest backup, then issue ' +
          `again. Technical detail: ${technical}`,
        { path: '$.listId', problems: [{ code: 'REGISTER_INCONSISTENT', path: '$.listId', message: technical }] },
      );
    }
    // Read again after the lookup: another reservation of this process may have raised the mark meanwhile.
    marks = readRegisterMark(dir, identity);
  }
  if ((marks[listId]?.allocated ?? 0) >= listAllocated) return;
  marks[listId] = { ...marks[listId], allocated: listAllocated, credentialId: reservation.credentialId };
  writeMark(dir, identity, marks);
  let own = lastMarked.get(register);
  if (!own) lastMarked.set(register, (own = new Map()));
  own.set(listId, reservation.credentialId);
}

function writeMark(dir: string, identity: string, marks: Marks): void {
  const file = path.join(dir, REGISTER_MARK);
  const lists = Object.fromEntries(Object.entries(marks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  try {
    writeWorkspaceRecord(file, KIND, identity, lists, 0o600);
  } catch (e) {
    throw new MicrocredError(
      'REGISTER_UNAVAILABLE',
      `Could not write ${file}, this workspace's record of what its register holds: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
