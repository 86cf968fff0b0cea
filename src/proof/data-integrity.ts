import { hashData, hashDataOfWritten } from '../platform/hash-data';
import { base58Decode, base58Encode } from '../platform/base58';
import { MicrocredError, isMicrocredError, type ErrorCode } from '../errors';
import type { CanonizeOptions } from '../jsonld/canonize';
import { fastCanonize } from '../jsonld/fast/index';
import type { DocumentLoader } from '../jsonld/loader';
import { importKey, type Ed25519Key } from '../keys/multikey';
import { canonicalizeJcs, canonicalizeJcsBytes, wellFormed, withJcsBytes } from './jcs';
import { localResolver, type ResolvedVerificationMethod } from './resolver';
import { show } from '../keys/show';
import { asList, isRecord } from '../shared/json';
import type { CRYPTOSUITES } from '../shared/credential';
import { assertUsableClock } from '../shared/validity';

/** The Data Integrity cryptosuites the library signs and verifies with. */
export type Cryptosuite = (typeof CRYPTOSUITES)[number];

/**
 * An RDFC-1.0 canonicalizer with `canonicalizeRdf`'s contract: N-Quads in JSON-LD safe mode, poison-graph limits, the same
 * MicrocredError codes. The default is the compiled fast path (`fastCanonize`), which gives the same bytes as jsonld.js
 * (differential tests) and hands everything outside its subset to jsonld.js; pass `canonicalizeRdf` to use jsonld.js alone.
 */
export type Canonicalizer = (document: object, options: CanonizeOptions) => Promise<string>;

const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';
/** XML Schema 1.1 dateTime (the lexical form; the time zone is optional there, as in the spec). */
const XSD_DATE_TIME =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?$/;

/** A Data Integrity proof (`DataIntegrityProof` with an EdDSA cryptosuite). */
export interface Proof {
  '@context'?: unknown;
  id?: string;
  type: string;
  cryptosuite?: string;
  created?: string;
  expires?: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue?: string;
  previousProof?: string | string[];
  [property: string]: unknown;
}

/** Options of `createProof`: the key, cryptosuite, purpose, dates, challenge and domain. */
export interface CreateProofOptions {
  key: Ed25519Key;
  cryptosuite?: Cryptosuite;
  /** XML Schema dateTime; default now, to the second. */
  created?: string;
  proofPurpose?: string;
  documentLoader?: DocumentLoader;
  /**
   * Emit `proof` as an array (what the OB 3.0 JSON Schema requires) or a single object (the VC compact form the W3C
   * vectors use). Default 'array'. A document that ends up with several proofs always gets an array.
   */
  proofShape?: 'array' | 'object';
  /** Proof id (for proof sets / chains). */
  id?: string;
  /** Ids of proofs already in the document that this one endorses (a proof chain, W3C DI §2.1.2). */
  previousProof?: string | string[];
  /** RDFC-1.0 canonicalizer (eddsa-rdfc-2022 only). Default `fastCanonize`. */
  canonize?: Canonicalizer;
  /** The verifier's challenge, signed into the proof (DI §2.1; presentations, proofPurpose `authentication`). */
  challenge?: string;
  /** The domain (or domains) the proof is meant for, signed into the proof (DI §2.1). */
  domain?: string | string[];
}

/**
 * Adds a Data Integrity proof (W3C vc-di-eddsa v1.0, §3.2 eddsa-rdfc-2022 and §3.3 eddsa-jcs-2022):
 * hashData = SHA-256(canonical proof configuration) ‖ SHA-256(canonical document), signed with Ed25519,
 * proofValue = base58btc multibase. Proofs already present are kept (a proof set) and are not signed over, except the
 * ones `previousProof` names. The input is not modified. Errors: PROOF_GENERATION_ERROR, or the canonicalization's own
 * code (UNKNOWN_CONTEXT, SAFE_MODE_VIOLATION, CANONICALIZATION_LIMIT) when that is the cause.
 */
