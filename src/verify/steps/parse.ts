import { isMicrocredError } from '../../errors';
import { prefetchContextProcessing } from '../../jsonld/fast/compiled-context';
import { loadingOnce, offlineDocumentLoader } from '../../jsonld/loader';
import { decodeBase64url } from '../../shared/base64url';
import { isEnvelopedCredential } from '../envelope';
import { onDemand } from '../../shared/on-demand';
import { parseInput, type ParsedInput } from '../parse';
import { unbakeForVerify } from '../parse-credential';
import { withVerdict } from '../verdict';
import type { VerifyContext } from './context';

// Loaded on demand: only a VC-JOSE-COSE envelope needs it.
const loadOpenEnvelope = onDemand(() => import('../open-envelope'));

/** A presentation (JSON-LD type VerifiablePresentation, or a JWT with a `vp` claim) rather than a credential. */
function isPresentation(parsed: ParsedInput): boolean {
  const type = parsed.credential.type;
  const types = Array.isArray(type) ? type : [type];
  return (
    types.includes('VerifiablePresentation') ||
    types.includes('EnvelopedVerifiablePresentation') ||
    parsed.jwtClaims?.vp !== undefined
  );
}

/** Whether a JWT's header says it is a VC-JOSE-COSE secured credential (typ vc+jwt). */
function isEnvelopeJwt(jwt: string | undefined): boolean {
  try {
    const header = JSON.parse(
      new TextDecoder().decode(decodeBase64url((jwt ?? '').split('.')[0]) ?? new Uint8Array()),
    ) as { typ?: unknown };
    return header.typ === 'vc+jwt' || header.typ === 'vc-ld+jwt';
  } catch {
    return false;
  }
}

/** The input read as a credential, or undefined with the verification ended (a failed parse check). */
async function readInput(ctx: VerifyContext, input: unknown): Promise<ParsedInput | undefined> {
  try {
    return await parseInput(input, unbakeForVerify);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    ctx.report.fail(
      'parse',
      e.code === 'INVALID_IMAGE' || e.code === 'DUPLICATE_KEY' || e.code === 'CANONICALIZATION_LIMIT'
        ? e.code
        : 'INVALID_INPUT',
      e.message,
      e.path,
    );
    ctx.done = withVerdict({ verified: false, proofs: [], checks: ctx.report.checks });
    return undefined;
  }
}

/**
 * Parse step: reads the input (object, JSON text, compact JWS, VC-JOSE-COSE envelope, baked PNG/SVG) as a credential.
 * Anything it cannot read, and a presentation, ends the verification here.
 */
export async function parseStep(ctx: VerifyContext): Promise<void> {
  const report = ctx.report;
  // A caller's object is read once (parseInput's copy): the envelope test below reads that copy, not the object.
  let parsed = await readInput(ctx, ctx.input);
  if (!parsed) return;
  if (parsed.source === 'object' && isEnvelopedCredential(parsed.credential)) {
    // VC-JOSE-COSE: the envelope is a pointer to the secured credential, verified as the JWT it holds.
    const opened = (await loadOpenEnvelope()).openEnvelope(parsed.credential);
    if ('error' in opened) {
      report.fail('parse', 'INVALID_INPUT', opened.error, '$.id');
      ctx.done = withVerdict({ verified: false, proofs: [], checks: report.checks });
      return;
    }
    parsed = await readInput(ctx, opened.jwt);
    if (!parsed) return;
  }
  if (isPresentation(parsed)) {
    // A presentation has its own checks (holder binding, challenge, domain, freshness): verify() does not guess them.
    report.fail(
      'parse',
      'INVALID_INPUT',
      'This is a verifiable presentation, not a credential: verify it with verifyPresentation (on the command line: microcred verify-presentation) giving your challenge and domain; it also verifies each credential in it',
      '$.type',
    );
    ctx.done = withVerdict({
      verified: false,
      format: parsed.format,
      source: parsed.source,
      proofs: [],
      checks: report.checks,
    });
    return;
  }
  report.pass(
    'parse',
    `Read ${parsed.format === 'vc-jwt' ? (isEnvelopeJwt(parsed.jwt) ? 'a vc+jwt (VC-JOSE-COSE)' : 'a VC-JWT') : 'a JSON-LD credential'} from ${parsed.source === 'object' ? 'an object' : `${parsed.source.toUpperCase()} input`}`,
  );
  // A JSON-LD credential's checks may compile its contexts: in a browser, start fetching that code now.
  if (parsed.format === 'json-ld') prefetchContextProcessing(parsed.credential['@context']);
  const credential = parsed.credential;
  ctx.parsed = parsed;
  ctx.credential = credential;
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  // An EndorsementCredential (or any VC that is not an Open Badge) is checked as a VC: no OB schema, no EU elements.
  const isOpenBadge = types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
  ctx.isEndorsement = ctx.isEndorsement || !isOpenBadge;
  const options = ctx.options;
  ctx.documentLoader = loadingOnce(options.documentLoader ?? offlineDocumentLoader(options.contexts));
  ctx.now = options.now ?? new Date();
  ctx.clockSkewSeconds = options.clockSkewSeconds ?? 300;
}
