import { describeThrown, isMicrocredError, MicrocredError } from '../errors';
import { loadingOnce, offlineDocumentLoader, type DocumentLoader } from '../jsonld/loader';
import { importKey, toBase64url } from '../keys/multikey';
import { verifyProof, type ProofVerification } from '../proof/data-integrity';
import { verifyJwt } from '../proof/jwt';
import { createResolver } from '../proof/resolver';
import { ReportBuilder, type Check, type CheckCode, type CheckName, type VerificationReport } from '../verify/report';
import { withVerdict } from '../verify/verdict';
import { isEnvelopedCredential } from '../verify/envelope';
import { openEnvelope } from '../verify/open-envelope';
import { checkSignedForm } from '../verify/steps/signed-form';
import { checkContexts } from '../verify/steps/contexts';
import { verify } from '../verify/verify';
import { checkVerifyOptions, withResolutionBudget, type VerifyOptions } from '../verify/options';
import { asList } from '../shared/json';
import { decodeBase64url } from '../shared/base64url';
import { findDuplicateKey, nameRefusal, refusedName } from '../verify/duplicate-keys';
import { readOnce } from '../shared/read-once';
import { checkPresentationModel, holderIdOf } from './model';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Credentials verified in one presentation: each is a full verification (proofs, keys, status lists). */
export const MAX_PRESENTED_CREDENTIALS = 32;

/** Options of `verifyPresentation`: the expected challenge and domain, freshness, and every `verify` option. */
export interface VerifyPresentationOptions extends VerifyOptions {
  /**
   * The challenge this verifier gave the holder (a one-time nonce). The proof's `challenge` (a VP-JWT's `nonce`) must
   * equal it. Without it nothing prevents replaying a presentation made for someone else: the report warns.
   */
  challenge?: string;
  /** This verifier's domain: the proof's `domain` (a VP-JWT's `aud`) must be, or include, it. */
  domain?: string;
  /**
   * How old a presentation may be, in seconds from its proof's `created` (a VP-JWT's `iat`), default 600. A wallet
   * signs a presentation when asked, so an old one is a replay. Clock skew (`clockSkewSeconds`) is tolerated on top.
   * `Infinity` sets no limit, for a presentation this verifier did not ask for (a file handed over, without a
   * challenge): it then shows whose credentials these are, not that the holder is presenting them now.
   */
  maxAgeSeconds?: number;
  /** Accept a presentation without a proof (default false): then nothing ties it to its holder. */
  allowUnsigned?: boolean;
  /** Every credential's subject must be the holder (the learner presents their own credentials). Default false. */
  requireHolderIsSubject?: boolean;
}

/** The report of `verifyPresentation`: the presentation's own checks and each credential's `verify` report. */
export interface PresentationReport {
  /** True when no check failed: the presentation's own and every credential's. */
  verified: boolean;
  /** `json-ld` (an embedded Data Integrity proof, or unsigned), `vp-jwt` (a `vp` claim) or `vp+jwt` (VC-JOSE-COSE). Undefined when parsing failed. */
  format?: 'json-ld' | 'vp-jwt' | 'vp+jwt';
  /** The presentation as parsed (for a VP-JWT, its `vp` claim). */
  presentation?: Record<string, unknown>;
  /** The holder's id, as the presentation names it. */
  holder?: string;
  /** The presentation's own checks: parse, contexts, proof, holderBinding, challenge, domain, freshness, credentials, subjectBinding. */
  checks: Check[];
  /** Each contained credential's full verification report, in order (enveloped ones included). */
  credentials: VerificationReport[];
}

/**
 * Verifies a verifiable presentation: a JSON-LD presentation with a Data Integrity proof (eddsa-rdfc-2022,
 * eddsa-jcs-2022, proof purpose `authentication`), a VP-JWT, or (with `allowUnsigned`) an unsigned one. Checks the
 * presentation itself — proof, holder binding (the proof's key is controlled by the holder), challenge, domain,
 * freshness — and runs `verify()` on each credential in it with the same options. Never throws for a bad
 * presentation; throws INVALID_INPUT only when the options are unusable (a `now` that is not a date, a negative or
 * non-numeric `clockSkewSeconds` or `maxAgeSeconds`), as `verify` does.
 */
