import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from './write-atomic';

/**
 * A small JSON file a workspace keeps in one of its folders as a witness the register cannot rewrite (the status
 * folder's record of the lists it held, the register's high-water mark): `{ "workspace": <digest>, "lists": … }`.
 * The workspace is named by a digest of its identity salted with the record's `kind` (the status folder is public), so
 * a record copied from another workspace, or of another kind, reads as none.
 */
const workspaceDigest = (kind: string, identity: string): string =>
  createHash('sha256').update(`microcred ${kind}\n${identity}`).digest('hex');

/** The record's `lists` when `file` is this workspace's record of `kind`; undefined when missing, unreadable or not. */
export function readWorkspaceRecord(file: string, kind: string, identity: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { workspace, lists } = parsed as { workspace?: unknown; lists?: unknown };
  return workspace === workspaceDigest(kind, identity) ? lists : undefined;
}

/** Writes this workspace's record of `kind` to `file`, atomically (see writeFileAtomic). */
export function writeWorkspaceRecord(file: string, kind: string, identity: string, lists: unknown, mode: number): void {
  const content = `${JSON.stringify({ workspace: workspaceDigest(kind, identity), lists }, null, 2)}\n`;
  writeFileAtomic(file, content, mode);
}
