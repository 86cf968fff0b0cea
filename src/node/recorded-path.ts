import fs from 'node:fs';
import path from 'node:path';

/**
 * How the register records where a credential file is, so that every command finds it from any directory: a file
 * inside the workspace is recorded relative to the workspace (the workspace may move as a whole), any other file by
 * its absolute path. Never relative to the directory the registrar happened to be in.
 */
export function recordedPath(workspaceDir: string, file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(path.resolve(workspaceDir), absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join('/') : absolute;
}

/** Where a recorded file is now, and a note when it was found through an older register entry's form. */
export interface RecordedFileLocation {
  file: string;
  /** Set when the entry is relative to the directory it was issued from (registers written before paths were anchored). */
  note?: string;
}

/**
 * Finds a recorded file: an absolute path as is; a relative one in the workspace, or — for entries written before
 * paths were anchored to the workspace, relative to wherever `issue` ran — in the current directory, said in `note`.
 */
export function locateRecordedFile(workspaceDir: string, recorded: string): RecordedFileLocation {
  if (path.isAbsolute(recorded)) return { file: recorded };
  const inWorkspace = path.resolve(workspaceDir, recorded);
  if (fs.existsSync(inWorkspace)) return { file: inWorkspace };
  const fromHere = path.resolve(recorded);
  if (fs.existsSync(fromHere)) {
    return {
      file: fromHere,
      note: `an older register entry records ${recorded} relative to the directory it was issued from; found at ${fromHere}`,
    };
  }
  return {
    file: inWorkspace,
    note: `the register records ${recorded} relative to the directory it was issued from (an older entry); looked in ${inWorkspace} and ${fromHere}`,
  };
}
