import { sha256 } from '@noble/hashes/sha2.js';
import { base58btc } from 'multiformats/bases/base58';
import { MicrocredError, isMicrocredError } from '../errors';
import { canonize } from '../jsonld/canonize';
import type { DocumentLoader } from '../jsonld/loader';
import { importKey, type Ed25519Key } from '../keys/multikey';
import { canonicalizeJcs } from './jcs';
import type { ResolvedVerificationMethod } from './resolver';

export type Cryptosuite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022';

const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';
const XSD_DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

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

export interface CreateProofOptions {
  key: Ed25519Key;
  cryptosuite?: Cryptosuite;
  /** XML Schema dateTime; default now, to the second. */
  created?: string;
  proofPurpose?: string;
  documentLoader?: DocumentLoader;
  /** Emit `proof` as an array (OB 3.0 schema) or a single object (VC compact form). Default 'array'. */
  proofShape?: 'array' | 'object';
  /** Proof id (for proof sets / chains). */
  id?: string;
  previousProof?: string | string[];
}

/**
 * Adds a Data Integrity proof (W3C vc-di-eddsa v1.0, §3.2 eddsa-rdfc-2022 and §3.3 eddsa-jcs-2022):
 * hashData = SHA-256(canonical proof configuration) ‖ SHA-256(canonical document), signed with Ed25519,
 * proofValue = base58btc multibase. Proofs already present are kept (a proof set).
 */
