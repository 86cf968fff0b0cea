import { instantOf, numericDateText, windowPosition } from '../../shared/validity';
import type { ReportBuilder } from '../report';
import { vcVersion } from '../vc-version';
import type { VerifyContext } from './context';

/** Validity step: the validity period (and a VC-JWT's nbf/exp), with the allowed clock skew. */
export function validityStep(ctx: VerifyContext): void {
  const jwtTimes = ctx.proof?.jwtTimes;
  checkValidity(ctx.credential, ctx.report, {
    now: ctx.now,
    clockSkewSeconds: ctx.clockSkewSeconds,
    ...(jwtTimes ? { jwtTimes } : {}),
  });
}

export interface ValidityOptions {
  now: Date;
  clockSkewSeconds: number;
  /** A VC-JWT's `nbf` / `exp` (seconds): honoured even when the credential has no dates of its own. */
  jwtTimes?: { nbf?: number; exp?: number };
}

/** Validity period: validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC 1.1), with clock skew. */
export function checkValidity(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  options: ValidityOptions,
): void {
  const v1 = vcVersion(credential) === '1.1';
  const fromKey = v1 ? 'issuanceDate' : 'validFrom';
  const untilKey = v1 ? 'expirationDate' : 'validUntil';
  const from = credential[fromKey];
  const until = credential[untilKey];
  const now = options.now.getTime();
  const skew = options.clockSkewSeconds * 1000;
  const parse = (value: unknown, key: string): number | undefined | null => {
    const t = instantOf(value);
    if (t !== undefined && Number.isNaN(t)) {
      report.fail('validity', 'INVALID_INPUT', `${key} is not a date-time: ${JSON.stringify(value)}`, `$.${key}`);
      return null;
    }
    return t;
  };
  const fromT = parse(from, fromKey);
  const untilT = parse(until, untilKey);
  if (fromT === null || untilT === null) return;
  // The JWT's own window binds too: its exp/nbf are signed, and a credential without dates must not outlive them.
  const { nbf, exp } = options.jwtTimes ?? {};
  if (nbf !== undefined && now + skew < nbf * 1000) {
    report.fail('validity', 'NOT_YET_VALID', `The JWT is not valid before ${numericDateText(nbf)} (nbf)`);
    return;
  }
  if (exp !== undefined && now - skew > exp * 1000) {
    report.fail('validity', 'EXPIRED', `The JWT expired on ${numericDateText(exp)} (exp)`);
    return;
  }
  const position = windowPosition(now, fromT, untilT, skew);
  if (position === 'not-yet-valid') {
    report.fail('validity', 'NOT_YET_VALID', `Not valid before ${String(from)}`, `$.${fromKey}`);
    return;
  }
  if (position === 'expired') {
    report.fail('validity', 'EXPIRED', `Expired on ${String(until)}`, `$.${untilKey}`);
    return;
  }
  report.pass(
    'validity',
    `Valid${from ? ` from ${String(from)}` : ''}${until ? ` until ${String(until)}` : ' with no end date'}`,
  );
}