export async function verifyPresentation(
  input: unknown,
  options: VerifyPresentationOptions = {},
): Promise<PresentationReport> {
  // Unusable options are the caller's mistake and throw, as in verify(); a bad presentation is a report.
  checkPresentationOptions(options);
  // One resolution budget for the whole presentation: its own proof and every credential's keys and status lists share
  // maxResolvedDocuments / maxFetchedStatusLists (each URL asked once), so 32 credentials cannot mean 32 × 8 hosts.
  const budgeted = { ...(withResolutionBudget(options ?? {}) as VerifyPresentationOptions) };
  try {
    return await verifyPresentationUnguarded(input, budgeted);
  } catch (e) {
    // Hostile getters or proxies: the contract is a report, not an exception.
    const report = new ReportBuilder();
    report.fail(
      'parse',
      'INVALID_INPUT',
      `Cannot verify the presentation: ${e instanceof Error ? e.message : String(e)}`,
      '$',
    );
    return done(report, [], {});
  }
}

/** What one presentation verification carries from step to step (the same shape as verify's VerifyContext). */
interface PresentationContext {
  readonly input: unknown;
  readonly options: VerifyPresentationOptions;
  readonly report: ReportBuilder;
  presentation: Record<string, unknown>;
  documentLoader: DocumentLoader;
  holder: string | undefined;
  contextsOk: boolean;
  credentials: VerificationReport[];
  /** Set by a step that ends the verification early: the report to return as it is. */
  done: PresentationReport | undefined;
}

type PresentationStep = (ctx: PresentationContext) => Promise<void> | void;

/**
 * The checks of a JSON-LD presentation, in report order, each under the check it reports (a VP-JWT is handed to
 * verifyVpJwt by the parse step). A step that throws is reported under its own check, as in verify(): INVALID_INPUT
 * while reading (a hostile getter or proxy), INTERNAL_ERROR after, a MicrocredError's own code.
 */
const STEPS: readonly (readonly [CheckName, PresentationStep])[] = [
  ['parse', parsePresentationStep],
  ['contexts', signedFormStep],
  ['contexts', contextsStep],
  ['proof', proofStep],
  ['credentials', credentialsStep],
];

async function verifyPresentationUnguarded(
  input: unknown,
  options: VerifyPresentationOptions,
): Promise<PresentationReport> {
  const ctx = {
    input,
    options,
    report: new ReportBuilder(),
    holder: undefined,
    contextsOk: false,
    credentials: [],
    done: undefined,
  } as unknown as PresentationContext;
  for (const [check, step] of STEPS) {
    try {
      await step(ctx);
    } catch (e) {
      const code: CheckCode = isMicrocredError(e) ? e.code : check === 'parse' ? 'INVALID_INPUT' : 'INTERNAL_ERROR';
      ctx.report.fail(
        check,
        code,
        `Cannot verify the presentation: ${e instanceof Error ? e.message : String(e)}`,
        '$',
      );
      return done(
        ctx.report,
        ctx.credentials,
        ctx.presentation ? { format: 'json-ld', presentation: ctx.presentation } : {},
      );
    }
    if (ctx.done) return ctx.done;
  }
  return done(ctx.report, ctx.credentials, {
    format: 'json-ld',
    presentation: ctx.presentation,
    ...(ctx.holder ? { holder: ctx.holder } : {}),
  });
}

/**
 * Parse step: a VP-JWT or enveloped presentation goes to verifyVpJwt; JSON text or an object is read (no duplicate
 * keys), shaped as a presentation, and its credentials counted before any JSON-LD work (the form check and the proof's
 * canonicalization cost about 1 ms per credential, so 10,000 of them would keep the verifier busy for seconds).
 */