export async function createProof<T extends Record<string, unknown>>(
  document: T,
  options: CreateProofOptions,
): Promise<T & { proof: Proof[] | Proof }> {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'The document to sign must be a JSON object');
  if (typeof options !== 'object' || options === null)
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'createProof needs { key }');
  const cryptosuite = options.cryptosuite ?? 'eddsa-rdfc-2022';
  if (cryptosuite !== 'eddsa-rdfc-2022' && cryptosuite !== 'eddsa-jcs-2022') {
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Unsupported cryptosuite ${show(cryptosuite)}`);
  }
  if (!options.key?.hasSecret)
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing needs a key with its secret part');
  if (options.proofPurpose !== undefined && (typeof options.proofPurpose !== 'string' || options.proofPurpose === ''))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'proofPurpose must be a non-empty string');
  if (options.challenge !== undefined && (typeof options.challenge !== 'string' || options.challenge === ''))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'challenge must be a non-empty string');
  if (options.domain !== undefined && !isIdList(options.domain))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'domain must be a string or a list of strings');
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id === ''))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'A proof id must be a non-empty string (a URL)');
  const created = options.created ?? nowToTheSecond();
  if (typeof created !== 'string' || !XSD_DATE_TIME.test(created))
    throw new MicrocredError(
      'PROOF_GENERATION_ERROR',
      `created must be an XML Schema dateTime, got ${JSON.stringify(created)}`,
    );
  const previousProof = options.previousProof;
  if (previousProof !== undefined && !isIdList(previousProof))
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'previousProof must be a proof id or a list of them');
  const { proof: existing, ...unsecured } = document as Record<string, unknown>;
  const config: Proof = {
    ...(options.id ? { id: options.id } : {}),
    type: 'DataIntegrityProof',
    cryptosuite,
    created,
    verificationMethod: options.key.id,
    proofPurpose: options.proofPurpose ?? 'assertionMethod',
    ...(previousProof ? { previousProof } : {}),
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
  };
  // rdfc: the proof configuration borrows the document's @context for canonicalization (§3.2.4);
  // jcs: the proof keeps it (§3.3.1 step 2), so that verifiers can check the document's context list starts with it.
  if (unsecured['@context'] !== undefined) config['@context'] = unsecured['@context'];
  let hashData: Uint8Array;
  try {
    const docForHash = previousProof ? withPreviousProofs(unsecured, existing, previousProof) : unsecured;
    hashData = await computeHashData(docForHash, config, cryptosuite, options.documentLoader, options.canonize);
  } catch (e) {
    if (isMicrocredError(e) && ['UNKNOWN_CONTEXT', 'SAFE_MODE_VIOLATION', 'CANONICALIZATION_LIMIT'].includes(e.code))
      throw e;
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Cannot create the proof: ${(e as Error).message}`, {
      cause: e,
      ...(isMicrocredError(e) && e.path ? { path: e.path } : {}),
    });
  }
  const signature = await options.key.sign(hashData);
  const proof: Proof = { ...config, proofValue: `z${base58Encode(signature)}` };
  if (cryptosuite === 'eddsa-rdfc-2022') delete proof['@context'];
  const proofs = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  const all = [...proofs, proof] as Proof[];
  const shaped = (options.proofShape ?? 'array') === 'array' || all.length > 1 ? all : all[0]!;
  // Without a `proof` member the signed document is the unsecured copy with its proof last, as a spread of the
  // document would make it; that copy is this function's own, and its values are the ones just signed.
  if (!Object.hasOwn(document, 'proof')) {
    unsecured.proof = shaped;
    return unsecured as T & { proof: Proof[] | Proof };
  }
  return { ...(document as object), proof: shaped } as T & { proof: Proof[] | Proof };
}

/** The current time as an XML Schema dateTime to the second (what `created` defaults to), made once a second. */
let lastSecond = Number.NaN;
let lastSecondText = '';
function nowToTheSecond(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecondText = new Date(second * 1000).toISOString().replace(/\.000Z$/, 'Z');
    lastSecond = second;
  }
  return lastSecondText;
}

