import { checkCompactedForm, TOO_DEEP } from '../../jsonld/compacted-form';
import {
  MAX_CREDENTIAL_INLINE_TERMS,
  contextLimitProblem,
  type ContextLimitProblem,
} from '../../jsonld/context-limits';
import { isKnownContext, type DocumentLoader } from '../../jsonld/loader';
import { mergeNodeCopies } from '../../read/merge-nodes';
import type { ReportBuilder } from '../report';
import { withVerdict } from '../verdict';
import type { VerifyContext } from './context';
import { hasRdfcProof } from './contexts';
import { compactedAndSafe } from '../../jsonld/compacted-and-safe';

/**
 * The verifier reads what was signed: before any check reads a JSON key, the credential must be written the one way
 * those keys mean what the signature covers (the compacted form of its own contexts, ../jsonld/compacted-form.ts),
 * and carry no more contexts than a verifier processes (../jsonld/context-limits.ts). Applies to every format: for
 * eddsa-rdfc-2022 the signature covers the graph, so a rewrite keeps it valid; for eddsa-jcs-2022 and VC-JWT the JSON
 * itself is signed, but an issuer (or anyone signing with a key the verifier accepts) could still write keys that the
 * checks skip.
 *
 * Returns false when the credential is refused; the rest of the pipeline is then not run (its checks would read a
 * credential that does not say what it seems to, and 1,000 repeated contexts must not reach JSON-LD processing).
 */
export async function checkSignedForm(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  options: {
    documentLoader: DocumentLoader;
    contexts?: Readonly<Record<string, unknown>>;
    noun?: 'credential' | 'presentation';
    /** The caller checks safe mode next (with this loader): try the one walk that answers both. */
    safeModeNext?: boolean;
  },
): Promise<boolean | 'safe mode too'> {
  const noun = options.noun ?? 'credential';
  const { limit, lengthBound } = limitsAndLength(credential, options.safeModeNext === true);
  if (limit) {
    report.fail('contexts', 'CANONICALIZATION_LIMIT', limit.message, limit.path);
    return false;
  }
  if (lengthBound !== undefined && (await walkedBoth(credential, options.documentLoader, lengthBound)))
    return 'safe mode too';
  const verdict = await checkCompactedForm(credential, { documentLoader: options.documentLoader });
  if (verdict.status === 'not-compacted') {
    const message =
      verdict.problem.kind === 'malformed-context'
        ? `This ${noun} has a malformed @context: ${verdict.problem.message}. It is not accepted.`
        : `This ${noun} has been rewritten in a form that hides what its signature covers: ${verdict.problem.message}. It is not accepted.`;
    report.fail('contexts', 'NOT_COMPACTED', message, verdict.problem.path);
    return false;
  }
  if (verdict.status === 'unprocessable') {
    // Unknown or broken contexts are the contexts step's to report; with known ones, a form we cannot check is refused.
    const ctx = credential['@context'];
    const list = Array.isArray(ctx) ? ctx : [ctx];
    const known = list.length > 0 && list.every((c) => typeof c !== 'string' || isKnownContext(c, options.contexts));
    // Refused, but not as a rewrite: a form that could not be walked (too deep, or not JSON-LD) is no sign of one.
    if (known)
      report.fail(
        'contexts',
        verdict.reason.endsWith(TOO_DEEP) ? 'CANONICALIZATION_LIMIT' : 'INVALID_INPUT',
        `Could not check that this ${noun} is written in the plain form of its contexts (${verdict.reason}); it is not accepted.`,
        '$',
      );
  }
  return true;
}

/**
 * The credential's context limits (with the bound on inline terms) and, for the one walk, its JSON length bound
 * (`jsonLengthBound`), found on one walk. A caller's object that throws only when measured (a proxy's
 * getPrototypeOf) gets no bound, and so no one walk, as when the bound threw on its own walk. A throw from a read
 * the limits make is not caught here: the step fails on it, as it did when the limits had a walk of their own (read
 * again, a getter that throws once would pass).
 */
function limitsAndLength(
  credential: Record<string, unknown>,
  measured: boolean,
): { limit: ContextLimitProblem | undefined; lengthBound?: number | undefined } {
  const maxInlineTerms = MAX_CREDENTIAL_INLINE_TERMS;
  if (!measured) return { limit: contextLimitProblem(credential, { maxInlineTerms }) };
  const measure = { lengthBound: undefined as number | undefined };
  return { limit: contextLimitProblem(credential, { maxInlineTerms, measure }), lengthBound: measure.lengthBound };
}

/**
 * Whether one walk shows both that the credential is in its compacted form and that it expands in safe mode (false:
 * it cannot tell, and the two checks run on their own). Its context limits were just found within bounds with the
 * bound on inline terms, so within them without it too: the safe-mode walk need not look again.
 */
async function walkedBoth(
  credential: Record<string, unknown>,
  documentLoader: DocumentLoader,
  lengthBound: number,
): Promise<boolean> {
  try {
    const bounds = { lengthBound, overContextLimits: () => false, problem: () => undefined };
    return await compactedAndSafe(credential, documentLoader, bounds);
  } catch {
    return false; // a caller's object that throws when read: the separate checks say where
  }
}

/** Signed-form step: the credential is written the one way its keys mean what was signed (see ../signed-form.ts). */
export async function signedFormStep(ctx: VerifyContext): Promise<void> {
  const { credential, report } = ctx;
  // The contexts step checks safe mode on its own walk unless an RDFC proof proves it while canonicalizing.
  const safeModeNext = ctx.parsed.format !== 'json-ld' || !hasRdfcProof(credential);
  const signed = await checkSignedForm(credential, report, {
    documentLoader: ctx.documentLoader,
    contexts: ctx.options.contexts,
    safeModeNext,
  });
  if (!signed) {
    ctx.done = withVerdict({
      verified: false,
      format: ctx.parsed.format,
      source: ctx.parsed.source,
      credential,
      proofs: [],
      checks: report.checks,
    });
    return;
  }
  // The checks after this one read the credential as signed: a node written in several places (which JSON-LD merges
  // into one) read whole wherever it is met, so that no copy hides what another says (../../read/merge-nodes.ts).
  // The proof is checked on the credential as written (ctx.parsed).
  ctx.credential = mergeNodeCopies(credential);
  // The merge gives back the credential itself when it changes nothing: then safe mode was shown for what is checked.
  if (signed === 'safe mode too') ctx.safeModeShown = credential;
}
