import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { MicrocredError } from '../errors';
import { withFileLock } from './file-lock';
import { writeFileAtomic } from './write-atomic';

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

const workspaceDigest = (workspaceIdentity: string): string =>
  createHash('sha256').update(`microcred status folder\n${workspaceIdentity}`).digest('hex');

/** The folder's record for this workspace; undefined when there is none, it is unreadable, or it is another workspace's. */
export function readStatusFolderWitness(dir: string, workspaceIdentity: string): StatusFolderWitness | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(dir, STATUS_FOLDER_WITNESS), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { workspace, lists } = parsed as { workspace?: unknown; lists?: unknown };
  if (workspace !== workspaceDigest(workspaceIdentity)) return undefined;
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
  const content = `${JSON.stringify({ workspace: workspaceDigest(workspaceIdentity), lists }, null, 2)}\n`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, content, 0o644);
  } catch (e) {
    throw new MicrocredError(
      'STATUS_ERROR',
      `Could not record in ${file} which status lists this folder holds: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
