/** Input checks shared by both registers: the register is fed from roster files, command lines and HTTP bodies. */
import { MicrocredError } from '../../errors';
import type { RegisterStatusPurpose } from './types';

export const PURPOSES: readonly RegisterStatusPurpose[] = ['revocation', 'suspension'];
/** Longest text the register accepts in one field; a roster cell or a reason longer than this is a mistake. */
export const MAX_TEXT = 4096;

/** An ISO date or date-time as a bound on issued_at (stored as toISOString()); a bare date covers its whole day. */
export function isoBound(value: unknown, path: string, side: 'start' | 'end'): string {
  const v = text(value, path);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const day = Date.parse(`${v}T00:00:00.000Z`);
    if (Number.isNaN(day)) throw new MicrocredError('INVALID_INPUT', `not a date: ${JSON.stringify(v)}`, { path });
    return new Date(side === 'start' ? day : day + 86_400_000).toISOString();
  }
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new MicrocredError('INVALID_INPUT', `not an ISO 8601 date or time: ${JSON.stringify(v)}`, { path });
  return new Date(t).toISOString();
}

export function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MicrocredError('INVALID_INPUT', 'expected an object', { path });
  }
  return value as Record<string, unknown>;
}

/** SQLite would store an unpaired surrogate as U+FFFD, so the stored text would not be the text given. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A SHA-256 as the register stores it: 64 lowercase hex digits. */
export function sha256Hex(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
    throw new MicrocredError('INVALID_INPUT', 'must be a SHA-256 in 64 lowercase hex digits', { path });
  return value;
}

export function text(value: unknown, path: string): string {
  if (value === undefined || value === null || value === '')
    throw new MicrocredError('MISSING_ELEMENT', 'is required', { path });
  if (typeof value !== 'string') throw new MicrocredError('INVALID_INPUT', 'must be a string', { path });
  if (value.length > MAX_TEXT)
    throw new MicrocredError('INVALID_INPUT', `is longer than ${MAX_TEXT} characters`, { path });
  if (UNPAIRED_SURROGATE.test(value))
    throw new MicrocredError('INVALID_INPUT', 'contains an unpaired surrogate', { path });
  // PostgreSQL text cannot hold U+0000, and no roster cell, URL or reason has a reason to carry it.
  if (value.includes('\u0000')) throw new MicrocredError('INVALID_INPUT', 'contains a NUL character', { path });
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new MicrocredError('INVALID_INPUT', `must be one of ${allowed.join(', ')}`, { path });
  }
  return value as T;
}

/** A value for an error message; String() itself can throw on hostile objects. */
export function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}

/** The references of one learner's identifiers, checked: at least one, each a non-empty text, duplicates dropped. */
export function linkRefs(refs: readonly string[]): string[] {
  if (!Array.isArray(refs) || refs.length === 0)
    throw new MicrocredError('INVALID_INPUT', 'linkLearner needs at least one learner reference', { path: '$.refs' });
  return [...new Set(refs.map((r, i) => text(r, `$.refs[${i}]`)))];
}

/**
 * The learner these references are: the one they are linked to, or (registers from before links) the one reference
 * that already holds credentials or a salt, else the first. Two learners: IDENTIFIER_CONFLICT.
 */
export function learnerOfRefs(
  refs: readonly string[],
  linkOf: (ref: string) => string | undefined,
  holdsData: (ref: string) => boolean,
): string {
  const learners = new Set<string>();
  for (const ref of refs) {
    const linked = linkOf(ref);
    if (linked !== undefined) learners.add(linked);
    else if (holdsData(ref)) learners.add(ref);
  }
  if (learners.size > 1) {
    throw new MicrocredError(
      'IDENTIFIER_CONFLICT',
      `these identifiers belong to ${learners.size} different learners in the register; a row must name one learner (check its e-mail, student number and other ids)`,
      { path: '$.learner' },
    );
  }
  return learners.values().next().value ?? refs[0]!;
}
