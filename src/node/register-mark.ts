import path from 'node:path';
import { MicrocredError } from '../errors';
import type { IssuanceRecord, IssuanceRegister } from './register';
import { readWorkspaceRecord, writeWorkspaceRecord } from './workspace-record';

/** The file, in the workspace folder, recording how far each status list of the register has been seen to reach. */
export const REGISTER_MARK = '.microcred-register-mark.json';

/**
 * A witness the register cannot rewrite: per status list, the highest number of indexes handed out that this
 * workspace folder has seen, and the credential whose reservation reached it. A register restored from an old backup
 * (of register.sqlite or of the database) after more credentials were issued has forgotten them and would hand their
 * status indexes out again. It is caught because it does not know the credential the mark names (nothing is ever
 * deleted from a register), and issuing is refused. The mark is written after the reservation commits and before the credential is signed, written
 * or handed out, so a crash in between leaves the mark behind the register, naming a credential the register still
 * holds (nothing is ever deleted from it): accepted, the safe side. With several servers sharing one PostgreSQL
 * register, each folder's mark says only what that server saw, and the shared register holds all of it. Named by a
 * digest of the workspace identity, so a mark copied from another workspace is ignored.
 */
interface Mark {
  /** The register's count of indexes handed out of the list, after the reservation that set this mark. */
  allocated: number;
  /** The credential that reservation was for. */
  credentialId: string;
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
  for (const [id, mark] of Object.entries(lists)) {
    const { allocated, credentialId } = (typeof mark === 'object' && mark !== null ? mark : {}) as Partial<Mark>;
    if (
      typeof allocated === 'number' &&
      Number.isSafeInteger(allocated) &&
      allocated > 0 &&
      typeof credentialId === 'string'
    )
      marks[id] = { allocated, credentialId };
  }
  return marks;
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
  if (seen && !(listAllocated > seen.allocated && lastMarked.get(register)?.get(listId) === seen.credentialId)) {
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
  marks[listId] = { allocated: listAllocated, credentialId: reservation.credentialId };
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
      `Could not record in ${file} how far the register has handed out status indexes: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