/** hashData for a proof configuration (with @context) and an unsecured document: SHA-256(config) ‖ SHA-256(document). */
export async function computeHashData(
  unsecured: Record<string, unknown>,
  proofConfig: Record<string, unknown>,
  algorithm: 'rdfc' | 'jcs' | Cryptosuite,
  documentLoader?: DocumentLoader,
  canonicalizer: Canonicalizer = fastCanonize,
): Promise<Uint8Array> {
  const jcs = algorithm === 'jcs' || algorithm === 'eddsa-jcs-2022';
  // JCS bytes are hashed where the writer wrote them when the platform hashes synchronously (no copy of them).
  const hashedNow = jcs ? hashDataOfWritten(proofConfig, unsecured, withJcsBytes) : undefined;
  if (hashedNow) return hashedNow;
  const loaderOption = documentLoader ? { documentLoader } : {};
  const [canonicalConfig, canonicalDoc] = jcs
    ? [canonicalizeJcsBytes(proofConfig), canonicalizeJcsBytes(unsecured)]
    : await Promise.all([canonicalizer(proofConfig, loaderOption), canonicalizer(unsecured, loaderOption)]);
  return hashData(canonicalConfig, canonicalDoc);
}

/** Why a proof did not verify (a part of the library's one vocabulary, {@link ErrorCode}). */
export type ProofFailureCode = Extract<
  ErrorCode,
  | 'INVALID_SIGNATURE'
  | 'UNSUPPORTED_PROOF'
  | 'INVALID_KEY'
  | 'RESOLVER_ERROR'
  | 'INVALID_INPUT'
  | 'UNKNOWN_CONTEXT'
  | 'SAFE_MODE_VIOLATION'
  | 'CANONICALIZATION_LIMIT'
  | 'PROOF_EXPIRED'
  | 'PROOF_NOT_YET_VALID'
  | 'PREVIOUS_PROOF_MISSING'
  | 'PREVIOUS_PROOF_CYCLE'
>;

/** The outcome of verifying one Data Integrity proof: verified, or a code and message. */
export interface ProofVerification {
  verified: boolean;
  /** Why not (stable code) when `verified` is false. */
  code?: ProofFailureCode;
  message: string;
  /** The proof's `id`, when it has one. */
  id?: string;
  cryptosuite?: string;
  verificationMethod?: string;
  /** Controller of the verification method (to compare with the issuer). */
  controller?: string;
  /**
   * True when the signature holds under a key whose controller is only claimed (an https fragment key taken under
   * `acceptUnconfirmedFragmentKeys`): the signature is valid, who made it is unknown.
   */
  keyUnconfirmed?: boolean;
  /** True when this proof was not checked because its proof set had already failed (verifyProofSet's failFast). */
  notChecked?: boolean;
  /** True once the document was canonicalized with RDFC-1.0 in JSON-LD safe mode (so it has no undefined terms). */
  safeModeChecked?: boolean;
}

/** Options of `verifyProof`: how to resolve the verification method, the canonicalizer and the clock. */
export interface VerifyProofOptions {
  documentLoader?: DocumentLoader;
  /** Verification method id → key and controller. Default `localResolver()` (did:key only). */
  resolveVerificationMethod?: (id: string) => Promise<ResolvedVerificationMethod>;
  /** Expected proof purpose (default assertionMethod). */
  proofPurpose?: string;
  /** RDFC-1.0 canonicalizer (eddsa-rdfc-2022, eddsa-2022, Ed25519Signature2020). Default `fastCanonize`. */
  canonize?: Canonicalizer;
  /** The time a proof's `created` and `expires` are checked against (default now). */
  now?: Date;
  /** Tolerated clock difference in seconds for `created` / `expires` (default 300). */
  clockSkewSeconds?: number;
}

type Algorithm = 'rdfc' | 'jcs' | 'ed2020';

/**
 * Verifies one embedded proof of `document`: DataIntegrityProof with eddsa-rdfc-2022, eddsa-2022 (its earlier name) or
 * eddsa-jcs-2022, and Ed25519Signature2020. A proof with `previousProof` is checked over the document together with
 * the proofs it names (a proof chain). A proof `created` in the future or whose `expires` has passed fails. Never
 * throws: a bad proof, document or resolver answer is `verified: false` with a code.
 */
