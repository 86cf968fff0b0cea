import type { ErrorCode } from '../errors';
import type { MicroCredentialView } from '../read/read';
import type { ProofVerification } from '../proof/data-integrity';
import type { IssuerConfirmation } from './trust';
import type { Verdict } from './verdict';

/** The verifier's steps, in the order they run. */
export type CheckName =
  | 'parse'
  | 'contexts'
  | 'schema'
  | 'proof'
  | 'keyBinding'
  | 'validity'
  | 'relatedResource'
  | 'status'
  | 'euElements'
  // A European Digital Credential's eIDAS seal: never checked here, and the report says so.
  | 'seal'
  | 'consistency'
  /** Whether a trust source (or the issuer's web domain) confirms who the issuer is (only with the `trust` option). */
  | 'issuerIdentity'
  | 'endorsements'
  // A presentation's own checks (verifyPresentation).
  | 'holderBinding'
  | 'challenge'
  | 'domain'
  | 'freshness'
  | 'credentials'
  | 'subjectBinding'
  // An SD-JWT VC's disclosures.
  | 'disclosures';

/** How one check of a verification came out: `warn` does not fail the credential, `skip` means the check did not apply. */
export type CheckOutcome = 'pass' | 'fail' | 'warn' | 'skip';

/**
 * The code of a report's finding: the library's one vocabulary (a verifier reports a thrown error's code as it is).
 * Kept as a name of its own for callers who typed their handlers with it.
 */
export type CheckCode = ErrorCode;

/** One check of a verification report: its name, outcome, message in plain words, and code and path when it failed. */
export interface Check {
  check: CheckName;
  status: CheckOutcome;
  code?: CheckCode;
  message: string;
  /** JSON path of what the check is about, where it is one value. */
  path?: string;
}

/** How a verified credential was secured: a JSON-LD document with Data Integrity proofs, or a VC-JWT. */
export type CredentialFormat = 'json-ld' | 'vc-jwt' | 'dc+sd-jwt';

/** What an SD-JWT VC (or presentation) disclosed and what it kept back. */
export interface SdJwtDisclosureReport {
  /** The credential type (`vct`). */
  vct: string;
  /** JSON paths of the disclosed claims and array elements (`$.title`, `$.learner.identifiers[0]`). */
  disclosed: string[];
  /**
   * Top-level claims of this library's EU micro-credential type that were not disclosed: withheld by the holder, or
   * never issued (the two look the same, by design). Empty for other types.
   */
  withheld: string[];
  /** Digests that no disclosure opened: withheld claims and decoys, indistinguishable. */
  undisclosedDigests: number;
  /** Whether a key binding JWT came with it, the credential is bound to a holder key without one, or not bound at all. */
  keyBinding: 'presented' | 'bound, not presented' | 'none';
}
/** What `verify` was given: an object, JSON text, a JWT, or a baked PNG or SVG. */
export type InputSource = 'object' | 'json' | 'jwt' | 'png' | 'svg';

/** The report of `verify`: verified or not, every check with its outcome, and the EU elements read. */
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
  /** Each embedded proof's outcome, in document order (Data Integrity credentials; all must hold). */
  proofResults?: ProofVerification[];
  checks: Check[];
  /** The EU micro-credential elements, when the credential could be read. */
  euElements?: MicroCredentialView;
  /** For an SD-JWT VC: what was disclosed and what was withheld. */
  sdJwt?: SdJwtDisclosureReport;
  /** Reports of embedded endorsements, verified the same way. */
  endorsements?: VerificationReport[];
  /**
   * Whether the issuer's identity is confirmed, and by what (a trust source, or its web domain). Present only when
   * `verify` was given the `trust` option; the `issuerIdentity` check says the same in words.
   */
  issuerTrust?: IssuerConfirmation;
  /** The verdict in plain words, derived from the checks above: what a person reads first. */
  verdict: Verdict;
}

export class ReportBuilder {
  readonly checks: Check[] = [];

  add(check: CheckName, status: CheckOutcome, message: string, extra: { code?: CheckCode; path?: string } = {}): void {
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

  /**
   * Keeps a place for checks that are written later (the proof checks, completed after the status step; the contexts
   * check, when the proof step proves safe mode) so that the report still lists checks in pipeline order. The
   * placeholder, at the end or at index `at`, reads "not checked" until `fill` replaces it (`fill([])` removes it).
   */
  reserve(check: CheckName, at: number = this.checks.length): (checks: Check[]) => void {
    const placeholder: Check = { check, status: 'skip', message: 'Not checked' };
    this.checks.splice(at, 0, placeholder);
    return (checks) => {
      const at = this.checks.indexOf(placeholder);
      if (at >= 0) this.checks.splice(at, 1, ...checks);
    };
  }

  get failed(): boolean {
    return this.checks.some((c) => c.status === 'fail');
  }
}
