import type { MicroCredentialView } from '../read/read';
import type { ProofVerification } from '../proof/data-integrity';

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
  | 'consistency'
  | 'endorsements'
  // A presentation's own checks (verifyPresentation).
  | 'holderBinding'
  | 'challenge'
  | 'domain'
  | 'freshness'
  | 'credentials'
  | 'subjectBinding';

/** How one check of a verification came out: `warn` does not fail the credential, `skip` means the check did not apply. */
export type CheckOutcome = 'pass' | 'fail' | 'warn' | 'skip';

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
  /** A signature holds under a key that nothing ties to the issuer (an https fragment key): see docs/security.md. */
  | 'KEY_UNCONFIRMED'
  | 'PROOF_EXPIRED'
  | 'PROOF_NOT_YET_VALID'
  | 'PREVIOUS_PROOF_MISSING'
  | 'PREVIOUS_PROOF_CYCLE'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'STATUS_ERROR'
  /** The credential has a status entry and its status was not checked (no fetcher, unsupported type). */
  | 'STATUS_UNCHECKED'
  /** The status list could not be fetched (network error, resolver budget spent, not JSON). */
  | 'STATUS_RETRIEVAL_ERROR'
  /** The status list is signed by a party not trusted for this credential (statusListIssuers). */
  | 'STATUS_LIST_UNTRUSTED'
  /** The status list's own proof does not hold (tampered, unsigned, unknown key). */
  | 'STATUS_LIST_INVALID'
  /** The status list credential is outside its validity period. */
  | 'STATUS_LIST_EXPIRED'
  /** The entry's statusPurpose is not the list's. */
  | 'STATUS_PURPOSE_MISMATCH'
  /** The entry or the list is malformed (bad index, undecodable or oversized list, too short under strict length). */
  | 'STATUS_MALFORMED'
  | 'MISSING_ELEMENT'
  | 'INCONSISTENT_VALUES'
  | 'INVALID_ENDORSEMENT'
  | 'INVALID_IMAGE'
  | 'RELATED_RESOURCE_MISMATCH'
  | 'HOLDER_BINDING_MISMATCH'
  | 'CHALLENGE_MISMATCH'
  | 'DOMAIN_MISMATCH'
  | 'STALE_PRESENTATION'
  | 'INVALID_CREDENTIAL'
  | 'SUBJECT_NOT_HOLDER'
  | 'DUPLICATE_KEY'
  | 'NOT_COMPACTED';

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
export type CredentialFormat = 'json-ld' | 'vc-jwt';
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
  /** Reports of embedded endorsements, verified the same way. */
  endorsements?: VerificationReport[];
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
   * Keeps a place for checks that are written later (the proof checks, completed after the status step) so that the
   * report still lists checks in pipeline order. The placeholder reads "not checked" until `fill` replaces it.
   */
  reserve(check: CheckName): (checks: Check[]) => void {
    const placeholder: Check = { check, status: 'skip', message: 'Not checked' };
    this.checks.push(placeholder);
    return (checks) => {
      const at = this.checks.indexOf(placeholder);
      if (at >= 0) this.checks.splice(at, 1, ...checks);
    };
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
