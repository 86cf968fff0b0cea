import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { MicrocredError } from '../errors';
import { issue } from '../issue';
import { decodeBitstring, type Bitstring } from '../status/bitstring';
import { statusListCredential } from '../status/credential';
import { holdWorkspaceToMark } from './register-mark';
import { syncDir } from './sync-dir';
import { forgetStatusFolderList, readStatusFolderWitness, recordStatusFolderWitness } from './status-folder-witness';
import { workspaceIdentity, type Workspace } from './workspace';

/** The file operations publishing uses; replaceable so tests can fail any one of them (a full disk, a kill). */
export interface PublishIo {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, data: Uint8Array) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
  readFileSync: (file: string) => Buffer;
  rmSync: typeof fs.rmSync;
}

/** Options of `publishStatusLists`: the folder to write to, and the file-system functions it uses. */
export interface PublishOptions {
  /** Where to write `<last URL segment>.json` for each list; default `<workspace>/status`. */
  outDir?: string;
  /** For tests: the file operations to use. */
  io?: PublishIo;
  /** The lists' validFrom (default now). */
  now?: Date;
  /**
   * How long each published list is valid, in seconds (default 48 hours): its validUntil is `now` plus this. A copy
   * kept past it fails for every verifier, so republish well within it (docs/cli.md has a cron line).
   */
  validForSeconds?: number;
  /**
   * Publish even when the list would clear a revocation bit the last published list had set, the last published
   * file is missing, unreadable or another workspace's, or the register is older than the workspace folder (it does
   * not know a credential issued, or a status change recorded, from it). Only after restoring on purpose: a
   * revocation is final.
   */
  force?: boolean;
}

/** The default validity of a published status list: 48 hours. */
export const STATUS_LIST_VALIDITY_SECONDS = 48 * 3600;

/** One status list credential written by `publishStatusLists`: its file, the URL to serve it at, and how many entries are set. */
export interface PublishedList {
  file: string;
  /** The URL the file must be served at. */
  hostAt: string;
  /** Entries set (revoked or suspended) in the published list. */
  set: number;
  /** The list's validUntil: republish before then. */
  validUntil: string;
}

const realIo: PublishIo = {
  openSync: fs.openSync,
  writeSync: (fd, data) => fs.writeSync(fd, data),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  readFileSync: (file) => fs.readFileSync(file),
  rmSync: fs.rmSync,
};

/**
 * Signs and writes every status list of the workspace, each atomically: the signed list goes to a temporary file
 * in the same folder, is synced to disk, read back and checked (it parses, and its bits are the register's), and
 * only then renamed over the published name, after which the folder is synced. A full disk, a crash or a kill at
 * any point leaves the previous complete list (or none), never a truncated or wrong one; the error says so. Unless
 * forced, a register older than the workspace folder (restored from an old backup: it has forgotten revocations and
 * suspensions recorded since) is refused with REGISTER_INCONSISTENT before anything is signed.
 */
