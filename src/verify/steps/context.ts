import type { DocumentLoader } from '../../jsonld/loader';
import { mergeMergedNodeCopies } from '../../read/merge-nodes';
import type { MicroCredentialView } from '../../read/read';
import type { ParsedInput } from '../parse';
import type { ProofOutcome } from './proof';
import { ReportBuilder, type Check, type VerificationReport } from '../report';
import type { VerifyOptions } from '../options';
import type { IssuerConfirmation } from '../trust';
import { withVerdict } from '../verdict';

/** Verifies a nested credential (a status list credential, an endorsement) with the same pipeline, one level deeper. */
export type VerifyNested = (
  input: unknown,
  options: VerifyOptions,
  depth: number,
  isEndorsement: boolean,
) => Promise<VerificationReport>;

/**
 * What one verification carries from step to step: the input, the options, the report being written, and what the
 * steps learned that later steps read. One object per verification (the hot path allocates nothing per step).
 */
export class VerifyContext {
  readonly report = new ReportBuilder();
  /** The credential as parsed; set by the parse step (the steps after it run only when it is). */
  parsed!: ParsedInput;
  /** The credential the checks read: as parsed, then (after the signed-form step) with every copy of a node merged. */
  credential!: Record<string, unknown>;
  documentLoader!: DocumentLoader;
  now!: Date;
  clockSkewSeconds = 300;
  /** Whether every context is known (the proof is not attempted otherwise, except for a VC-JWT). */
  contextsOk = false;
  /**
   * The contexts check's place in the report, kept when an RDFC proof will prove JSON-LD safe mode while it
   * canonicalizes (the contexts step's speed trick); the contexts verdict step fills it after the proof step.
   */
  contextsVerdict: ((checks: Check[]) => void) | undefined = undefined;
  /**
   * The credential the signed-form step's one walk showed to expand in JSON-LD safe mode (with `documentLoader`),
   * alongside its compacted form; the contexts step does not walk it again.
   */
  safeModeShown: Record<string, unknown> | undefined = undefined;
  /** The proof step's outcome (the issuer's proofs; the others are finished after the status step). */
  proof: ProofOutcome | undefined = undefined;
  euElements: MicroCredentialView | undefined = undefined;
  endorsements: VerificationReport[] | undefined = undefined;
  /** Set by the issuer identity step (only with the `trust` option). */
  issuerTrust: IssuerConfirmation | undefined = undefined;
  /** Set by a step that ends the verification early: the report to return as it is. */
  done: VerificationReport | undefined = undefined;

  constructor(
    public input: unknown,
    readonly options: VerifyOptions,
    readonly depth: number,
    /** Checked as a plain VC (no OB schema, no EU elements): an endorsement, a status list, any VC not an Open Badge. */
    public isEndorsement: boolean,
    readonly verifyNested: VerifyNested,
  ) {}

  private merged: Record<string, unknown> | undefined;
  /**
   * What the readers (EU elements, consistency) read: `credential` merged once more, exactly as readMicroCredential
   * and checkConsistency merge what they are given (merging a merged document again can still change an odd one),
   * computed once for both. When the signed-form step's merge changed nothing, merging again changes nothing either;
   * otherwise `credential` is that merge's own result, which the second merge gives back as it is when merging it again
   * would give the same (mergeMergedNodeCopies).
   */
  readable(): Record<string, unknown> {
    if (this.merged === undefined)
      this.merged =
        this.credential === this.parsed.credential ? this.credential : mergeMergedNodeCopies(this.credential);
    return this.merged;
  }

  /** The report of a verification a reading step could not finish (it threw): what was read, and the checks so far. */
  unfinished(): VerificationReport {
    const parsed = this.parsed as ParsedInput | undefined;
    return withVerdict({
      verified: false,
      ...(parsed ? { format: parsed.format, source: parsed.source, credential: this.credential } : {}),
      proofs: [],
      checks: this.report.checks,
    });
  }

  /** The report of a verification that ran to its end. */
  result(): VerificationReport {
    const proof = this.proof;
    return withVerdict({
      verified: !this.report.failed,
      format: this.parsed.format,
      source: this.parsed.source,
      credential: this.parsed.credential,
      proofs: proof ? proof.held : [],
      ...(proof?.results.length ? { proofResults: proof.results } : {}),
      checks: this.report.checks,
      ...(this.euElements ? { euElements: this.euElements } : {}),
      ...(this.endorsements?.length ? { endorsements: this.endorsements } : {}),
      ...(this.issuerTrust ? { issuerTrust: this.issuerTrust } : {}),
    });
  }
}

/** One step of the verify pipeline: reads and writes the context; never throws for a bad credential. */
export type VerifyStep = (ctx: VerifyContext) => Promise<void> | void;