async function parsePresentationStep(ctx: PresentationContext): Promise<void> {
  const { input, report, options } = ctx;
  const text = typeof input === 'string' ? input.trim() : undefined;
  let presentation: Record<string, unknown>;
  if (text !== undefined && COMPACT_JWS.test(text)) {
    ctx.done = await verifyVpJwt(text, report, options);
    return;
  }
  if (text !== undefined) {
    try {
      presentation = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      report.fail('parse', 'INVALID_INPUT', `Neither JSON nor a compact JWS: ${(e as Error).message}`, '$');
      ctx.done = done(report, [], {});
      return;
    }
    // As for a credential (and the credentials inside, which JSON.parse has already flattened): a repeated name reads
    // two ways, the signed one for us and another for a reader that keeps the first.
    // A member named __proto__ could make the presentation read as something else (../shared/proto-key.ts).
    const refused = refusedName(text, presentation);
    if (refused !== undefined) {
      const refusal = nameRefusal('The presentation', refused);
      report.fail('parse', refusal.code, refusal.message, refused.path);
      ctx.done = done(report, [], {});
      return;
    }
  } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    // Read once, as for a credential, before anything reads it (the envelope test too): a getter must not show the
    // envelope test one type and the checks another, nor the proof one holder and the binding another.
    try {
      presentation = readOnce(input);
    } catch (e) {
      report.fail('parse', 'INVALID_INPUT', describeThrown(e), '$');
      ctx.done = done(report, [], {});
      return;
    }
    if (isEnvelopedCredential(presentation, 'EnvelopedVerifiablePresentation')) {
      // VC-JOSE-COSE: the envelope holds a vp+jwt, verified as the JWT it is.
      const opened = openEnvelope(presentation, 'vp');
      if ('error' in opened) {
        report.fail('parse', 'INVALID_INPUT', opened.error, '$.id');
        ctx.done = done(report, [], {});
        return;
      }
      ctx.done = await verifyVpJwt(opened.jwt, report, options);
      return;
    }
  } else presentation = input as Record<string, unknown>;
  if (typeof presentation !== 'object' || presentation === null || Array.isArray(presentation)) {
    report.fail('parse', 'INVALID_INPUT', 'A presentation is a JSON object (or a VP-JWT)', '$');
    ctx.done = done(report, [], {});
    return;
  }
  const shape = checkPresentationModel(presentation);
  if (shape.length) {
    for (const p of shape) report.fail('parse', 'INVALID_INPUT', p.message, p.path);
    ctx.done = done(report, [], { format: 'json-ld', presentation });
    return;
  }
  report.pass(
    'parse',
    `Read a verifiable presentation with ${asList(presentation.verifiableCredential).length} credential(s)`,
  );
  if (tooManyCredentials(report, presentation)) {
    ctx.done = done(report, [], { format: 'json-ld', presentation });
    return;
  }
  ctx.presentation = presentation;
  ctx.documentLoader = loadingOnce(options.documentLoader ?? offlineDocumentLoader(options.contexts));
}

/**
 * Signed-form step: the holder binding reads the JSON key `holder`, so a presentation rewritten to keep its signed
 * graph while moving `holder` out of that key (its absolute IRI, an alias) would turn a mismatch into "names no
 * holder" (a warning). Such a presentation ends the verification here.
 */
async function signedFormStep(ctx: PresentationContext): Promise<void> {
  const { presentation, report, options } = ctx;
  if (
    !(await checkSignedForm(presentation, report, {
      documentLoader: ctx.documentLoader,
      contexts: options.contexts,
      noun: 'presentation',
    }))
  ) {
    ctx.done = done(report, [], { format: 'json-ld', presentation });
  }
}

/** Contexts step: every context known, and the presentation expands in JSON-LD safe mode. */
async function contextsStep(ctx: PresentationContext): Promise<void> {
  ctx.holder = holderIdOf(ctx.presentation);
  ctx.contextsOk = await checkContexts(ctx.presentation, ctx.report, {
    ...(ctx.options.contexts ? { contexts: ctx.options.contexts } : {}),
    documentLoader: ctx.documentLoader,
  });
}

