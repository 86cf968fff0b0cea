import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Node itself with tsx's loader, not the `tsx` wrapper: the wrapper runs the program in a child process, so a
 * SIGKILL sent to it would leave the real issuing process running — not the crash the tests mean to cause.
 */
// tsx by its file URL, so the CLI can run with any working directory (a registrar's, in the walkthrough tests).
const NODE_ARGS = ['--import', pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href];
export const BIN = path.join(ROOT, 'src', 'cli', 'bin.ts');

/** Runs `microcred` from the sources in a child process (what a registrar runs, minus the build). */
export function cli(
  args: string[],
  options: { input?: string; cwd?: string } = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...NODE_ARGS, BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    input: options.input,
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
}

/**
 * The exit code, once the process has exited and its output is closed ('close', not 'exit': a process can be gone
 * while the last of what it printed is still unread in the pipe).
 */
export function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}