export async function verifyProof(
  document: unknown,
  proofInput: unknown,
  options: VerifyProofOptions = {},
): Promise<ProofVerification> {
  // An unusable clock is the caller's mistake, thrown as by every verify function (docs/errors.md), not a verdict.
  assertUsableClock(options?.now, options?.clockSkewSeconds);
  try {
    const pre = precheckProof(document, proofInput, options ?? {});
    if ('verified' in pre) return pre;
    if (pre.proof.previousProof !== undefined) {
      const problem = previousProofProblem((document as Record<string, unknown>).proof, pre.proof.previousProof);
      if (problem) return { verified: false, ...problem, ...pre.base };
    }
    return await verifyChecked(document as Record<string, unknown>, pre, options ?? {});
  } catch (e) {
    // Last line of defence (hostile getters, proxies): the contract is an answer, not an exception.
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `Cannot verify: ${e instanceof Error ? e.message : show(e)}`,
    };
  }
}

/** A proof that did not verify, and why. */
function fail(code: ProofFailureCode, message: string, extra: Partial<ProofVerification> = {}): ProofVerification {
  return { verified: false, code, message, ...extra };
}

/** What the checks that need no key and no canonicalization found: the proof's parts, ready to verify. */
interface Prechecked {
  proof: Proof;
  algorithm: Algorithm;
  suite: string;
  signature: Uint8Array;
  base: Partial<ProofVerification>;
}

/** Everything about one proof that can be checked locally and cheaply: type, fields, dates, signature encoding. */
function precheckProof(
  document: unknown,
  proofInput: unknown,
  options: VerifyProofOptions,
): Prechecked | ProofVerification {
  if (!isRecord(document)) return fail('INVALID_INPUT', 'The document must be a JSON object');
  if (!isRecord(proofInput)) return fail('INVALID_INPUT', 'A proof must be an object');
  const proof = proofInput as Proof;
  const suite = proof.type === 'DataIntegrityProof' ? proof.cryptosuite : proof.type;
  const algorithm: Algorithm | undefined =
    suite === 'eddsa-rdfc-2022' || suite === 'eddsa-2022'
      ? 'rdfc'
      : suite === 'eddsa-jcs-2022'
        ? 'jcs'
        : suite === 'Ed25519Signature2020'
          ? 'ed2020'
          : undefined;
  const base = {
    ...(typeof proof.id === 'string' ? { id: proof.id } : {}),
    ...(typeof suite === 'string' ? { cryptosuite: suite } : {}),
    ...(typeof proof.verificationMethod === 'string' ? { verificationMethod: proof.verificationMethod } : {}),
  };
  if (!algorithm)
    return fail(
      'UNSUPPORTED_PROOF',
      `Unsupported proof ${show(proof.type)}${proof.cryptosuite !== undefined ? `/${show(proof.cryptosuite)}` : ''}`,
      base,
    );
  if (typeof proof.verificationMethod !== 'string')
    return fail('INVALID_INPUT', 'The proof has no verificationMethod', base);
  const purpose = options.proofPurpose ?? 'assertionMethod';
  if (proof.proofPurpose !== purpose)
    return fail('INVALID_INPUT', `proofPurpose must be ${purpose}, got ${JSON.stringify(proof.proofPurpose)}`, base);
  for (const field of ['created', 'expires'] as const) {
    const value = proof[field];
    if (value !== undefined && (typeof value !== 'string' || !XSD_DATE_TIME.test(value)))
      return fail('INVALID_INPUT', `${field} is not an XML Schema dateTime`, base);
  }
  const now = options.now ?? new Date();
  if (Object.prototype.toString.call(now) !== '[object Date]' || Number.isNaN(now.getTime()))
    return fail('INVALID_INPUT', 'now is not a valid Date', base);
  const skew = (options.clockSkewSeconds ?? 300) * 1000;
  if (!Number.isFinite(skew) || skew < 0)
    return fail('INVALID_INPUT', 'clockSkewSeconds must be a non-negative number', base);
  // A proof that claims to be made later than now cannot have been made yet; one past its expiry no longer counts.
  if (typeof proof.created === 'string' && Date.parse(proof.created) > now.getTime() + skew)
    return fail('PROOF_NOT_YET_VALID', `The proof was created in the future (${proof.created})`, base);
  if (typeof proof.expires === 'string' && Date.parse(proof.expires) < now.getTime() - skew)
    return fail('PROOF_EXPIRED', `The proof expired on ${proof.expires}`, base);
  if (proof.previousProof !== undefined && !isIdList(proof.previousProof))
    return fail('INVALID_INPUT', 'previousProof must be a proof id or a list of them', base);
  if (typeof proof.proofValue !== 'string' || !proof.proofValue.startsWith('z'))
    return fail('INVALID_SIGNATURE', 'proofValue must be base58btc multibase', base);
  // 64 bytes are at most 88 base58 digits: a longer value cannot be a signature and is not decoded at all.
  if (proof.proofValue.length > 89)
    return fail('INVALID_SIGNATURE', 'proofValue is too long for an Ed25519 signature', base);
  const signature = base58Decode(proof.proofValue.slice(1));
  if (signature === undefined) return fail('INVALID_SIGNATURE', 'proofValue is not valid base58btc', base);
  if (signature.length !== 64)
    return fail('INVALID_SIGNATURE', `An Ed25519 signature has 64 bytes, got ${signature.length}`, base);
  return { proof, algorithm, suite: suite as string, signature, base };
}

