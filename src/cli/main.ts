import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMicrocredError } from '../index';
import { type Command, EXIT, type Output, UsageError } from './command';
import { safeJson, safeOutput } from './sanitize';

export { EXIT };

/**
 * Every `microcred` command, in the order `microcred --help` lists them; each lives in src/cli/commands/<name>.ts and
 * loads only when it runs, so that `microcred verify` does not load the service (Hono, OpenID4VCI) or the register.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./commands/init')).init,
  issue: async () => (await import('./commands/issue')).issue,
  verify: async () => (await import('./commands/verify')).verify,
  'verify-presentation': async () => (await import('./commands/verify-presentation')).verifyPresentation,
  transcript: async () => (await import('./commands/transcript')).transcript,
  validate: async () => (await import('./commands/validate')).validate,
  list: async () => (await import('./commands/list')).list,
  find: async () => (await import('./commands/find')).find,
  revoke: async () => (await import('./commands/revoke')).revoke,
  suspend: async () => (await import('./commands/suspend')).suspend,
  reinstate: async () => (await import('./commands/reinstate')).reinstate,
  status: async () => (await import('./commands/status')).status,
  bake: async () => (await import('./commands/bake')).bake,
  unbake: async () => (await import('./commands/unbake')).unbake,
  export: async () => (await import('./commands/export')).exportCommand,
  import: async () => (await import('./commands/import')).importCommand,
  keys: async () => (await import('./commands/keys')).keys,
  serve: async () => (await import('./commands/serve')).serve,
  token: async () => (await import('./commands/token')).token,
  offer: async () => (await import('./commands/offer')).offer,
};

const common = {
  json: { type: 'boolean' as const },
  help: { type: 'boolean' as const, short: 'h' },
  workspace: { type: 'string' as const, short: 'w' },
};

async function help(): Promise<string> {
  const commands = await Promise.all(Object.entries(COMMANDS).map(async ([n, load]) => [n, await load()] as const));
  return [
    `microcred ${version()} — issue and verify EU micro-credentials as Open Badges 3.0`,
    '',
    ...commands.map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`),
    '',
    'microcred <command> --help for details and examples; --json for machine-readable output; --version.',
    'Exit codes: 0 done/verified/valid, 1 not verified/not valid/some rows failed, 2 unusable input or usage, 3 internal error, 4 (verify) whether it was revoked could not be checked.',
    "Full reference: docs/cli.md in the package (node_modules/microcredentials/docs/cli.md), or the project's web page.",
  ].join('\n');
}

function commandHelp(name: string, c: Command): string {
  return [
    `microcred ${name}: ${c.summary}`,
    '',
    `usage: ${c.usage}`,
    '',
    'examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
    'common options: -w/--workspace <dir>, --json, -h/--help',
  ].join('\n');
}

let cachedVersion: string | undefined;
/** The package version, read from the package.json above this module (sources, dist/ and node_modules alike). */
export function version(): string {
  if (cachedVersion) return cachedVersion;
  try {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'microcredentials' && pkg.version) return (cachedVersion = pkg.version);
      }
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** Node's file errors in plain words (no stack trace): the path and what is wrong with it. */
function fileErrorMessage(e: NodeJS.ErrnoException): string | undefined {
  const where = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'ENOENT':
      return `No such file or folder:${where}`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied:${where}`;
    case 'EISDIR':
      return `Expected a file but found a folder:${where}`;
    case 'ENOTDIR':
      return `A part of the path is not a folder:${where}`;
    case 'EEXIST':
      return `Already exists:${where}`;
    case 'ENOSPC':
      return `The disk is full${where ? ` (writing${where})` : ''}`;
    case 'EROFS':
      return `Read-only file system:${where}`;
    default:
      return undefined;
  }
}

/** Runs the `microcred` command with `argv` (without node and script), writing to `io`; resolves to the exit code (0 done, 1 not verified or rows failed, 2 unusable input, 3 internal error). */
export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const about = rest[0] && Object.hasOwn(COMMANDS, rest[0]) ? await COMMANDS[rest[0]]!() : undefined;
    io.stdout((about ? commandHelp(rest[0]!, about) : await help()) + '\n');
    return name ? EXIT.ok : EXIT.unusable;
  }
  const command = Object.hasOwn(COMMANDS, name) ? await COMMANDS[name]!() : undefined;
  if (!command) {
    io.stderr(`${safeOutput(`Unknown command "${name}".`)}\n${await help()}\n`);
    return EXIT.unusable;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...common, ...command.options },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (e) {
    io.stderr(`${safeOutput((e as Error).message)}\nusage: ${command.usage}\n`);
    return EXIT.unusable;
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(name, command) + '\n');
    return EXIT.ok;
  }
  const out: Output = {
    json: parsed.values.json === true,
    print: (t) => io.stdout(safeOutput(t) + '\n'),
    data: (v) => io.stdout(safeJson(jsonText(v)) + '\n'),
    error: (t) => io.stderr(safeOutput(t) + '\n'),
  };
  try {
    return await command.run(parsed, out);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${safeOutput(e.message)}\nusage: ${command.usage}\n`);
      return EXIT.unusable;
    }
    const fileError =
      typeof (e as NodeJS.ErrnoException)?.code === 'string' && !isMicrocredError(e)
        ? fileErrorMessage(e as NodeJS.ErrnoException)
        : undefined;
    if (isMicrocredError(e) || fileError || e instanceof SyntaxError) {
      const err = e as Error & { code?: string };
      const message = fileError ?? (e instanceof SyntaxError ? `Not valid JSON: ${err.message}` : err.message);
      if (out.json) out.data({ error: { code: isMicrocredError(e) ? err.code : 'INVALID_INPUT', message } });
      else out.error(message);
      return EXIT.unusable;
    }
    // Not expected: a bug. One plain line; the stack trace only on request.
    out.error(
      `Internal error: ${(e as Error)?.message ?? String(e)}${process.env.MICROCRED_DEBUG ? `\n${(e as Error)?.stack ?? ''}` : ' (run again with MICROCRED_DEBUG=1 for details, and report it)'}`,
    );
    return EXIT.internal;
  }
}

/** Deeper than this, --json output shows a note instead of the value (JSON.stringify itself overflows far deeper). */
const MAX_JSON_DEPTH = 256;

/**
 * JSON text of what a command reports. A report may hold a credential nested deeper than JSON.stringify can go (one
 * made to do that): its values below MAX_JSON_DEPTH are then replaced by a note, rather than the command failing.
 */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return JSON.stringify(cutDeep(value, 0), null, 2);
  }
}

function cutDeep(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) return '(nested too deep to show)';
  if (Array.isArray(value)) return value.map((v) => cutDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: cutDeep(v, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return out;
}
