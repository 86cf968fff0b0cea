import { MicrocredError } from '../../errors';
import type { DocumentLoader } from '../../jsonld/loader';
import { didKeyDocument, didWebUrl } from '../../keys/did';
import { importKey, toBase64url } from '../../keys/multikey';
import * as proofs from '../../proof/index';
import { fetchControllerDocument, issuerAssertionKeys, resolveJwkMethod } from '../../proof/resolver';
import type { ParsedInput } from '../parse';
import type { CheckCode, ReportBuilder } from '../report';
import type { ProofOptions } from '../options';
import type { VerifyContext } from './context';
import { issuerIdOf } from '../../shared/credential';
import { onDemand } from '../../shared/on-demand';

const loadJwtVerifier = onDemand(() => import('../../proof/jwt'));

export interface ProofOutcome {
  /**
   * Suites / algorithms of the proofs that held. For Data Integrity proofs this list is completed by `finish()` (the
   * array is filled in place).
   */
  held: string[];
  /** Each proof's outcome, in document order (Data Integrity); completed by `finish()`. */
  results: proofs.ProofVerification[];
  /** What canonicalizing the document for its proofs showed about JSON-LD safe mode. */
  safeMode: 'proven' | 'violated' | 'unknown';
  safeModeFailure?: { code: CheckCode; message: string };
  /** VC-JWT `nbf` / `exp` (NumericDate seconds), for the validity step to honour. */
  jwtTimes?: { nbf?: number; exp?: number };
  /**
   * Verifies the proofs left for later (those whose verification method the issuer does not control) and writes the
   * proof and key-binding checks. Call it once, after the status step: a holder can append proofs, and these must not
   * spend the resolver budget before the issuer's proof and its status list have been resolved. Never throws.
   */
  finish(): Promise<void>;
}

const DONE = async (): Promise<void> => {};

/** The controller named by a verification method id (the part before `#`), without resolving anything. */
function namedController(proof: unknown): string | undefined {
  const vm =
    typeof proof === 'object' && proof !== null
      ? (proof as { verificationMethod?: unknown }).verificationMethod
      : undefined;
  if (typeof vm !== 'string') return undefined;
  // The part before '#', as parseVerificationMethodId reads it (without decoding a did:key twice per proof).
  const hash = vm.indexOf('#');
  return hash >= 0 ? vm.slice(0, hash) : vm;
}

type CheckProofsOptions = ProofOptions & { documentLoader: DocumentLoader; now: Date; clockSkewSeconds: number };

/** `read`: the credential as the checks read it (every copy of a node merged), for the issuer the key must belong to. */
export async function checkProofs(
  parsed: ParsedInput,
  report: ReportBuilder,
  options: CheckProofsOptions,
  read: Record<string, unknown> = parsed.credential,
): Promise<ProofOutcome> {
  const credential = parsed.credential;
  const issuerId = issuerIdOf(read);
  // Fragment keys are always decoded here so that the report can say "signature valid, key unconfirmed" rather than
  // "cannot resolve"; whether that is a failure or a warning is decided below, from the caller's option.
  const resolver = proofs.createResolver({
    ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    timeoutMs: options.resolverTimeoutMs ?? 5000,
    acceptUnconfirmedFragmentKeys: true,
    ...(options.allowPrivateHosts ? { allowPrivateHosts: true } : {}),
  });

  if (parsed.format === 'vc-jwt' && parsed.jwt) return checkJwtProof(parsed.jwt, issuerId, resolver, report, options);
  return checkEmbeddedProofs(credential, issuerId, resolver, report, options);
}

/**
 * The issuer-signed JWT of an SD-JWT VC (`dc+sd-jwt`) or a Token Status List (`statuslist+jwt`): its signature and
 * whose key signed it, by the same rules as a VC-JWT (a key counts for `issuerId` only through the caller's JWKS, the
 * issuer's did:key, or its DID / controller document read through `resolveDocument`). Writes `proof` and `keyBinding`.
 */
export async function checkTypedJwtProof(
  jwt: string,
  typ: 'dc+sd-jwt' | 'statuslist+jwt',
  issuerId: string | undefined,
  report: ReportBuilder,
  options: CheckProofsOptions,
): Promise<ProofOutcome> {
  const resolver = proofs.createResolver({
    ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    timeoutMs: options.resolverTimeoutMs ?? 5000,
    acceptUnconfirmedFragmentKeys: true,
    ...(options.allowPrivateHosts ? { allowPrivateHosts: true } : {}),
  });
  return checkJwtProof(jwt, issuerId, resolver, report, options, typ);
}

