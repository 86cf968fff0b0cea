import os from 'node:os';

/**
 * Tells a reservation left by a crashed batch from one a running batch is working on. A SQLite register lives on
 * one machine, so the holder's process id answers it: a process that no longer exists cannot finish its
 * reservation. For holders on another host (a register on a shared disk) nothing can be known, so they count as
 * alive — the safe side — until `recoverOrphans({ staleAfterMs })` says otherwise.
 */

export const HOST = os.hostname();

/** Sessions opened by this process and not closed yet; a session with our pid not in here is from a dead process that had our pid. */
export const sessionsOpenHere = new Set<string>();

export interface Holder {
  id: string;
  pid: number;
  host: string;
  closedAt: string | null;
}

export function isHolderAlive(holder: Holder): boolean {
  if (holder.closedAt !== null) return false;
  if (holder.host !== HOST) return true;
  if (holder.pid === process.pid) return sessionsOpenHere.has(holder.id);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user — alive. ESRCH: gone.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
