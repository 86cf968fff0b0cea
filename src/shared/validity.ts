import { MicrocredError } from '../errors';

/** The validity-window arithmetic of credentials and status lists (validFrom/validUntil, or VC 1.1's dates). */

/**
 * Throws INVALID_INPUT unless `now` is absent or a valid Date and `clockSkewSeconds` absent or a non-negative number:
 * an unusable clock would silently turn every date check off (NaN compares false), which is the caller's mistake,
 * not a verdict about a credential. A Date from another realm is still a Date: the value is checked, not instanceof.
 */
export function assertUsableClock(now: unknown, clockSkewSeconds?: unknown): void {
  if (
    now !== undefined &&
    (Object.prototype.toString.call(now) !== '[object Date]' || Number.isNaN((now as Date).getTime()))
  ) {
    throw new MicrocredError('INVALID_INPUT', `options.now is not a valid Date: ${String(now)}`);
  }
  if (
    clockSkewSeconds !== undefined &&
    (typeof clockSkewSeconds !== 'number' || !Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0)
  ) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `options.clockSkewSeconds must be a non-negative number of seconds, got ${String(clockSkewSeconds)}`,
    );
  }
}

/** A date-time member as epoch milliseconds: undefined when absent, NaN when present but not a readable date-time. */
export function instantOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/**
 * Where `nowMs` stands against the window [fromMs, untilMs], each end widened by `skewMs` (clock skew between issuer
 * and verifier). An absent end is open. Not-yet-valid is answered before expired.
 */
export function windowPosition(
  nowMs: number,
  fromMs: number | undefined,
  untilMs: number | undefined,
  skewMs = 0,
): 'not-yet-valid' | 'expired' | 'valid' {
  if (fromMs !== undefined && nowMs + skewMs < fromMs) return 'not-yet-valid';
  if (untilMs !== undefined && nowMs - skewMs > untilMs) return 'expired';
  return 'valid';
}

/**
 * A JWT NumericDate (seconds since 1970) as a date-time for people. A finite number is a valid NumericDate, yet past
 * ±8.64e12 s no Date holds it and toISOString throws: a signer's "never expires" (exp 1e300) must not crash a report.
 */
export function numericDateText(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} s after 1970 (no calendar date)` : date.toISOString();
}