/** A VC-JWT: its signature, its claims against the credential, and whose key signed it. */
async function checkJwtProof(
  jwt: string,
  issuerId: string | undefined,
  resolver: ReturnType<typeof proofs.createResolver>,
  report: ReportBuilder,
  options: CheckProofsOptions,
  typ?: 'dc+sd-jwt' | 'statuslist+jwt',
): Promise<ProofOutcome> {
  const label = typ === 'dc+sd-jwt' ? 'SD-JWT VC' : typ === 'statuslist+jwt' ? 'Token Status List' : 'VC-JWT';
  let kidController: string | undefined;
  let kidUnconfirmed = false;
  // VC-JWT verification loads on demand: a page that verifies Data Integrity credentials never downloads it.
  const { verifyJwt } = await loadJwtVerifier();
  const result = await verifyJwt(jwt, {
    ...(typ ? { typ } : {}),
    ...(options.jwks ? { jwks: options.jwks } : {}),
    // A `kid` that is a did:key / did:web / https DID URL resolves like a Data Integrity verification method.
    resolveKey: async (kid) => {
      let vm: Awaited<ReturnType<typeof resolver>>;
      try {
        vm = await resolver(kid);
      } catch (e) {
        // An ES256 (or other non-Ed25519) key listed as a JsonWebKey in the issuer's own document.
        if (!(e instanceof MicrocredError && e.code === 'INVALID_KEY')) throw e;
        const method = await resolveJwkMethod(kid, {
          ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
          timeoutMs: options.resolverTimeoutMs ?? 5000,
          ...(options.allowPrivateHosts ? { allowPrivateHosts: true } : {}),
        });
        kidController = method.controller;
        return method.publicKeyJwk;
      }
      kidController = vm.controller;
      kidUnconfirmed = vm.unconfirmed === true;
      return {
        kty: 'OKP',
        crv: 'Ed25519',
        x: toBase64url(importKey({ publicKeyMultibase: vm.publicKeyMultibase }).publicKey),
      };
    },
    // A header jwk counts only as a key the issuer's own document (or did:key) lists.
    issuerKeys: async (issuer) => {
      if (issuer.startsWith('did:key:')) return issuerAssertionKeys(didKeyDocument(issuer), issuer);
      if (!options.resolveDocument)
        throw new MicrocredError('RESOLVER_ERROR', 'no resolveDocument was given to read its document');
      const url = issuer.startsWith('did:web:') ? didWebUrl(issuer) : /^https:\/\//.test(issuer) ? issuer : undefined;
      if (!url) throw new MicrocredError('RESOLVER_ERROR', `${issuer} has no document to read`);
      const doc = await fetchControllerDocument(url, {
        resolveDocument: options.resolveDocument,
        timeoutMs: options.resolverTimeoutMs ?? 5000,
        ...(options.allowPrivateHosts ? { allowPrivateHosts: true } : {}),
      });
      return issuerAssertionKeys(doc, issuer);
    },
  });
  const claims = result.claims;
  const jwtTimes = claims
    ? {
        ...(typeof claims.nbf === 'number' ? { nbf: claims.nbf } : {}),
        ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
      }
    : undefined;
  if (!result.verified) {
    report.fail('proof', result.code ?? 'INVALID_SIGNATURE', `${label}: ${result.message}`);
    report.skip('keyBinding', 'Not checked: the JWT signature did not verify');
    return { held: [], results: [], safeMode: 'unknown', finish: DONE };
  }
  report.pass(
    'proof',
    typ
      ? `${label} signature valid (${result.algorithm})`
      : `VC-JWT signature valid (${result.algorithm}); iss/jti/sub agree with the credential`,
  );
  if (kidController !== undefined && kidController === issuerId && kidUnconfirmed)
    report.add(
      'keyBinding',
      ...unconfirmedCheck(
        issuerId,
        `the key ${String(result.header?.kid)}: it is read from the kid's fragment (1EdTech's convention)`,
        options,
      ),
    );
  else if (result.keyBound === false && result.keyUnconfirmed)
    report.add(
      'keyBinding',
      ...unconfirmedCheck(issuerId, `the key in the JWT header (${result.keyBindingMessage ?? ''})`, options),
    );
  else if (kidController !== undefined) {
    if (kidController === issuerId) report.pass('keyBinding', `The key ${kidController} is the issuer's`);
    else
      report.fail(
        'keyBinding',
        'KEY_BINDING_MISMATCH',
        `The key is controlled by ${kidController}, not by the issuer ${String(issuerId)}`,
      );
  } else if (result.keyBound === true)
    report.pass('keyBinding', result.keyBindingMessage ?? `The key belongs to ${String(issuerId)}`);
  else
    report.fail(
      'keyBinding',
      'KEY_BINDING_MISMATCH',
      result.keyBindingMessage ?? "The key is not shown to be the issuer's",
    );
  return {
    held: [`${typ ?? 'vc-jwt'}/${result.algorithm}`],
    results: [],
    safeMode: 'unknown',
    ...(jwtTimes ? { jwtTimes } : {}),
    finish: DONE,
  };
}

