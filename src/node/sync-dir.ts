import fs from 'node:fs';

/** fsync a directory so a new name in it survives a power cut (a no-op where directories cannot be opened). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some network file systems do not allow it; the rename/link is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