export async function createProof<T extends Record<string, unknown>>(document: T, options: CreateProofOptions): Promise<T & { proof: Proof[] | Proof }> {
  const cryptosuite = options.cryptosuite ?? 'eddsa-rdfc-2022';
  if (cryptosuite !== 'eddsa-rdfc-2022' && cryptosuite !== 'eddsa-jcs-2022') {
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Unsupported cryptosuite ${String(cryptosuite)}`);
  }
  if (!options.key?.hasSecret) throw new MicrocredError('PROOF_GENERATION_ERROR', 'Signing needs a key with its secret part');
  const created = options.created ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!XSD_DATE_TIME.test(created)) throw new MicrocredError('PROOF_GENERATION_ERROR', `created must be an XML Schema dateTime, got ${JSON.stringify(created)}`);
  const { proof: existing, ...unsecured } = document as Record<string, unknown>;
  const config: Proof = {
    ...(options.id ? { id: options.id } : {}),
    type: 'DataIntegrityProof',
    cryptosuite,
    created,
    verificationMethod: options.key.id,
    proofPurpose: options.proofPurpose ?? 'assertionMethod',
    ...(options.previousProof ? { previousProof: options.previousProof } : {}),
  };
  if (unsecured['@context'] !== undefined) config['@context'] = unsecured['@context'];
  let hashData: Uint8Array;
  try {
    const docForHash = options.previousProof ? withPreviousProofs(unsecured, existing, options.previousProof) : unsecured;
    hashData = await computeHashData(docForHash, config, cryptosuite, options.documentLoader);
  } catch (e) {
    if (isMicrocredError(e) && e.code !== 'INVALID_INPUT') throw e;
    throw new MicrocredError('PROOF_GENERATION_ERROR', `Cannot canonicalize the document: ${(e as Error).message}`, { cause: e });
  }
  const signature = await options.key.sign(hashData);
  const proof: Proof = { ...config, proofValue: base58btc.encode(signature) };
  // eddsa-rdfc-2022 drops the @context it borrowed for canonicalization; eddsa-jcs-2022 keeps it (spec §3.3.1).
  if (cryptosuite === 'eddsa-rdfc-2022') delete proof['@context'];
  const proofs = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  const all = [...proofs, proof] as Proof[];
  const shaped = (options.proofShape ?? 'array') === 'array' || all.length > 1 ? all : all[0]!;
  return { ...(document as object), proof: shaped } as T & { proof: Proof[] | Proof };
}

/** hashData for a proof configuration (with @context) and an unsecured document. */
export async function computeHashData(
  unsecured: Record<string, unknown>,
  proofConfig: Record<string, unknown>,
  algorithm: 'rdfc' | 'jcs' | Cryptosuite,
  documentLoader?: DocumentLoader,
): Promise<Uint8Array> {
  const jcs = algorithm === 'jcs' || algorithm === 'eddsa-jcs-2022';
  const loaderOption = documentLoader ? { documentLoader } : {};
  const [canonicalConfig, canonicalDoc] = jcs
    ? [canonicalizeJcs(proofConfig), canonicalizeJcs(unsecured)]
    : await Promise.all([canonize(proofConfig, loaderOption), canonize(unsecured, loaderOption)]);
  const encoder = new TextEncoder();
  const out = new Uint8Array(64);
  out.set(sha256(encoder.encode(canonicalConfig)), 0);
  out.set(sha256(encoder.encode(canonicalDoc)), 32);
  return out;
}

export interface ProofVerification {
  verified: boolean;
  /** Why not (stable code) when `verified` is false. */
  code?: 'INVALID_SIGNATURE' | 'UNSUPPORTED_PROOF' | 'INVALID_KEY' | 'RESOLVER_ERROR' | 'INVALID_INPUT' | 'UNKNOWN_CONTEXT' | 'SAFE_MODE_VIOLATION' | 'CANONICALIZATION_LIMIT';
  message: string;
  cryptosuite?: string;
  verificationMethod?: string;
  /** Controller of the verification method (to compare with the issuer). */
  controller?: string;
  /** True once the document was canonicalized with RDFC-1.0 in JSON-LD safe mode (so it has no undefined terms). */
  safeModeChecked?: boolean;
}

export interface VerifyProofOptions {
  documentLoader?: DocumentLoader;
  resolveVerificationMethod: (id: string) => Promise<ResolvedVerificationMethod>;
  /** Expected proof purpose (default assertionMethod). */
  proofPurpose?: string;
}

/**
 * Verifies one embedded proof of `document`: DataIntegrityProof with eddsa-rdfc-2022, eddsa-2022 (its earlier name) or
 * eddsa-jcs-2022, and Ed25519Signature2020. Never throws for a bad proof or document: the answer says why.
 */
export async function verifyProof(document: Record<string, unknown>, proofInput: unknown, options: VerifyProofOptions): Promise<ProofVerification> {
  const fail = (code: NonNullable<ProofVerification['code']>, message: string, extra: Partial<ProofVerification> = {}): ProofVerification => ({ verified: false, code, message, ...extra });
  if (typeof proofInput !== 'object' || proofInput === null || Array.isArray(proofInput)) return fail('INVALID_INPUT', 'A proof must be an object');
  const proof = proofInput as Proof;
  const suite = proof.type === 'DataIntegrityProof' ? proof.cryptosuite : proof.type;
  const algorithm =
    suite === 'eddsa-rdfc-2022' || suite === 'eddsa-2022' ? 'rdfc'
    : suite === 'eddsa-jcs-2022' ? 'jcs'
    : suite === 'Ed25519Signature2020' ? 'ed2020'
    : undefined;
  const base = { ...(suite ? { cryptosuite: suite } : {}), ...(typeof proof.verificationMethod === 'string' ? { verificationMethod: proof.verificationMethod } : {}) };
  if (!algorithm) return fail('UNSUPPORTED_PROOF', `Unsupported proof ${proof.type}${proof.cryptosuite ? `/${proof.cryptosuite}` : ''}`, base);
  if (typeof proof.verificationMethod !== 'string') return fail('INVALID_INPUT', 'The proof has no verificationMethod', base);
  const purpose = options.proofPurpose ?? 'assertionMethod';
  if (proof.proofPurpose !== purpose) return fail('INVALID_INPUT', `proofPurpose must be ${purpose}, got ${JSON.stringify(proof.proofPurpose)}`, base);
  if (proof.created !== undefined && (typeof proof.created !== 'string' || !XSD_DATE_TIME.test(proof.created))) return fail('INVALID_INPUT', 'created is not an XML Schema dateTime', base);
  if (typeof proof.proofValue !== 'string' || !proof.proofValue.startsWith('z')) return fail('INVALID_SIGNATURE', 'proofValue must be base58btc multibase', base);
  let signature: Uint8Array;
  try {
    signature = base58btc.decode(proof.proofValue);
  } catch {
    return fail('INVALID_SIGNATURE', 'proofValue is not valid base58btc', base);
  }
  if (signature.length !== 64) return fail('INVALID_SIGNATURE', `An Ed25519 signature has 64 bytes, got ${signature.length}`, base);

  let vm: ResolvedVerificationMethod;
  try {
    vm = await options.resolveVerificationMethod(proof.verificationMethod);
  } catch (e) {
    const code = isMicrocredError(e) && (e.code === 'INVALID_KEY' || e.code === 'RESOLVER_ERROR') ? e.code : 'RESOLVER_ERROR';
    return fail(code, `Cannot resolve ${proof.verificationMethod}: ${(e as Error).message}`, base);
  }
  const withController = { ...base, controller: vm.controller };

  const { proof: allProofs, ...rest } = document;
  const unsecured: Record<string, unknown> = proof.previousProof ? withPreviousProofs(rest, allProofs, proof.previousProof) : rest;
  const { proofValue: _pv, ...config } = proof;
  void _pv;
  if (algorithm === 'jcs') {
    if (config['@context'] !== undefined) {
      const proofCtx = Array.isArray(config['@context']) ? config['@context'] : [config['@context']];
      const docCtx = Array.isArray(unsecured['@context']) ? unsecured['@context'] : [unsecured['@context']];
      if (!proofCtx.every((c, i) => JSON.stringify(c) === JSON.stringify(docCtx[i]))) return fail('INVALID_SIGNATURE', 'The document @context does not start with the proof @context', withController);
      unsecured['@context'] = config['@context'];
    }
  } else {
    const ctx = unsecured['@context'];
    if (algorithm === 'ed2020') {
      const list = Array.isArray(ctx) ? ctx : ctx === undefined ? [] : [ctx];
      config['@context'] = list.includes(ED25519_2020_CONTEXT) ? list : [...list, ED25519_2020_CONTEXT];
    } else config['@context'] = ctx;
  }
  let hashData: Uint8Array;
  try {
    hashData = await computeHashData(unsecured, config, algorithm === 'jcs' ? 'jcs' : 'rdfc', options.documentLoader);
  } catch (e) {
    if (isMicrocredError(e)) {
      const code = (['UNKNOWN_CONTEXT', 'SAFE_MODE_VIOLATION', 'CANONICALIZATION_LIMIT'] as const).find((c) => c === e.code) ?? 'INVALID_INPUT';
      return fail(code, e.message, withController);
    }
    return fail('INVALID_INPUT', `Cannot canonicalize: ${(e as Error).message}`, withController);
  }
  let key: Ed25519Key;
  try {
    key = importKey({ publicKeyMultibase: vm.publicKeyMultibase }, { controller: vm.controller, id: vm.id });
  } catch (e) {
    return fail('INVALID_KEY', (e as Error).message, { ...withController, ...(algorithm === 'jcs' ? {} : { safeModeChecked: true }) });
  }
  const checked = { ...withController, ...(algorithm === 'jcs' ? {} : { safeModeChecked: true }) };
  const ok = await key.verify(hashData, signature);
  return ok ? { verified: true, message: `${suite} signature valid`, ...checked } : fail('INVALID_SIGNATURE', `${suite} signature does not match the document`, checked);
}

/** For a proof chain: the document hashed with the proofs that `previousProof` names (W3C DI §4.3 "Add Proof"). */
function withPreviousProofs(unsecured: Record<string, unknown>, proofs: unknown, previous: string | string[]): Record<string, unknown> {
  const list = (Array.isArray(proofs) ? proofs : proofs === undefined ? [] : [proofs]) as Proof[];
  const ids = Array.isArray(previous) ? previous : [previous];
  const matched = ids.map((id) => list.find((p) => p.id === id));
  if (matched.some((m) => m === undefined)) throw new MicrocredError('PROOF_VERIFICATION_ERROR', 'previousProof names a proof that is not in the document');
  return { ...unsecured, proof: matched.length === 1 ? matched[0] : matched };
}