/**
 * Embedded Data Integrity proofs: every one must hold. The proofs by the issuer's own keys are checked now; the rest
 * in `finish()`, after the status lists (see ProofOutcome).
 */
async function checkEmbeddedProofs(
  credential: Record<string, unknown>,
  issuerId: string | undefined,
  resolver: ReturnType<typeof proofs.createResolver>,
  report: ReportBuilder,
  options: CheckProofsOptions,
): Promise<ProofOutcome> {
  const proofValue = credential.proof;
  const list = proofValue === undefined ? [] : Array.isArray(proofValue) ? proofValue : [proofValue];
  if (list.length === 0) {
    report.fail('proof', 'NO_PROOF', 'The credential has no embedded proof (and is not a VC-JWT)', '$.proof');
    report.skip('keyBinding', 'Not checked: no proof');
    return { held: [], results: [], safeMode: 'unknown', finish: DONE };
  }
  // Every proof must hold (DI §4.5). Checks that need no network run first for all of them; then the proofs whose
  // verification method names the issuer as controller; the rest only in finish(), after the status lists.
  const run = proofs.startProofSet(credential, {
    documentLoader: options.documentLoader,
    resolveVerificationMethod: resolver,
    failFast: true,
    now: options.now,
    clockSkewSeconds: options.clockSkewSeconds,
  });
  if (!('finish' in run)) {
    // Each proof costs a canonicalization and a signature check: thousands of them would hold the verifier.
    report.fail('proof', run.code ?? 'INVALID_INPUT', run.message, '$.proof');
    report.skip('keyBinding', `Not checked: ${run.message}`);
    return { held: [], results: [], safeMode: 'unknown', finish: DONE };
  }
  const byIssuer = (p: unknown) => issuerId !== undefined && namedController(p) === issuerId;
  await run.verify(byIssuer);
  const outcome: ProofOutcome = { held: [], results: [], safeMode: 'unknown', finish: DONE };
  const noteSafeMode = () => {
    for (const r of run.results) {
      if (r?.safeModeChecked && outcome.safeMode === 'unknown') outcome.safeMode = 'proven';
      if (
        r &&
        (r.code === 'SAFE_MODE_VIOLATION' || r.code === 'CANONICALIZATION_LIMIT' || r.code === 'UNKNOWN_CONTEXT')
      ) {
        outcome.safeMode = 'violated';
        outcome.safeModeFailure = { code: r.code, message: r.message };
      }
    }
  };
  noteSafeMode();
  const fill = report.reserve('proof');
  let finished = false;
  outcome.finish = async () => {
    if (finished) return;
    finished = true;
    try {
      await run.verify();
    } finally {
      noteSafeMode();
      writeProofChecks(run.finish(), outcome, fill, issuerId, options);
    }
  };
  return outcome;
}