/** The part of a proof check that resolves the key and canonicalizes: run only after precheckProof held. */
async function verifyChecked(
  document: Record<string, unknown>,
  pre: Prechecked,
  options: VerifyProofOptions,
): Promise<ProofVerification> {
  const { proof, algorithm, suite, signature, base } = pre;
  const resolved = await resolveProofKey(proof, options, base);
  if ('verified' in resolved) return resolved;
  const { key, withController } = resolved;

  const { proof: allProofs, ...rest } = document;
  let unsecured: Record<string, unknown> = rest;
  if (proof.previousProof !== undefined) {
    try {
      unsecured = withPreviousProofs(rest, allProofs, proof.previousProof);
    } catch (e) {
      return fail('PREVIOUS_PROOF_MISSING', (e as Error).message, withController);
    }
  }
  const { proofValue: _omitted, ...config } = proof;
  const contextProblem = alignContexts(algorithm, config, unsecured);
  if (contextProblem) return fail('INVALID_SIGNATURE', contextProblem, withController);
  let hashData: Uint8Array;
  try {
    hashData = await computeHashData(
      unsecured,
      config,
      algorithm === 'jcs' ? 'jcs' : 'rdfc',
      options.documentLoader,
      options.canonize,
    );
  } catch (e) {
    if (isMicrocredError(e)) {
      const code =
        (['UNKNOWN_CONTEXT', 'SAFE_MODE_VIOLATION', 'CANONICALIZATION_LIMIT'] as const).find((c) => c === e.code) ??
        'INVALID_INPUT';
      return fail(code, e.message, withController);
    }
    return fail('INVALID_INPUT', `Cannot canonicalize: ${(e as Error).message}`, withController);
  }
  const checked = { ...withController, ...(algorithm === 'jcs' ? {} : { safeModeChecked: true }) };
  const ok = await key.verify(hashData, signature);
  return ok
    ? { verified: true, message: `${suite} signature valid`, ...checked }
    : fail('INVALID_SIGNATURE', `${suite} signature does not match the document`, checked);
}

/** The proof's verification method resolved and imported as a key, or the failure that stops the check. */
async function resolveProofKey(
  proof: Prechecked['proof'],
  options: VerifyProofOptions,
  base: Partial<ProofVerification>,
): Promise<{ key: Ed25519Key; withController: Partial<ProofVerification> } | ProofVerification> {
  const resolve = options.resolveVerificationMethod ?? localResolver();
  let vm: ResolvedVerificationMethod;
  try {
    vm = await resolve(proof.verificationMethod);
  } catch (e) {
    const code =
      isMicrocredError(e) && (e.code === 'INVALID_KEY' || e.code === 'RESOLVER_ERROR') ? e.code : 'RESOLVER_ERROR';
    return fail(code, `Cannot resolve ${proof.verificationMethod}: ${e instanceof Error ? e.message : show(e)}`, base);
  }
  if (!isRecord(vm) || typeof vm.publicKeyMultibase !== 'string')
    return fail('RESOLVER_ERROR', `The resolver gave no publicKeyMultibase for ${proof.verificationMethod}`, base);
  const withController = {
    ...base,
    ...(typeof vm.controller === 'string' ? { controller: vm.controller } : {}),
    ...(vm.unconfirmed === true ? { keyUnconfirmed: true } : {}),
  };
  let key: Ed25519Key;
  try {
    key = importKey(
      { publicKeyMultibase: vm.publicKeyMultibase },
      {
        ...(typeof vm.controller === 'string' ? { controller: vm.controller } : {}),
        id: typeof vm.id === 'string' ? vm.id : proof.verificationMethod,
      },
    );
  } catch (e) {
    return fail('INVALID_KEY', (e as Error).message, withController);
  }
  return { key, withController };
}