/** Proof step: the holder's proofs (proof purpose authentication), then holder binding, challenge, domain, freshness. */
async function proofStep(ctx: PresentationContext): Promise<void> {
  const { presentation, report, options, holder } = ctx;
  const proofs = asList(presentation.proof);
  const now = (options.now ?? new Date()).getTime();
  if (proofs.length === 0) {
    if (options.allowUnsigned) {
      report.skip(
        'proof',
        'Unsigned presentation, accepted because the caller allowed it (allowUnsigned): nothing ties it to a holder',
      );
      skipSigned(report, 'the presentation is unsigned');
    } else {
      report.fail(
        'proof',
        'NO_PROOF',
        'The presentation is not signed by its holder (pass allowUnsigned to accept unsigned presentations)',
        '$.proof',
      );
    }
  } else if (!ctx.contextsOk) {
    report.skip('proof', 'Not checked: the presentation cannot be processed with known contexts');
  } else {
    const results = await verifyPresentationProofs(presentation, proofs, options, ctx.documentLoader);
    const failed = results.filter((r) => !r.verified);
    if (failed.length) {
      report.fail(
        'proof',
        failed[0]!.code ?? 'INVALID_SIGNATURE',
        results.map((r, i) => `proof[${i}]: ${r.message}`).join('; '),
        '$.proof',
      );
      skipSigned(report, 'the proof did not verify');
    } else {
      report.pass(
        'proof',
        `${results.length} proof(s) valid: ${results.map((r) => r.cryptosuite).join(', ')} (proof purpose authentication)`,
      );
      checkHolderBinding(
        report,
        holder,
        results.map((r) => r.controller),
      );
      const records = proofs as Record<string, unknown>[];
      checkChallenge(
        report,
        options.challenge,
        records.map((p) => p.challenge),
        'challenge',
      );
      checkDomain(
        report,
        options.domain,
        records.map((p) => p.domain),
        'domain',
      );
      checkFreshness(
        report,
        options,
        now,
        records.map((p) => ({ created: dateOf(p.created), expires: dateOf(p.expires) })),
        'created',
      );
    }
  }
}

/** Credentials step: verify() on each credential in the presentation, and the subject binding when asked. */
async function credentialsStep(ctx: PresentationContext): Promise<void> {
  ctx.credentials = await verifyCredentials(ctx.report, ctx.presentation, ctx.holder, ctx.options);
}

/**
 * Every comparison with NaN is false: a garbage clock or age limit would silently accept a presentation of any age.
 * Throws INVALID_INPUT for such options, before anything is read.
 */
function checkPresentationOptions(options: VerifyPresentationOptions | undefined): void {
  checkVerifyOptions(options);
  const maxAge = options?.maxAgeSeconds as unknown;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || Number.isNaN(maxAge) || maxAge < 0)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `options.maxAgeSeconds must be a number of seconds, 0 or more, got ${JSON.stringify(maxAge)}`,
    );
  }
}

/** Fails the report (DUPLICATE_KEY) when the JSON text names a key twice in one object. */
function refusedDuplicateKey(report: ReportBuilder, text: string, parsed: unknown, what: string): boolean {
  const path = findDuplicateKey(text, parsed);
  if (path === undefined) return false;
  report.fail('parse', 'DUPLICATE_KEY', nameRefusal(what, { kind: 'duplicate', path }).message, path);
  return true;
}

/** The checks that read signed values, listed as not done (a report says what was not checked). */
function skipSigned(report: ReportBuilder, why: string): void {
  for (const check of ['holderBinding', 'challenge', 'domain', 'freshness'] as const)
    report.skip(check, `Not checked: ${why}`);
}

const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'nonce', 'cnf']);

function withoutRegisteredClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !REGISTERED_CLAIMS.has(k)));
}

function dateOf(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : t;
}

function done(
  report: ReportBuilder,
  credentials: VerificationReport[],
  extra: Partial<PresentationReport>,
): PresentationReport {
  return {
    verified: !report.failed && credentials.every((c) => c.verified),
    ...extra,
    checks: report.checks,
    credentials,
  };
}

/** Every proof must verify (DI §4.5), with proof purpose authentication. */
async function verifyPresentationProofs(
  presentation: Record<string, unknown>,
  proofs: unknown[],
  options: VerifyPresentationOptions,
  documentLoader: DocumentLoader,
): Promise<ProofVerification[]> {
  if (proofs.length > 4)
    return [
      {
        verified: false,
        code: 'INVALID_INPUT',
        message: `${proofs.length} proofs on one presentation; at most 4 are checked`,
      },
    ];
  // A holder proves control with a key its DID document lists under `authentication` (DI proofPurpose): an issuing
  // (assertionMethod) key of the same DID is not one, and a key listed only under authentication must work.
  const resolver = createResolver({
    ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    timeoutMs: options.resolverTimeoutMs ?? 5000,
    relationship: 'authentication',
  });
  const results: ProofVerification[] = [];
  for (const proof of proofs)
    results.push(
      await verifyProof(presentation, proof, {
        documentLoader,
        resolveVerificationMethod: resolver,
        proofPurpose: 'authentication',
      }),
    );
  return results;
}

