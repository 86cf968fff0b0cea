/**
 * Node's compile cache for the `microcred` process: V8 keeps the code it compiled for our modules on disk, and the
 * next process reads it instead of parsing and compiling the same files again (docs/cli.md, "Compile cache").
 *
 * This is the application's choice, made once at the start of the CLI's process, before anything heavy loads; the
 * library never writes to disk or sets a flag of its own. Node's default place, `os.tmpdir()/node-compile-cache`, is
 * shared by every user of the machine: another user could create it first and plant files there, and V8's code cache
 * is not built to resist hostile bytes. So the cache lives in the user's own cache directory, and only when no other
 * user can write to that directory or to any directory on the way to it (then no check here can be raced either).
 *
 * Whatever happens, the command runs: a cache that cannot be used is skipped, with a line on stderr under
 * MICROCRED_DEBUG. Only built-in modules are imported here, so that nothing is compiled before the cache is on.
 */
import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';

/** `node:module` as Node >= 22.8 has it (this project's @types/node describes Node 20). */
interface CompileCacheApi {
  enableCompileCache?: (directory: string) => { status: number; message?: string; directory?: string };
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: Record<string, number> };
}

export type CompileCacheOutcome = { enabled: true; directory: string } | { enabled: false; reason: string };

/** Where the cache goes: `$XDG_CACHE_HOME/microcred/compile-cache`, else `$HOME/.cache/microcred/compile-cache`. */
export function compileCacheLocation(env: NodeJS.ProcessEnv): { base: string; directory: string } | undefined {
  // XDG: an unset, empty or relative XDG_CACHE_HOME is ignored.
  const xdg = env.XDG_CACHE_HOME;
  let base: string | undefined;
  if (xdg && path.isAbsolute(xdg)) base = path.resolve(xdg);
  else if (env.HOME && path.isAbsolute(env.HOME)) base = path.resolve(env.HOME, '.cache');
  if (base === undefined) return undefined;
  return { base, directory: path.join(base, 'microcred', 'compile-cache') };
}

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

/** `p` and every directory above it, from the root down. */
function pathAndAncestors(p: string): string[] {
  const all: string[] = [];
  for (let q = p; ; q = path.dirname(q)) {
    all.unshift(q);
    if (path.dirname(q) === q) return all;
  }
}

/**
 * Why `directory` (below `base`) must not hold the cache, or undefined when it may; creates what is missing from
 * `base` down, mode 0700. Above `base` (the system's and the user's directories) a symbolic link is followed only
 * when root owns it, and every directory on the real path there must belong to root or the user and be writable by
 * nobody else unless sticky (/tmp). From `base` down each directory must be a real directory (no link), the user's
 * own, writable by no one else.
 */
export function unsafeDirectoryReason(base: string, directory: string, uid: number): string | undefined {
  for (const p of pathAndAncestors(path.dirname(base))) {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) return `${p} does not exist`;
    if (st.isSymbolicLink() && st.uid !== 0) return `${p} is a symbolic link not owned by root`;
  }
  // Where root's links lead: a directory another user controls there could swap `base` for one of theirs.
  for (const p of pathAndAncestors(fs.realpathSync(path.dirname(base)))) {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return `${p} is not a directory`;
    if (st.uid !== 0 && st.uid !== uid) return `${p} belongs to another user (uid ${st.uid})`;
    if (st.mode & GROUP_OR_OTHER_WRITE && !(st.mode & STICKY)) return `${p} is writable by other users`;
  }
  const own = [base];
  let below = base;
  for (const part of path.relative(base, directory).split(path.sep)) own.push((below = path.join(below, part)));
  for (const p of own) {
    let st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) {
      try {
        fs.mkdirSync(p, { mode: 0o700 });
      } catch (e) {
        // Another microcred process may have created it a moment ago; anything else is a reason to skip.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create ${p} (${(e as Error).message})`;
      }
      st = fs.lstatSync(p);
    }
    if (st.isSymbolicLink()) return `${p} is a symbolic link`;
    if (!st.isDirectory()) return `${p} is not a directory`;
    if (st.uid !== uid) return `${p} belongs to another user (uid ${st.uid})`;
    if (st.mode & GROUP_OR_OTHER_WRITE) return `${p} is writable by other users`;
  }
  return undefined;
}

let enabled = false;

/**
 * Turns on Node's compile cache in the user's cache directory, where the runtime has one (Node >= 22.8, where `module.enableCompileCache` arrived) and the user
 * has not chosen otherwise: NODE_COMPILE_CACHE (Node already uses that directory), NODE_DISABLE_COMPILE_CACHE, or
 * MICROCRED_NO_COMPILE_CACHE leave everything to Node and write nothing. Never throws.
 */
export function enableCompileCache(
  env: NodeJS.ProcessEnv = process.env,
  api: CompileCacheApi = nodeModule as unknown as CompileCacheApi,
): CompileCacheOutcome {
  const outcome = tryEnable(env, api);
  if (env.MICROCRED_DEBUG)
    process.stderr.write(
      outcome.enabled
        ? `microcred: compile cache in ${outcome.directory}\n`
        : `microcred: compile cache not used: ${outcome.reason}\n`,
    );
  return outcome;
}

function tryEnable(env: NodeJS.ProcessEnv, api: CompileCacheApi): CompileCacheOutcome {
  try {
    if (typeof api.enableCompileCache !== 'function') return { enabled: false, reason: 'this Node has none' };
    if (env.MICROCRED_NO_COMPILE_CACHE) return { enabled: false, reason: 'MICROCRED_NO_COMPILE_CACHE is set' };
    if (env.NODE_DISABLE_COMPILE_CACHE) return { enabled: false, reason: 'NODE_DISABLE_COMPILE_CACHE is set' };
    if (env.NODE_COMPILE_CACHE)
      return { enabled: false, reason: 'NODE_COMPILE_CACHE is set: Node uses that directory' };
    if (typeof process.getuid !== 'function') return { enabled: false, reason: 'no user ids on this platform' };
    const location = compileCacheLocation(env);
    if (!location) return { enabled: false, reason: 'neither XDG_CACHE_HOME nor HOME is an absolute path' };
    const unsafe = unsafeDirectoryReason(location.base, location.directory, process.getuid());
    if (unsafe) return { enabled: false, reason: unsafe };
    const result = api.enableCompileCache(location.directory);
    const status = api.constants?.compileCacheStatus ?? {};
    if (result.status === status.ENABLED) {
      enabled = true;
      return { enabled: true, directory: result.directory ?? location.directory };
    }
    const name = Object.keys(status).find((k) => status[k] === result.status) ?? String(result.status);
    return { enabled: false, reason: `Node answered ${name}${result.message ? `: ${result.message}` : ''}` };
  } catch (e) {
    return { enabled: false, reason: (e as Error)?.message ?? String(e) };
  }
}

/**
 * Writes what has been compiled so far to the cache now, for a process that may never exit normally (a service
 * stopped with SIGKILL): Node otherwise writes it at exit. Never throws.
 */
export function flushCompileCache(api: CompileCacheApi = nodeModule as unknown as CompileCacheApi): void {
  if (!enabled || typeof api.flushCompileCache !== 'function') return;
  try {
    api.flushCompileCache();
  } catch {
    // A cache that cannot be written changes nothing for the command.
  }
}