/**
 * Gives the proof configuration and the document the contexts the cryptosuite canonicalizes them with (mutating
 * both); a message when a JCS proof's @context is not the start of the document's.
 */
function alignContexts(
  algorithm: Prechecked['algorithm'],
  config: Record<string, unknown>,
  unsecured: Record<string, unknown>,
): string | undefined {
  if (algorithm === 'jcs') {
    // §3.3.2: the document's @context must start with the proof's, in order; then the proof's replaces it.
    if (config['@context'] !== undefined) {
      const proofCtx = asList(config['@context']);
      const docCtx = asList(unsecured['@context']);
      if (proofCtx.length > docCtx.length || !proofCtx.every((c, i) => sameJson(c, docCtx[i])))
        return 'The document @context does not start with the proof @context';
      unsecured['@context'] = config['@context'];
    }
  } else if (algorithm === 'ed2020') {
    // Ed25519Signature2020 canonicalizes the proof with the document's contexts plus its suite context.
    const list = asList(unsecured['@context']);
    config['@context'] = list.includes(ED25519_2020_CONTEXT) ? list : [...list, ED25519_2020_CONTEXT];
  } else {
    config['@context'] = unsecured['@context'];
  }
  return undefined;
}

/** The outcome of verifying every proof of a proof set. */
export interface ProofSetVerification {
  /** True when the document has at least one proof and every proof verifies. */
  verified: boolean;
  code?: ProofFailureCode;
  message: string;
  /** One answer per proof, in document order. */
  results: ProofVerification[];
}

/** Options of `verifyProofSet`: those of `verifyProof`, and whether to stop at the first failing proof. */
export interface ProofSetOptions extends VerifyProofOptions {
  /**
   * Stop checking once a proof has failed (the set fails whatever the rest say): proofs not yet checked are reported
   * `notChecked`. Saves resolver calls and canonicalizations that a holder's appended junk would otherwise cost.
   */
  failFast?: boolean;
}

/**
 * A proof set being verified in steps, so that a caller can decide the order: `verify` the proofs that matter most
 * first (the issuer's), do other work that shares a budget (status lists), then `verify` the rest, then `finish`.
 * Every check that needs no key and no canonicalization (unknown suites, malformed proofs, proof dates, dangling or
 * cyclic `previousProof`) is done at the start for every proof, so junk fails before it can ask a resolver anything.
 */
export interface ProofSetRun {
  readonly proofs: readonly unknown[];
  /** One entry per proof, in document order; undefined while not yet checked. */
  readonly results: (ProofVerification | undefined)[];
  /** Checks the proofs `select` picks (default all) that are not yet checked, in document order. */
  verify(select?: (proof: unknown, index: number) => boolean): Promise<void>;
  /** True once some proof has failed. */
  readonly failed: boolean;
  /** The verdict: every proof checked and valid. Proofs still unchecked are reported `notChecked` and fail the set. */
  finish(): ProofSetVerification;
}

/**
 * Starts verifying every proof of a document (DI §4.5): a proof set (independent proofs) or a proof chain (proofs
 * naming a `previousProof`, each checked over the document with the proofs it names). Returns a finished verdict at
 * once when the document cannot be checked at all (no proof, too many, ambiguous ids).
 */
