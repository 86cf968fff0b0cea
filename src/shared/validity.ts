/** The validity-window arithmetic of credentials and status lists (validFrom/validUntil, or VC 1.1's dates). */

/** A date-time member as epoch milliseconds: undefined when absent, NaN when present but not a readable date-time. */
export function instantOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/**
 * Where `nowMs` stands against the window [fromMs, untilMs], each end widened by `skewMs` (clock skew between issuer
 * and verifier). An absent end is open. Not-yet-valid is answered before expired.
 */
export function windowPosition(nowMs: number, fromMs: number | undefined, untilMs: number | undefined, skewMs = 0): 'not-yet-valid' | 'expired' | 'valid' {
  if (fromMs !== undefined && nowMs + skewMs < fromMs) return 'not-yet-valid';
  if (untilMs !== undefined && nowMs - skewMs > untilMs) return 'expired';
  return 'valid';
}
