import type { MicroCredentialView } from '../read/read';

/** The verifier's steps, in the order they run. */
export type CheckName =
  | 'parse'
  | 'contexts'
  | 'schema'
  | 'proof'
  | 'keyBinding'
  | 'validity'
  | 'status'
  | 'euElements'
  | 'consistency'
  | 'endorsements';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** Stable codes of the verifier's findings (library error codes plus the verdicts that are not errors). */
export type CheckCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_CONTEXT'
  | 'SAFE_MODE_VIOLATION'
  | 'CANONICALIZATION_LIMIT'
  | 'SCHEMA_VIOLATION'
  | 'NO_PROOF'
  | 'INVALID_SIGNATURE'
  | 'UNSUPPORTED_PROOF'
  | 'INVALID_KEY'
  | 'RESOLVER_ERROR'
  | 'KEY_BINDING_MISMATCH'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'STATUS_ERROR'
  | 'MISSING_ELEMENT'
  | 'INCONSISTENT_VALUES'
  | 'INVALID_ENDORSEMENT'
  | 'INVALID_IMAGE';

export interface Check {
  check: CheckName;
  status: CheckStatus;
  code?: CheckCode;
  message: string;
  /** JSON path of what the check is about, where it is one value. */
  path?: string;
}

export type CredentialFormat = 'json-ld' | 'vc-jwt';
export type InputSource = 'object' | 'json' | 'jwt' | 'png' | 'svg';

export interface VerificationReport {
  /** True when no check failed. Warnings and skipped checks do not make a credential unverified. */
  verified: boolean;
  /** How the credential was secured: an embedded proof or a VC-JWT envelope. Undefined when parsing failed. */
  format?: CredentialFormat;
  /** What the input was. */
  source?: InputSource;
  /** The credential as parsed (for a JWT, its payload's credential). */
  credential?: Record<string, unknown>;
  /** Cryptosuites / JWT algorithms of the proofs that held. */
  proofs: string[];
  checks: Check[];
  /** The EU micro-credential elements, when the credential could be read. */
  euElements?: MicroCredentialView;
  /** Reports of embedded endorsements, verified the same way. */
  endorsements?: VerificationReport[];
}

export class ReportBuilder {
  readonly checks: Check[] = [];

  add(check: CheckName, status: CheckStatus, message: string, extra: { code?: CheckCode; path?: string } = {}): void {
    this.checks.push({ check, status, message, ...extra });
  }

  pass(check: CheckName, message: string, extra?: { code?: CheckCode; path?: string }): void {
    this.add(check, 'pass', message, extra);
  }

  fail(check: CheckName, code: CheckCode, message: string, path?: string): void {
    this.add(check, 'fail', message, { code, ...(path ? { path } : {}) });
  }

  warn(check: CheckName, message: string, extra?: { code?: CheckCode; path?: string }): void {
    this.add(check, 'warn', message, extra);
  }

  skip(check: CheckName, message: string): void {
    this.add(check, 'skip', message);
  }

  /** Adds a check right after the last check named `after` (reports list checks in pipeline order). */
  insertAfter(after: CheckName, check: Check): void {
    let at = -1;
    this.checks.forEach((c, i) => {
      if (c.check === after) at = i;
    });
    this.checks.splice(at + 1, 0, check);
  }

  get failed(): boolean {
    return this.checks.some((c) => c.status === 'fail');
  }
}