export function startProofSet(document: unknown, options: ProofSetOptions = {}): ProofSetRun | ProofSetVerification {
  let proofs: unknown[];
  try {
    const value = isRecord(document) ? document.proof : undefined;
    proofs = value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
  } catch (e) {
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `Cannot read the proofs: ${(e as Error).message}`,
      results: [],
    };
  }
  if (!isRecord(document))
    return { verified: false, code: 'INVALID_INPUT', message: 'The document must be a JSON object', results: [] };
  if (proofs.length === 0)
    return { verified: false, code: 'INVALID_INPUT', message: 'The document has no proof', results: [] };
  if (proofs.length > MAX_PROOFS)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: `The document has ${proofs.length} proofs; a verifier checks at most ${MAX_PROOFS}`,
      results: [],
    };
  const ids = proofs.map((p) => (isRecord(p) ? p.id : undefined)).filter((id): id is string => typeof id === 'string');
  if (new Set(ids).size !== ids.length)
    return {
      verified: false,
      code: 'INVALID_INPUT',
      message: 'Two proofs share an id, so previousProof would be ambiguous',
      results: [],
    };
  // Proofs of a set sign the same document: canonicalize it once, not once per proof (keyed by its JSON text, since a
  // chain link's document differs by the proofs it names).
  const baseCanonize = options.canonize ?? fastCanonize;
  const cache = new Map<string, Promise<string>>();
  const cached: Canonicalizer = (doc, o) => {
    const key = JSON.stringify(doc);
    let result = cache.get(key);
    if (!result) cache.set(key, (result = baseCanonize(doc, o)));
    return result;
  };
  // One proof (the common case) gains nothing from the cache and would pay for its JSON.stringify key.
  const proofOptions: VerifyProofOptions = proofs.length > 1 ? { ...options, canonize: cached } : options;
  const results: (ProofVerification | undefined)[] = proofs.map(() => undefined);
  const prechecked: (Prechecked | undefined)[] = proofs.map((p, i) => {
    const pre = precheckProof(document, p, proofOptions);
    if ('verified' in pre) {
      results[i] = pre;
      return undefined;
    }
    return pre;
  });
  const chainProblems = previousProofProblems(proofs);
  chainProblems.forEach((problem, i) => {
    if (problem && !results[i]) {
      results[i] = { verified: false, ...problem, ...prechecked[i]!.base };
      prechecked[i] = undefined;
    }
  });
  const run: ProofSetRun = {
    proofs,
    results,
    get failed() {
      return results.some((r) => r !== undefined && !r.verified && !r.notChecked);
    },
    async verify(select = () => true) {
      for (const [i, proof] of proofs.entries()) {
        if (results[i] !== undefined || !select(proof, i)) continue;
        if (options.failFast && run.failed) return;
        results[i] = await verifyChecked(document, prechecked[i]!, proofOptions);
      }
    },
    finish() {
      const all = results.map(
        (r, i) =>
          r ?? {
            verified: false,
            notChecked: true,
            message: 'Not checked: the proof set had already failed',
            ...(prechecked[i]?.base ?? {}),
          },
      );
      const failed = all.findIndex((r) => !r.verified && !r.notChecked);
      if (failed < 0 && all.every((r) => r.verified))
        return { verified: true, message: `All ${all.length} proof(s) verify`, results: all };
      const at = failed < 0 ? all.findIndex((r) => !r.verified) : failed;
      return {
        verified: false,
        code: all[at]!.code ?? 'INVALID_SIGNATURE',
        message: `proof[${at}]: ${all[at]!.message}`,
        results: all,
      };
    },
  };
  return run;
}

/**
 * Verifies every proof of a document: a proof set (independent proofs) or a proof chain (proofs naming a
 * `previousProof`, each checked over the document with the proofs it names). All must hold (DI §4.5): one corrupted,
 * expired or unknown proof, or a `previousProof` that names nothing or loops, makes the result false.
 */
export async function verifyProofSet(document: unknown, options: ProofSetOptions = {}): Promise<ProofSetVerification> {
  assertUsableClock(options?.now, options?.clockSkewSeconds);
  const run = startProofSet(document, options ?? {});
  if (!('finish' in run)) return run;
  await run.verify();
  return run.finish();
}

/**
 * Proofs checked in one document. Real credentials carry one, a proof set or chain a handful; every proof costs a
 * signature check and, in a chain, a canonicalization of the document with the proofs it names, so an unbounded
 * number is a denial of service (500 chained proofs naming 500 each held a verifier for minutes).
 */
