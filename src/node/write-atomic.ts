import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { syncDir } from './sync-dir';

/**
 * Writes `content` to `file` so that a crash leaves the old file or the new one, never a part: a temporary file beside
 * it (created exclusively), synced, renamed over `file`, then the folder synced so the new name survives a power cut.
 * On failure the temporary file is removed and the error is thrown as it came.
 */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(path.dirname(file));
}
