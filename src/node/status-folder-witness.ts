import fs from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import { withFileLock } from './file-lock';
import { readWorkspaceRecord, writeWorkspaceRecord } from './workspace-record';

/** The file, in a status folder, naming the lists that folder holds (or held) a published file of. */
export const STATUS_FOLDER_WITNESS = '.microcred-published.json';

/**
 * Which status lists a status folder has published, for one workspace. The publication guard takes a folder's last
 * published list as a witness the register cannot vouch for, and refuses when the register records a publication
 * whose file the folder does not hold. That file is either one this folder lost (wiped, or restored from the wrong
 * backup: refused) or one it never held, because another server of the same issuer published the list into its own
 * folder (servers behind a load balancer each keep a copy of the workspace folder). This record tells the two apart.
 * It is written, empty, when the workspace is made, so every copy of a workspace folder starts with one, and grows
 * before a publication writes a list it did not name; a folder without it (wiped, or older than it) keeps the strict
 * rule. It names the workspace by a digest only: a static host may serve the folder as it is.
 */
export interface StatusFolderWitness {
  /** Ids of the lists this folder has been written a published file of. */
  lists: string[];
}

/** The kind of workspace record this is (see ./workspace-record.ts); it salts the workspace's digest. */
const KIND = 'status folder';

/** The folder's record for this workspace; undefined when there is none, it is unreadable, or it is another workspace's. */
export function readStatusFolderWitness(dir: string, workspaceIdentity: string): StatusFolderWitness | undefined {
  const lists = readWorkspaceRecord(path.join(dir, STATUS_FOLDER_WITNESS), KIND, workspaceIdentity);
  if (!Array.isArray(lists) || !lists.every((id): id is string => typeof id === 'string')) return undefined;
  return { lists: [...lists] };
}

/**
 * Records that the folder holds (or is about to hold) a published file of each of `listIds`, keeping the lists it
 * named before. Called before a list's file is renamed into place, so the record never names fewer lists than the
 * folder holds. Atomic (a temporary file, synced, renamed, the folder synced): a crash leaves the old record or the
 * new one. Read, extended and written under the folder's lock (`.microcred-published.json.lock`): the command line
 * and a running `serve` publish into one folder, and without it each could write back the record it read, dropping
 * the list the other had just added.
 */
export async function recordStatusFolderWitness(
  dir: string,
  workspaceIdentity: string,
  listIds: readonly string[],
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await withWitnessLock(dir, () => {
    const existing = readStatusFolderWitness(dir, workspaceIdentity);
    if (existing && listIds.every((id) => existing.lists.includes(id))) return;
    writeWitness(dir, workspaceIdentity, [...new Set([...(existing?.lists ?? []), ...listIds])].sort());
  });
}

/**
 * Takes `listId` out of the record again, for a publication that recorded it and then failed before its file was in
 * place: left in, the record would say the folder lost a list it never held, and refuse every later publication.
 */
export async function forgetStatusFolderList(dir: string, workspaceIdentity: string, listId: string): Promise<void> {
  await withWitnessLock(dir, () => {
    const existing = readStatusFolderWitness(dir, workspaceIdentity);
    if (existing?.lists.includes(listId))
      writeWitness(
        dir,
        workspaceIdentity,
        existing.lists.filter((id) => id !== listId),
      );
  });
}

function withWitnessLock(dir: string, work: () => void): Promise<void> {
  const file = path.join(dir, STATUS_FOLDER_WITNESS);
  return withFileLock(`${file}.lock`, work).catch((e: unknown) => {
    if (e instanceof MicrocredError) throw e;
    throw new MicrocredError(
      'STATUS_ERROR',
      `Could not lock ${file} to record which status lists this folder holds: ${(e as Error).message}`,
      { cause: e },
    );
  });
}

function writeWitness(dir: string, workspaceIdentity: string, lists: string[]): void {
  const file = path.join(dir, STATUS_FOLDER_WITNESS);
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeWorkspaceRecord(file, KIND, workspaceIdentity, lists, 0o644);
  } catch (e) {
    throw new MicrocredError(
      'STATUS_ERROR',
      `Could not record in ${file} which status lists this folder holds: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