export const MAX_PROOFS = 32;

/** For a proof chain: the document hashed with the proofs that `previousProof` names (W3C DI §4.3 "Add Proof"). */
function withPreviousProofs(
  unsecured: Record<string, unknown>,
  proofs: unknown,
  previous: string | string[],
): Record<string, unknown> {
  const list = (Array.isArray(proofs) ? proofs : proofs === undefined ? [] : [proofs]) as unknown[];
  const ids = Array.isArray(previous) ? previous : [previous];
  if (new Set(ids).size !== ids.length)
    throw new MicrocredError('INVALID_INPUT', 'previousProof names the same proof twice');
  const matched = ids.map((id) => list.find((p) => isRecord(p) && p.id === id));
  const missing = ids.filter((_, i) => matched[i] === undefined);
  if (missing.length)
    throw new MicrocredError(
      'INVALID_INPUT',
      `previousProof names a proof that is not in the document: ${missing.join(', ')}`,
    );
  return { ...unsecured, proof: matched.length === 1 ? matched[0] : matched };
}

type ChainProblem = {
  code: Extract<ProofFailureCode, 'PREVIOUS_PROOF_MISSING' | 'PREVIOUS_PROOF_CYCLE' | 'INVALID_INPUT'>;
  message: string;
};

/** A proof's `previousProof` that names nothing (or the same proof twice). */
function previousProofProblem(proofs: unknown, previous: string | string[]): ChainProblem | undefined {
  const list = (Array.isArray(proofs) ? proofs : proofs === undefined ? [] : [proofs]) as unknown[];
  const ids = Array.isArray(previous) ? previous : [previous];
  if (new Set(ids).size !== ids.length)
    return { code: 'INVALID_INPUT', message: 'previousProof names the same proof twice' };
  const missing = ids.filter((id) => !list.some((p) => isRecord(p) && p.id === id));
  if (missing.length)
    return {
      code: 'PREVIOUS_PROOF_MISSING',
      message: `previousProof names a proof that is not in the document: ${missing.join(', ')}`,
    };
  return undefined;
}

/** Per proof: a dangling `previousProof`, or one whose references lead back to the proof itself (DI §4.5). */
function previousProofProblems(proofs: unknown[]): (ChainProblem | undefined)[] {
  const byId = new Map<string, Record<string, unknown>>();
  for (const p of proofs) if (isRecord(p) && typeof p.id === 'string') byId.set(p.id, p);
  const previousOf = (p: unknown): string[] => {
    const prev = isRecord(p) ? p.previousProof : undefined;
    return typeof prev === 'string'
      ? [prev]
      : Array.isArray(prev)
        ? prev.filter((x): x is string => typeof x === 'string')
        : [];
  };
  return proofs.map((p) => {
    if (!isRecord(p) || p.previousProof === undefined || !isIdList(p.previousProof)) return undefined;
    const problem = previousProofProblem(proofs, p.previousProof);
    if (problem) return problem;
    // Does following previousProof from this proof come back to it? (At most 32 proofs: a plain search is enough.)
    const seen = new Set<unknown>();
    const stack = previousOf(p).map((id) => byId.get(id));
    while (stack.length) {
      const next = stack.pop();
      if (next === p)
        return { code: 'PREVIOUS_PROOF_CYCLE', message: `previousProof of ${show(p.id)} leads back to itself` };
      if (next === undefined || seen.has(next)) continue;
      seen.add(next);
      for (const id of previousOf(next)) stack.push(byId.get(id));
    }
    return undefined;
  });
}

function isIdList(value: unknown): value is string | string[] {
  return (
    typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
  );
}

/** Whether two JSON values have the same JCS text (false when either has none). */
export function sameJson(a: unknown, b: unknown): boolean {
  // A context list's entries are strings, which need no serializing: the same string, one that JCS can encode.
  if (typeof a === 'string' || typeof b === 'string') return a === b && wellFormed(a as string);
  try {
    return canonicalizeJcs(a) === canonicalizeJcs(b);
  } catch {
    return false;
  }
}
