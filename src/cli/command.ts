import type { ParseArgsConfig } from 'node:util';

/**
 * Exit codes (docs/cli.md): 0 done / verified / valid; 1 not verified, not valid, or some roster rows failed;
 * 2 unusable input (unreadable file, not a credential at all, bad workspace) or a usage error; 3 an internal error
 * (a bug: run again with MICROCRED_DEBUG=1 for the stack trace and report it); 4 `verify`: otherwise fine, but whether
 * a credential was revoked could not be checked.
 */
export const EXIT = { ok: 0, failed: 1, unusable: 2, internal: 3, notChecked: 4 } as const;

/** A wrong command line: main prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

/** Where a command writes: plain lines, JSON data (with --json), and errors on standard error. */
export interface Output {
  json: boolean;
  print(text: string): void;
  data(value: unknown): void;
  error(text: string): void;
}

/** The parsed command line a command runs with. */
export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/** One `microcred <command>`: its help text, its options (node:util parseArgs) and what it does. */
export interface Command {
  summary: string;
  usage: string;
  /** Shown by `microcred <command> --help`. */
  examples: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: CommandArgs, out: Output): Promise<number>;
}

/** The workspace folder a command works in: -w/--workspace, else the current folder. */
export function workspaceDir(values: Record<string, unknown>): string {
  return (values.workspace as string | undefined) ?? '.';
}

/**
 * A command to run next, as the user would type it: `"microcred status publish -w ~/ut-office"`, with the workspace
 * they gave (`-w`, or init's folder), so that the hint works from where they are. Quoted for a shell when needed.
 */
export function nextCommand(command: string, workspace: string | undefined): string {
  if (workspace === undefined) return `"microcred ${command}"`;
  const quoted = /^[\w./~:@%+=,-]+$/.test(workspace) ? workspace : `'${workspace.replace(/'/g, `'\\''`)}'`;
  return `"microcred ${command} -w ${quoted}"`;
}

/** "1 offer", "2 offers": a count and its noun, agreed. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The proof formats `issue` and `transcript` accept. */
export const ISSUE_FORMATS = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const;
/** What `issue` also writes: the IETF SD-JWT VC an EU Digital Identity Wallet takes (a transcript has no such form). */
export const CREDENTIAL_FORMATS = [...ISSUE_FORMATS, 'dc+sd-jwt'] as const;