function checkHolderBinding(
  report: ReportBuilder,
  holder: string | undefined,
  controllers: (string | undefined)[],
): void {
  if (holder === undefined) {
    report.warn(
      'holderBinding',
      `The presentation names no holder; it was signed by ${controllers.map(String).join(', ')}`,
    );
    return;
  }
  const foreign = controllers.filter((c) => c !== holder);
  if (foreign.length)
    report.fail(
      'holderBinding',
      'HOLDER_BINDING_MISMATCH',
      `The presentation was signed with a key of ${foreign.map(String).join(', ')}, not of its holder ${holder}`,
      '$.holder',
    );
  else report.pass('holderBinding', `Signed by its holder ${holder}`);
}

function checkChallenge(
  report: ReportBuilder,
  expected: string | undefined,
  given: unknown[],
  name: 'challenge' | 'nonce',
): void {
  if (expected === undefined) {
    report.warn(
      'challenge',
      'No challenge was given to compare: this presentation could be a replay of one made for another verifier',
    );
    return;
  }
  const wrong = given.filter((g) => g !== expected);
  if (wrong.length)
    report.fail(
      'challenge',
      'CHALLENGE_MISMATCH',
      given.every((g) => g === undefined)
        ? `The presentation carries no ${name}; this verifier asked for one`
        : `The presentation was made for another challenge (${name} ${JSON.stringify(wrong[0])}), not this verifier's`,
      name === 'challenge' ? '$.proof.challenge' : '$.nonce',
    );
  else report.pass('challenge', `The ${name} is the one this verifier gave`);
}

function checkDomain(
  report: ReportBuilder,
  expected: string | undefined,
  given: unknown[],
  name: 'domain' | 'aud',
): void {
  if (expected === undefined) {
    if (given.some((g) => g !== undefined))
      report.warn(
        'domain',
        `The presentation is meant for ${JSON.stringify(given.find((g) => g !== undefined))}; no domain was given to compare`,
      );
    return;
  }
  const matches = (g: unknown) => g === expected || (Array.isArray(g) && g.includes(expected));
  const wrong = given.filter((g) => !matches(g));
  if (wrong.length)
    report.fail(
      'domain',
      'DOMAIN_MISMATCH',
      wrong[0] === undefined
        ? `The presentation names no ${name}; this verifier expects ${expected}`
        : `The presentation is meant for ${JSON.stringify(wrong[0])}, not for ${expected}`,
      name === 'domain' ? '$.proof.domain' : '$.aud',
    );
  else report.pass('domain', `Meant for ${expected}`);
}

function checkFreshness(
  report: ReportBuilder,
  options: VerifyPresentationOptions,
  now: number,
  times: { created: number | undefined | null; expires: number | undefined | null }[],
  name: string,
): void {
  const maxAge = (options.maxAgeSeconds ?? 600) * 1000;
  const skew = (options.clockSkewSeconds ?? 300) * 1000;
  for (const { created, expires } of times) {
    if (created === undefined || created === null) {
      report.fail(
        'freshness',
        'STALE_PRESENTATION',
        `The presentation has no readable ${name} time, so its age cannot be told`,
      );
      return;
    }
    if (created > now + skew) {
      report.fail(
        'freshness',
        'STALE_PRESENTATION',
        `The presentation claims to be made in the future (${new Date(created).toISOString()})`,
      );
      return;
    }
    if (now - created > maxAge + skew) {
      report.fail(
        'freshness',
        'STALE_PRESENTATION',
        `The presentation was made at ${new Date(created).toISOString()}, more than ${Math.round(maxAge / 1000)} s ago: a replay, or too old to accept`,
      );
      return;
    }
    if (expires === null || (expires !== undefined && now - skew > expires)) {
      report.fail('freshness', 'STALE_PRESENTATION', 'The presentation has expired');
      return;
    }
  }
  const made = times.map((t) => new Date(t.created!).toISOString()).join(', ');
  // No age limit (maxAgeSeconds: Infinity) is for a presentation this verifier did not ask for, handed over as a file.
  report.pass(
    'freshness',
    Number.isFinite(maxAge)
      ? `Made within the last ${Math.round(maxAge / 1000)} s`
      : `Made at ${made}; no age limit set`,
  );
}

