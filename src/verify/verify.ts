import { describeThrown, isMicrocredError } from '../errors';
import { checkVerifyOptions, type VerifyOptions, withResolutionBudget } from './options';
import type { VerifiableInput } from './parse';
import type { CheckCode, CheckName, VerificationReport } from './report';
import { VerifyContext, type VerifyStep } from './steps/context';
import { parseStep } from './steps/parse';
import { signedFormStep } from './steps/signed-form';
import { contextsStep, contextsVerdictStep, dropContextsVerdict } from './steps/contexts';
import { schemaStep } from './steps/schema';
import { proofStep } from './steps/proof';
import { validityStep } from './steps/validity';
import { relatedResourceStep } from './steps/related-resource';
import { statusStep } from './steps/status';
import { finishProofsStep } from './steps/finish-proofs';
import { euElementsStep } from './steps/eu-elements';
import { looksLikeSdJwt } from '../proof/sd-jwt/shape';
import { europassStep } from './steps/europass';
import { consistencyStep } from './steps/consistency';
import { endorsementsStep } from './steps/endorsements';
import { issuerIdentityStep } from './steps/issuer-identity';
import { onDemand } from '../shared/on-demand';

const loadSdJwtVerifier = onDemand(() => import('./sd-jwt'));

export type { VerifyOptions } from './options';

/**
 * Verifies a credential: a credential object, JSON text, a compact JWS (VC-JWT) or a baked PNG/SVG badge.
 * Runs every check in order — parse, contexts & safe mode, schema, proof(s), key binding, validity period, status,
 * EU elements, endorsements — and returns a report. It never throws for a bad credential; it throws only when the
 * options themselves are unusable.
 */
export async function verify(input: VerifiableInput, options: VerifyOptions = {}): Promise<VerificationReport> {
  checkVerifyOptions(options);
  // An SD-JWT VC (`<jwt>~<disclosures>~[<kb-jwt>]`) has a claim set of its own, not a VC data model document. Its
  // verifier loads on demand: a page that verifies Data Integrity credentials never downloads it.
  if (looksLikeSdJwt(input)) {
    const { verifySdJwtVc } = await loadSdJwtVerifier();
    return verifySdJwtVc(input, withResolutionBudget(options ?? {}));
  }
  return verifyAt(input, withResolutionBudget(options), 0, false);
}

/** A step and the check it reports under: a step that throws is reported there. */
type NamedStep = readonly [CheckName, VerifyStep];

/** Reads the input as a credential; either step may end the verification (unreadable, a presentation, a rewritten form). */
const READ: readonly NamedStep[] = [
  ['parse', parseStep],
  ['contexts', signedFormStep],
];
/** The checks, in report order. A step that throws ends this part; the concluding steps still run. */
const CHECKS: readonly NamedStep[] = [
  ['contexts', contextsStep],
  ['schema', schemaStep],
  ['proof', proofStep],
  ['contexts', contextsVerdictStep],
  ['validity', validityStep],
  ['relatedResource', relatedResourceStep],
  ['status', statusStep],
  ['proof', finishProofsStep],
];
/** What is checked even when a check above threw. */
const CONCLUDE: readonly NamedStep[] = [
  ['proof', finishProofsStep],
  ['contexts', dropContextsVerdict],
  ['issuerIdentity', issuerIdentityStep],
  ['euElements', euElementsStep],
  ['seal', europassStep],
  ['consistency', consistencyStep],
  ['endorsements', endorsementsStep],
];

/**
 * Runs steps in order until one ends the verification (sets `ctx.done`) or throws; false then. A throw is a bug or a
 * caller's callback failing in a way no step expected: it is reported as a failed check of the step that threw, with
 * the MicrocredError's code, INVALID_INPUT while reading the input, or INTERNAL_ERROR, never as an exception out of
 * `verify`.
 */
async function run(
  steps: readonly NamedStep[],
  ctx: VerifyContext,
  afterThrow: 'stop' | 'go on' = 'stop',
): Promise<boolean> {
  for (const [check, step] of steps) {
    try {
      // Synchronous steps are not awaited: no promise per step on the hot path.
      const pending = step(ctx);
      if (pending) await pending;
    } catch (e) {
      // Reading throws on hostile input (a getter, a proxy): that is the input's fault; later, a throw is a bug.
      const code: CheckCode = isMicrocredError(e) ? e.code : check === 'parse' ? 'INVALID_INPUT' : 'INTERNAL_ERROR';
      ctx.report.fail(check, code, `Verification stopped: ${describeThrown(e)}`);
      if (afterThrow === 'stop') return false;
    }
    if (ctx.done) return false;
  }
  return true;
}

async function verifyAt(
  input: unknown,
  options: VerifyOptions,
  depth: number,
  isEndorsement: boolean,
): Promise<VerificationReport> {
  const ctx = new VerifyContext(input, options, depth, isEndorsement, verifyAt);
  if (!(await run(READ, ctx))) return ctx.done ?? ctx.unfinished();
  await run(CHECKS, ctx);
  await run(CONCLUDE, ctx, 'go on');
  return ctx.result();
}