/** The proof and keyBinding checks for a finished proof set. */
function writeProofChecks(
  set: proofs.ProofSetVerification,
  outcome: ProofOutcome,
  fill: ReturnType<ReportBuilder['reserve']>,
  issuerId: unknown,
  options: ProofOptions,
): void {
  const checks: Parameters<typeof fill>[0] = [];
  outcome.results.push(...set.results);
  const name = (r: proofs.ProofVerification) => r.cryptosuite ?? 'unknown';
  const lines = set.results.map(
    (r, i) =>
      `proof[${i}] (${name(r)}${r.verificationMethod ? `, ${r.verificationMethod}` : ''}): ${r.verified ? 'valid' : r.notChecked ? 'not checked' : `${r.code ?? 'invalid'}: ${r.message}`}`,
  );
  const valid = set.results.filter((r) => r.verified);
  outcome.held.push(...valid.map(name));
  if (set.verified)
    checks.push({
      check: 'proof',
      status: 'pass',
      message: `${valid.length} of ${set.results.length} proof(s) valid: ${valid.map(name).join(', ')}`,
    });
  else
    checks.push({
      check: 'proof',
      status: 'fail',
      code: set.code ?? 'INVALID_SIGNATURE',
      message:
        set.results.length > 1
          ? `Every proof must hold, and not all do: ${lines.join('; ')}`
          : lines.join('; ').replace(/^proof\[0\] \([^)]*\): \w+: /, ''),
      path: '$.proof',
    });
  const bound = valid.filter((r) => r.controller !== undefined && r.controller === issuerId && !r.keyUnconfirmed);
  const unconfirmed = valid.filter((r) => r.controller !== undefined && r.controller === issuerId && r.keyUnconfirmed);
  if (bound.length)
    checks.push({
      check: 'keyBinding',
      status: 'pass',
      message: `The signing key belongs to the issuer ${String(issuerId)}`,
    });
  else if (unconfirmed.length) {
    const [status, message, extra] = unconfirmedCheck(
      issuerId,
      `the key ${String(unconfirmed[0]!.verificationMethod)}: it is read from the verification method's fragment (1EdTech's convention)`,
      options,
    );
    checks.push({ check: 'keyBinding', status, message, ...extra });
  } else if (valid.length === 0)
    checks.push({ check: 'keyBinding', status: 'skip', message: 'Not checked: no proof holds' });
  else
    checks.push({
      check: 'keyBinding',
      status: 'fail',
      code: 'KEY_BINDING_MISMATCH',
      message: valid
        .map(
          (r) =>
            `${name(r)} is valid but its key's controller ${String(r.controller)} is not the issuer ${String(issuerId)}`,
        )
        .join('; '),
      path: '$.proof',
    });
  fill(checks);
}

/**
 * Key binding for a valid signature under an https fragment key: a failure (KEY_UNCONFIRMED), or with
 * `acceptUnconfirmedFragmentKeys` a warning with the same code, never a plain pass.
 */
function unconfirmedCheck(
  issuerId: unknown,
  which: string,
  options: ProofOptions,
): ['fail' | 'warn', string, { code: CheckCode; path: string }] {
  const message = `The signature is valid, but nothing confirms that ${String(issuerId)} controls ${which}, which anyone can write`;
  if (options.acceptUnconfirmedFragmentKeys)
    return [
      'warn',
      `${message}. Accepted (acceptUnconfirmedFragmentKeys): the issuer's identity is unconfirmed`,
      { code: 'KEY_UNCONFIRMED', path: '$.proof' },
    ];
  return [
    'fail',
    `${message}${options.resolveDocument ? '' : ' (give a resolveDocument so that its controller document can be checked)'}`,
    { code: 'KEY_UNCONFIRMED', path: '$.proof' },
  ];
}

/**
 * Proof step: the issuer's proofs and their key binding (`checkProofs` above). The other proofs wait for
 * `finishProofsStep`, after the status step (budget order). An unknown context makes the proof meaningless (its terms
 * cannot be read), so the proof is not attempted then, except for a VC-JWT (its signature covers the JSON).
 */
export async function proofStep(ctx: VerifyContext): Promise<void> {
  const { parsed, report } = ctx;
  if (!ctx.contextsOk && parsed.format !== 'vc-jwt') {
    report.skip('proof', 'Not checked: the credential cannot be processed with known contexts');
    report.skip('keyBinding', 'Not checked');
    return;
  }
  ctx.proof = await checkProofs(
    parsed,
    report,
    { ...ctx.options, documentLoader: ctx.documentLoader, now: ctx.now, clockSkewSeconds: ctx.clockSkewSeconds },
    ctx.credential,
  );
}