export async function publishStatusLists(workspace: Workspace, options: PublishOptions = {}): Promise<PublishedList[]> {
  const io = options.io ?? realIo;
  const { config, register, key } = workspace;
  const dir = options.outDir ?? path.join(workspace.dir, 'status');
  const validFor = options.validForSeconds ?? STATUS_LIST_VALIDITY_SECONDS;
  if (!Number.isSafeInteger(validFor) || validFor < 60)
    throw new MicrocredError(
      'INVALID_INPUT',
      `validForSeconds must be a whole number of seconds, at least 60; got ${String(validFor)}`,
      { path: '$.validForSeconds' },
    );
  if (!options.force) await holdWorkspaceToMark(workspace, 'publication');
  const now = options.now ?? new Date();
  const validFrom = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const validUntil = new Date(validFrom.getTime() + validFor * 1000);
  fs.mkdirSync(dir, { recursive: true });
  const lists = await workspace.statusLists();
  const planned: Array<{ list: (typeof lists)[number]; bits: Bitstring; file: string }> = [];
  const identity = workspaceIdentity(config);
  const witness = readStatusFolderWitness(dir, identity);
  // Only where several servers share the register (PostgreSQL) can another server's folder hold a list this one never
  // did; a workspace on its own register file has one folder, held to the strict rule.
  const folder: FolderEvidence = config.registerDatabase
    ? { heldHere: witness?.lists, severalServers: true }
    : { heldHere: undefined, severalServers: false };
  // Every list is checked before any is written: a refusal leaves the folder as it was.
  for (const list of lists) {
    const bits = await register.bitstring(list.id);
    const file = path.join(dir, `${list.id.split('/').pop()}.json`);
    if (!options.force) await checkAgainstLastPublished(workspace, list, bits, file, folder);
    planned.push({ list, bits, file });
  }
  const published: PublishedList[] = [];
  for (const { list, bits, file } of planned) {
    const unsigned = await statusListCredential({
      id: list.id,
      issuer: config.did,
      purpose: list.purpose,
      bitstring: bits,
      validFrom,
      validUntil,
    });
    const signed = await issue(unsigned as unknown as Record<string, unknown>, { key });
    const content = Buffer.from(JSON.stringify(signed, null, 2) + '\n', 'utf8');
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = io.openSync(tmp, 'wx', 0o644);
      try {
        for (let at = 0; at < content.length; ) at += io.writeSync(fd, content.subarray(at));
        io.fsyncSync(fd);
      } finally {
        io.closeSync(fd);
      }
      await checkWritten(io.readFileSync(tmp), content, bits.bytes, tmp);
      await recordStatusFolderWitness(dir, identity, [list.id]);
      io.renameSync(tmp, file);
    } catch (e) {
      try {
        io.rmSync(tmp, { force: true });
      } catch {
        // the temporary file is harmless; the published name was not touched
      }
      // Recorded for this attempt and never put in place: not a list this folder held.
      if (!witness?.lists.includes(list.id) && !fs.existsSync(file)) {
        try {
          await forgetStatusFolderList(dir, identity, list.id);
        } catch {
          // the record then names a list the folder lacks: later publications refuse, which is the safe side
        }
      }
      throw new MicrocredError(
        'STATUS_ERROR',
        `Could not publish ${list.id}: ${(e as Error).message}. The previously published ${path.basename(file)} is unchanged; fix the cause (disk space?) and publish again`,
        { cause: e },
      );
    }
    syncDir(dir);
    await checkWritten(fs.readFileSync(file), content, bits.bytes, file);
    const set = countSet(bits.bytes);
    await register.recordPublication({
      listId: list.id,
      validUntil: unsigned.validUntil!,
      setCount: set,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    published.push({ file, hostAt: list.id, set, validUntil: unsigned.validUntil! });
  }
  return published;
}

function countSet(bytes: Uint8Array): number {
  let set = 0;
  for (const byte of bytes) for (let b = byte; b; b &= b - 1) set++;
  return set;
}

/** What a status folder says of itself, for the guard below. */
interface FolderEvidence {
  /** The lists the folder's record says it has held a published file of; undefined: no usable record, or one folder (strict). */
  heldHere: readonly string[] | undefined;
  /** Whether the register is shared by several servers (PostgreSQL), each with a folder of its own. */
  severalServers: boolean;
}

/**
 * A revocation is final, so a revocation list never has fewer bits set than the one published before it: fewer
 * means the register is not the one that published it (restored from an old backup, another office's), and
 * publishing would un-revoke. The last published file must be there and this workspace's whenever the register
 * says the list was published, as the register itself must be, unless the folder's own record says it never held
 * that list (another server of the issuer published it into its own folder: status-folder-witness.ts). Suspension
 * bits may clear (reinstatement).
 */
async function checkAgainstLastPublished(
  workspace: Workspace,
  list: { id: string; purpose: string },
  bits: Bitstring,
  file: string,
  folder: FolderEvidence,
): Promise<void> {
  const { heldHere, severalServers } = folder;
  const refuse = (why: string): MicrocredError =>
    new MicrocredError(
      'STATUS_ERROR',
      `Not publishing ${list.id}: ${why}. Nothing was written. Restore the register and the status folder from your backup; publish with --force only if you restored on purpose and know which revocations you are undoing`,
      { path: '$.statusList' },
    );
  const last = await workspace.register.lastPublication(list.id);
  let previous: { id?: unknown; issuer?: unknown; credentialSubject?: { encodedList?: unknown } } | undefined;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      previous = JSON.parse(text) as typeof previous;
    } catch {
      throw refuse(`the last published ${file} is ${text.length === 0 ? 'empty' : 'not readable JSON'}`);
    }
    const issuer =
      typeof previous?.issuer === 'object' && previous.issuer !== null
        ? (previous.issuer as { id?: unknown }).id
        : previous?.issuer;
    if (previous?.id !== list.id || issuer !== workspace.config.did) {
      throw refuse(
        `${file} is another workspace's list (${String(previous?.id)} by ${String(issuer)}), not ${list.id} by ${workspace.config.did}`,
      );
    }
  } else if (last !== undefined && (heldHere === undefined || heldHere.includes(list.id))) {
    throw refuse(
      `the register records that it was published on ${last.publishedAt} (${last.setCount} set), but ${file} is missing${
        severalServers && heldHere === undefined
          ? ', and the folder has no usable record of the lists it held (if this is another server of the same issuer, copy to it the status folder of a server that publishes)'
          : ''
      }`,
    );
  }
  if (list.purpose !== 'revocation') return;
  if (previous !== undefined) {
    let before: Bitstring;
    try {
      before = await decodeBitstring(String(previous.credentialSubject?.encodedList ?? ''));
    } catch (e) {
      throw refuse(`the last published ${file} carries no readable list (${(e as Error).message})`);
    }
    let cleared = 0;
    for (let i = 0; i < before.bytes.length; i++)
      cleared += countSet(Uint8Array.of(before.bytes[i]! & ~(bits.bytes[i] ?? 0)));
    if (cleared > 0)
      throw refuse(
        `${cleared} entr${cleared === 1 ? 'y' : 'ies'} revoked in the last published ${path.basename(file)} would be cleared (a revocation is final)`,
      );
  }
}

/** The bytes on disk are the bytes signed, they parse, and the list they carry is the register's. */
async function checkWritten(onDisk: Buffer, expected: Buffer, bits: Uint8Array, file: string): Promise<void> {
  if (!onDisk.equals(expected))
    throw new MicrocredError(
      'STATUS_ERROR',
      `${file} reads back ${onDisk.length} bytes, not the ${expected.length} written`,
    );
  const parsed = JSON.parse(onDisk.toString('utf8')) as { credentialSubject?: { encodedList?: string } };
  const decoded = await decodeBitstring(parsed.credentialSubject?.encodedList ?? '');
  if (decoded.bytes.length !== bits.length || decoded.bytes.some((b, i) => b !== bits[i]))
    throw new MicrocredError('STATUS_ERROR', `${file} does not carry the register's statuses`);
}