/** Fails the report when the presentation holds more credentials than a verifier checks (each is a full verify). */
function tooManyCredentials(report: ReportBuilder, presentation: Record<string, unknown>): boolean {
  const count = asList(presentation.verifiableCredential).length;
  if (count <= MAX_PRESENTED_CREDENTIALS) return false;
  report.fail(
    'credentials',
    'INVALID_CREDENTIAL',
    `${count} credentials; a verifier checks at most ${MAX_PRESENTED_CREDENTIALS}, and checked none`,
    '$.verifiableCredential',
  );
  return true;
}

/** Runs the credential pipeline on each contained credential, and the subject binding when asked. */
async function verifyCredentials(
  report: ReportBuilder,
  presentation: Record<string, unknown>,
  holder: string | undefined,
  options: VerifyPresentationOptions,
): Promise<VerificationReport[]> {
  const entries = asList(presentation.verifiableCredential);
  if (tooManyCredentials(report, presentation)) return [];
  const {
    challenge: _c,
    domain: _d,
    maxAgeSeconds: _m,
    allowUnsigned: _a,
    requireHolderIsSubject: _r,
    ...credentialOptions
  } = options;
  const reports: VerificationReport[] = [];
  for (const entry of entries) {
    try {
      reports.push(await verify(entry as object, credentialOptions));
    } catch (e) {
      // verify() throws only for unusable options; report rather than throw, as for a bad credential.
      reports.push(
        withVerdict({
          verified: false,
          proofs: [],
          checks: [
            {
              check: 'parse',
              status: 'fail',
              code: 'INVALID_INPUT',
              message: isMicrocredError(e) || e instanceof Error ? e.message : String(e),
            },
          ],
        }),
      );
    }
  }
  const bad = reports.map((r, i) => (r.verified ? -1 : i)).filter((i) => i >= 0);
  if (entries.length === 0) report.warn('credentials', 'The presentation holds no credentials');
  else if (bad.length)
    report.fail(
      'credentials',
      'INVALID_CREDENTIAL',
      `${bad.length} of ${reports.length} credential(s) did not verify (verifiableCredential[${bad.join('], [')}])`,
      '$.verifiableCredential',
    );
  else report.pass('credentials', `${reports.length} credential(s) verified`);
  if (options.requireHolderIsSubject) {
    const notHolder = reports
      .map((r, i) => (r.credential && subjectIds(r.credential).includes(holder ?? '\u0000') ? -1 : i))
      .filter((i) => i >= 0);
    // The holder named is only a claim until the holder binding proved it: anyone can write { holder: <the learner> }
    // around a copy of the learner's credential.
    const proven = report.checks.some((c) => c.check === 'holderBinding' && c.status === 'pass');
    if (holder === undefined)
      report.fail(
        'subjectBinding',
        'SUBJECT_NOT_HOLDER',
        "The presentation names no holder, so the credentials cannot be shown to be the holder's",
      );
    else if (!proven)
      report.fail(
        'subjectBinding',
        'SUBJECT_NOT_HOLDER',
        `Nothing shows that ${holder} presented these credentials (the presentation is not signed by its holder), so they cannot be shown to be the holder's`,
        '$.holder',
      );
    else if (notHolder.length)
      report.fail(
        'subjectBinding',
        'SUBJECT_NOT_HOLDER',
        `The holder ${holder} is not the subject of verifiableCredential[${notHolder.join('], [')}]`,
        '$.verifiableCredential',
      );
    else report.pass('subjectBinding', `The holder ${holder} is the subject of every credential`);
  }
  return reports;
}

