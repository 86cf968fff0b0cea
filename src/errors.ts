import type { ErrorCode } from './error-codes';

/**
 * The library's single error class. Every failure the caller can act on carries a stable `code`;
 * where a value in a document is at fault, `path` is its JSON path (`$.credentialSubject.achievement.name`).
 * Builders collect every problem before throwing, so `problems` lists all of them, not just the first.
 */
export type { ErrorCode } from './error-codes';

/** One thing wrong with an input: its code, its JSON path and a message in plain words. */
export interface Problem {
  code: ErrorCode;
  /** JSON path of the offending value, e.g. `$.credentialSubject.achievement.name`. */
  path: string;
  message: string;
}

/** The library's single error class: a stable `code`, the JSON `path` at fault where there is one, and every `problems` found (builders collect them all before throwing). */
export class MicrocredError extends Error {
  override readonly name = 'MicrocredError';
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly problems: readonly Problem[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { path?: string; problems?: Problem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.problems = options.problems ?? (options.path !== undefined ? [{ code, path: options.path, message }] : []);
  }

  /** Throws one error for a list of problems; the code is the first problem's (missing beats invalid). */
  static fromProblems(problems: Problem[], summary = 'The input has problems'): MicrocredError {
    const missing = problems.some((p) => p.code === 'MISSING_ELEMENT');
    const code: ErrorCode = missing ? 'MISSING_ELEMENT' : (problems[0]?.code ?? 'INVALID_INPUT');
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    return new MicrocredError(code, `${summary} (${problems.length}):\n${lines}`, { problems });
  }
}

/** True for a `MicrocredError` (a type guard for `catch` blocks). */
export function isMicrocredError(e: unknown): e is MicrocredError {
  // A thrown proxy can throw again when asked for its prototype: then it is not ours.
  try {
    return e instanceof MicrocredError;
  } catch {
    return false;
  }
}

/**
 * Words for whatever was thrown, never throwing itself: what a caller's getter or proxy throws may be a proxy that
 * throws again when read or turned into text, and a verifier that describes it must still return its report.
 */
export function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) return String(e.message);
    return String(e);
  } catch {
    return 'something that cannot be read was thrown';
  }
}

/** Appends a key or index to a JSON path the way the rest of the library writes them. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
