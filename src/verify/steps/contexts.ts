import { isMicrocredError } from '../../errors';
import { checkSafeMode } from '../../jsonld/fast/index';
import { isKnownContext, type DocumentLoader } from '../../jsonld/loader';
import { VC_CONTEXT_V1 as VC_V1, VC_CONTEXT_V2 as VC_V2 } from '../../shared/contexts';
import { ReportBuilder } from '../report';
import { vcVersion } from '../vc-version';
import type { VerifyContext } from './context';

const PROOF_KEYS = new Set([
  'type',
  'cryptosuite',
  'created',
  'expires',
  'verificationMethod',
  'proofPurpose',
  'proofValue',
  'id',
  'previousProof',
  'domain',
  'challenge',
  'nonce',
  '@context',
]);

/**
 * Whether checking safe mode can ride on the proof check: some proof canonicalizes the document (without its proofs)
 * with RDFC-1.0 in safe mode, and every proof is of a known type with only the Data Integrity terms, so nothing in
 * the `proof` property can hide an undefined term. Otherwise the whole document is expanded separately.
 */
export function hasRdfcProof(credential: Record<string, unknown>): boolean {
  const list = Array.isArray(credential.proof)
    ? credential.proof
    : credential.proof === undefined
      ? []
      : [credential.proof];
  const known = list.every(
    (p) =>
      typeof p === 'object' &&
      p !== null &&
      (p as { type?: unknown }).type !== undefined &&
      ['DataIntegrityProof', 'Ed25519Signature2020'].includes((p as { type: string }).type) &&
      Object.keys(p).every((k) => PROOF_KEYS.has(k)),
  );
  return (
    known &&
    list.some((p) => {
      const proof = p as { type?: unknown; cryptosuite?: unknown };
      return (
        proof.type === 'Ed25519Signature2020' ||
        (proof.type === 'DataIntegrityProof' &&
          (proof.cryptosuite === 'eddsa-rdfc-2022' || proof.cryptosuite === 'eddsa-2022'))
      );
    })
  );
}

/**
 * Contexts step: every context is known (bundled or given by the caller) and the document expands in JSON-LD safe
 * mode. The speed trick: canonicalizing the document for an RDFC proof is a safe-mode check of its own, so when the
 * credential has one, the expansion is not done here; the check's place in the report is kept (right after the parse
 * check) and `contextsVerdictStep`, after the proof step, fills it from what canonicalizing showed.
 */
export async function contextsStep(ctx: VerifyContext): Promise<void> {
  const { credential, report } = ctx;
  const count = checkContextList(credential, report, ctx.options.contexts);
  if (count === undefined) return;
  ctx.contextsOk = true;
  if (ctx.parsed.format === 'json-ld' && hasRdfcProof(credential)) {
    // Index 1, right after the parse check: ahead of a contexts failure the signed-form step let through.
    ctx.contextsVerdict = report.reserve('contexts', 1);
    return;
  }
  if (ctx.safeModeShown === credential) {
    // The signed-form step's walk showed it, on this very object and with this loader.
    passSafeMode(report, count);
    return;
  }
  ctx.contextsOk = await checkSafeModeExpansion(credential, report, ctx.documentLoader, count);
}

/**
 * Contexts verdict step, right after the proof step: writes the contexts check the contexts step left open. Safe
 * mode was proven or violated while canonicalizing for the proof; when the proof step could not tell (its
 * canonicalization did not run), the document is expanded now.
 */
export async function contextsVerdictStep(ctx: VerifyContext): Promise<void> {
  const fill = ctx.contextsVerdict;
  if (fill === undefined) return;
  const outcome = ctx.proof;
  if (outcome?.safeMode === 'proven') {
    fill([
      {
        check: 'contexts',
        status: 'pass',
        message: 'All contexts known; the credential canonicalizes in JSON-LD safe mode (no undefined terms)',
      },
    ]);
  } else if (outcome?.safeMode === 'violated') {
    fill([
      {
        check: 'contexts',
        status: 'fail',
        code: outcome.safeModeFailure!.code,
        message: outcome.safeModeFailure!.message,
        path: '$',
      },
    ]);
  } else {
    const written = new ReportBuilder();
    await checkSafeModeExpansion(ctx.credential, written, ctx.documentLoader, contextCount(ctx.credential));
    fill(written.checks);
  }
  ctx.contextsVerdict = undefined;
}

/** How many contexts the credential lists (the contexts step found them all known). */
function contextCount(credential: Record<string, unknown>): number {
  const c = credential['@context'];
  return Array.isArray(c) ? c.length : c === undefined ? 0 : 1;
}

/**
 * When a step threw before the verdict was written, the contexts check is left out of the report (the proof check
 * says why verification stopped), as it always was.
 */
export function dropContextsVerdict(ctx: VerifyContext): void {
  ctx.contextsVerdict?.([]);
  ctx.contextsVerdict = undefined;
}

/** Contexts check: every context is known (bundled or given by the caller) and the document expands in safe mode. */
export async function checkContexts(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  options: { contexts?: Readonly<Record<string, unknown>>; documentLoader: DocumentLoader },
): Promise<boolean> {
  const count = checkContextList(credential, report, options.contexts);
  return count !== undefined && (await checkSafeModeExpansion(credential, report, options.documentLoader, count));
}

/**
 * The first half of the contexts check: there are contexts, the first is the VC context, and every one is known.
 * Returns how many there are, or undefined after writing the failed check.
 */
export function checkContextList(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  contexts: Readonly<Record<string, unknown>> | undefined,
): number | undefined {
  const ctx = credential['@context'];
  const list = Array.isArray(ctx) ? ctx : ctx === undefined ? [] : [ctx];
  if (list.length === 0) {
    report.fail('contexts', 'INVALID_INPUT', 'The credential has no @context', '$["@context"]');
    return undefined;
  }
  if (!vcVersion(credential)) {
    report.fail('contexts', 'INVALID_INPUT', `The first @context must be ${VC_V2} (or ${VC_V1})`, '$["@context"][0]');
    return undefined;
  }
  const unknown = list.filter((c): c is string => typeof c === 'string' && !isKnownContext(c, contexts));
  if (unknown.length) {
    report.fail(
      'contexts',
      'UNKNOWN_CONTEXT',
      `Unknown context(s), not fetched: ${unknown.join(', ')}`,
      '$["@context"]',
    );
    return undefined;
  }
  return list.length;
}

/** The second half of the contexts check: the document expands in JSON-LD safe mode (no undefined terms). */
export async function checkSafeModeExpansion(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  documentLoader: DocumentLoader,
  contextCount: number,
): Promise<boolean> {
  try {
    await checkSafeMode(credential, { documentLoader });
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    report.fail('contexts', e.code, e.message, '$');
    return false;
  }
  passSafeMode(report, contextCount);
  return true;
}

function passSafeMode(report: ReportBuilder, contextCount: number): void {
  report.pass(
    'contexts',
    `${contextCount} known context(s); the credential expands in JSON-LD safe mode (no undefined terms)`,
  );
}
