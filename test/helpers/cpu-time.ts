/**
 * The CPU time (user + system, in ms) this process spends while `work` runs, and what it returned. A guard that must
 * refuse "fast" is about work done, not about the clock: on a loaded CI machine a process can wait seconds for a core,
 * and wall-clock time counts that wait. CPU time does not, so a bound on it fails only for real work. Vitest runs
 * each test file in a process of its own (the default `forks` pool), so the count is this file's work alone.
 */
export async function cpuTime<T>(work: () => T | Promise<T>): Promise<{ result: T; ms: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, ms: (used.user + used.system) / 1000 };
}