function subjectIds(credential: Record<string, unknown>): string[] {
  return asList(credential.credentialSubject)
    .map((s) => (typeof s === 'object' && s !== null ? (s as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string');
}

/** A VP-JWT: signature by the holder's key (resolved as VC-JWT keys are), `vp` claim, nonce, aud, iat/exp. */
async function verifyVpJwt(
  jwt: string,
  report: ReportBuilder,
  options: VerifyPresentationOptions,
): Promise<PresentationReport> {
  const [headerPart, payloadPart] = jwt.trim().split('.');
  for (const [part, what] of [
    [headerPart, 'The VP-JWT header'],
    [payloadPart, 'The VP-JWT payload'],
  ] as const) {
    const bytes = decodeBase64url(part);
    if (!bytes) continue; // verifyJwt says what is wrong with it
    const text = new TextDecoder().decode(bytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (refusedDuplicateKey(report, text, parsed, what)) return done(report, [], { format: 'vp-jwt' });
  }
  const vmResolver = createResolver({
    ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    timeoutMs: options.resolverTimeoutMs ?? 5000,
    relationship: 'authentication',
  });
  let kidController: string | undefined;
  const result = await verifyJwt(jwt, {
    ...(options.jwks ? { jwks: options.jwks } : {}),
    resolveKey: async (kid) => {
      const vm = await vmResolver(kid);
      kidController = vm.controller;
      return {
        kty: 'OKP',
        crv: 'Ed25519',
        x: toBase64url(importKey({ publicKeyMultibase: vm.publicKeyMultibase }).publicKey),
      };
    },
  });
  const claims = result.claims;
  // A VP-JWT carries the presentation in its vp claim; a vp+jwt (VC-JOSE-COSE) is the presentation, claims beside it.
  const envelope = result.header?.typ === 'vp+jwt' || result.header?.typ === 'vp-ld+jwt';
  const vp = envelope && claims ? withoutRegisteredClaims(claims) : claims?.vp;
  const format = envelope ? 'vp+jwt' : 'vp-jwt';
  if (!claims || typeof vp !== 'object' || vp === null || Array.isArray(vp)) {
    if (!result.verified) report.fail('proof', result.code ?? 'INVALID_SIGNATURE', `VP-JWT: ${result.message}`);
    else
      report.fail(
        'parse',
        'INVALID_INPUT',
        'The JWT has no vp claim: it is not a VP-JWT (verify a credential with verify())',
        '$.vp',
      );
    return done(report, [], { format });
  }
  const presentation = vp as Record<string, unknown>;
  const shape = checkPresentationModel(presentation, { jwtCredentials: !envelope });
  if (shape.length) {
    for (const p of shape) report.fail('parse', 'INVALID_INPUT', p.message, `$.vp${p.path.slice(1)}`);
    return done(report, [], { format, presentation });
  }
  report.pass(
    'parse',
    `Read a ${envelope ? 'vp+jwt (VC-JOSE-COSE)' : 'VP-JWT'} with ${asList(presentation.verifiableCredential).length} credential(s)`,
  );
  const holder = holderIdOf(presentation) ?? (typeof claims.iss === 'string' ? claims.iss : undefined);
  if (!result.verified) {
    report.fail('proof', result.code ?? 'INVALID_SIGNATURE', `VP-JWT: ${result.message}`);
    skipSigned(report, 'the signature did not verify');
  } else {
    report.pass('proof', `VP-JWT signature valid (${result.algorithm})`);
    if (claims.iss !== undefined && holderIdOf(presentation) !== undefined && claims.iss !== holderIdOf(presentation)) {
      report.fail(
        'holderBinding',
        'HOLDER_BINDING_MISMATCH',
        `iss ${String(claims.iss)} is not the holder ${holderIdOf(presentation)}`,
        '$.iss',
      );
    } else if (kidController === undefined) {
      report.fail(
        'holderBinding',
        'HOLDER_BINDING_MISMATCH',
        'The signing key is not a verification method of the holder (no kid naming a DID key)',
        '$',
      );
    } else checkHolderBinding(report, holder, [kidController]);
    checkChallenge(report, options.challenge, [claims.nonce], 'nonce');
    checkDomain(report, options.domain, [claims.aud], 'aud');
    const seconds = (v: unknown) =>
      v === undefined ? undefined : typeof v === 'number' && Number.isFinite(v) ? v * 1000 : null;
    const nbf = seconds(claims.nbf);
    const now = (options.now ?? new Date()).getTime();
    if (nbf !== undefined && nbf !== null && nbf > now + (options.clockSkewSeconds ?? 300) * 1000)
      report.fail('freshness', 'STALE_PRESENTATION', 'The VP-JWT is not valid yet (nbf)');
    else
      checkFreshness(
        report,
        options,
        now,
        [{ created: seconds(claims.iat) ?? nbf, expires: seconds(claims.exp) }],
        'iat',
      );
  }
  const credentials = await verifyCredentials(report, presentation, holder, options);
  return done(report, credentials, { format, presentation, ...(holder ? { holder } : {}) });
}
