import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MicrocredError } from '../errors';

/** How long a lock may go untouched before it counts as a crashed holder's leftover (its work takes milliseconds). */
const STALE_MS = 10_000;
/** How long to wait for another holder before giving up: longer than STALE_MS, so a crashed holder's lock is outlived. */
const WAIT_MS = 15_000;

/**
 * Runs `work` while holding `lockFile`, a file created with O_EXCL ('wx'): only one process at a time, on this machine
 * or another sharing the folder, gets past the create. A read-modify-write of a shared file (the status folder's
 * record, which the command line and a running `serve` both extend) under it cannot drop what another writer added.
 * A lock older than STALE_MS is a crashed holder's and is taken over; after WAIT_MS of waiting for a live one, gives up
 * with STATUS_ERROR naming the file.
 */
export async function withFileLock<T>(
  lockFile: string,
  work: () => T | Promise<T>,
  timing: { staleMs?: number; waitMs?: number } = {},
): Promise<T> {
  const staleMs = timing.staleMs ?? STALE_MS;
  const deadline = Date.now() + (timing.waitMs ?? WAIT_MS);
  for (;;) {
    const held = tryLock(lockFile);
    if (held !== undefined) {
      try {
        return await work();
      } finally {
        unlock(lockFile, held);
      }
    }
    takeOverIfStale(lockFile, staleMs);
    if (Date.now() > deadline)
      throw new MicrocredError(
        'STATUS_ERROR',
        `${lockFile} is held by another publisher (${holderOf(lockFile)}); if none is running, delete the file and try again`,
      );
    await sleep(5 + Math.floor(Math.random() * 20));
  }
}

/** The lock file's identity once created (to release only our own), or undefined when another holds it. */
function tryLock(lockFile: string): LockIdentity | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw e;
  }
  let held: LockIdentity;
  try {
    fs.writeSync(fd, `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`);
    held = identityOf(fs.fstatSync(fd));
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(lockFile, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  return held;
}

/** Removes the lock if it is still the one we made (a holder taken for crashed must not remove its successor's). */
function unlock(lockFile: string, held: LockIdentity): void {
  try {
    if (sameFile(identityOf(fs.statSync(lockFile)), held)) fs.unlinkSync(lockFile);
  } catch {
    // already gone: taken over as stale
  }
}

function takeOverIfStale(lockFile: string, staleMs: number): void {
  try {
    const stat = fs.statSync(lockFile);
    if (Date.now() - stat.mtimeMs <= staleMs) return;
    // Same file still (not a newer holder's since the stat), then remove it; the next create decides who goes.
    if (sameFile(identityOf(fs.statSync(lockFile)), identityOf(stat))) fs.unlinkSync(lockFile);
  } catch {
    // gone meanwhile: the next attempt creates it
  }
}

/**
 * Which lock file this is. The inode alone does not say so: a file created right after an unlink often gets the freed
 * inode number back, so a holder taken for crashed (or a waiter that saw a stale lock) could remove its successor's.
 */
interface LockIdentity {
  ino: number;
  birthtimeMs: number;
  mtimeMs: number;
}

function identityOf(stat: fs.Stats): LockIdentity {
  return { ino: stat.ino, birthtimeMs: stat.birthtimeMs, mtimeMs: stat.mtimeMs };
}

function sameFile(a: LockIdentity, b: LockIdentity): boolean {
  return a.ino === b.ino && a.birthtimeMs === b.birthtimeMs && a.mtimeMs === b.mtimeMs;
}

function holderOf(lockFile: string): string {
  try {
    const [pid, host, since] = fs.readFileSync(lockFile, 'utf8').trim().split(' ');
    return `process ${pid} on ${host} since ${since}`;
  } catch {
    return 'unknown holder';
  }
}
