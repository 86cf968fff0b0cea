import type { DocumentLoader } from '../jsonld/loader';
import { importKey, toBase64url } from '../keys/multikey';
import * as proofs from '../proof/index';
import { MAX_PROOFS } from '../proof/data-integrity';
import type { ParsedInput } from './parse';
import type { CheckCode, ReportBuilder } from './report';

export interface ProofOptions {
  documentLoader?: DocumentLoader;
  /**
   * Resolves a DID document (did:web, …) or an HTTPS controller document, for verification methods that cannot be
   * decoded locally. Nothing is fetched unless the caller passes this. did:key and the 1EdTech `https://…#z6Mk…`
   * convention are decoded locally.
   */
  resolveDocument?: (url: string) => Promise<unknown>;
  /** Milliseconds a resolver call may take (default 5,000). */
  resolverTimeoutMs?: number;
  /** Public keys for VC-JWTs whose header names a `kid` (a JWKS, e.g. the issuer's `/.well-known/jwks.json`). */
  jwks?: { keys: Record<string, unknown>[] };
}

/** Proof and key-binding steps. Returns the suites/algorithms of the proofs that held. */
export interface ProofOutcome {
  /** Suites / algorithms of the proofs that held. */
  held: string[];
  /** What canonicalizing the document for its proofs showed about JSON-LD safe mode. */
  safeMode: 'proven' | 'violated' | 'unknown';
  safeModeFailure?: { code: CheckCode; message: string };
}

export async function checkProofs(parsed: ParsedInput, report: ReportBuilder, options: ProofOptions & { documentLoader: DocumentLoader }): Promise<ProofOutcome> {
  const credential = parsed.credential;
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | undefined)?.id;
  if (parsed.format === 'vc-jwt' && parsed.jwt) {
    // A `kid` that is a did:key / did:web / 1EdTech fragment key resolves like a Data Integrity verification method.
    const vmResolver = proofs.createResolver({
      ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
      timeoutMs: options.resolverTimeoutMs ?? 5000,
    });
    let kidController: string | undefined;
    const result = await proofs.verifyJwt(parsed.jwt, {
      ...(options.jwks ? { jwks: options.jwks } : {}),
      resolveKey: async (kid) => {
        const vm = await vmResolver(kid);
        kidController = vm.controller;
        return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(importKey({ publicKeyMultibase: vm.publicKeyMultibase }).publicKey) };
      },
    });
    if (result.verified && kidController !== undefined) {
      result.keyBound = kidController === issuerId;
      result.keyBindingMessage = result.keyBound ? `The key ${String(kidController)} is the issuer's` : `The key is controlled by ${kidController}, not by the issuer ${String(issuerId)}`;
    }
    if (!result.verified) {
      report.fail('proof', (result.code as CheckCode | undefined) ?? 'INVALID_SIGNATURE', `VC-JWT: ${result.message}`);
      report.skip('keyBinding', 'Not checked: the JWT signature did not verify');
      return { held: [], safeMode: 'unknown' };
    }
    report.pass('proof', `VC-JWT signature valid (${result.algorithm}); iss/jti/sub agree with the credential`);
    if (result.keyBound === true) report.pass('keyBinding', result.keyBindingMessage ?? `The key belongs to ${String(issuerId)}`);
    else if (result.keyBound === false) report.fail('keyBinding', 'KEY_BINDING_MISMATCH', result.keyBindingMessage ?? 'The key is not the issuer\'s');
    else report.warn('keyBinding', result.keyBindingMessage ?? 'The signing key could not be tied to the issuer');
    return { held: [`vc-jwt/${result.algorithm}`], safeMode: 'unknown' };
  }

  const proofValue = credential.proof;
  const list = proofValue === undefined ? [] : Array.isArray(proofValue) ? proofValue : [proofValue];
  if (list.length === 0) {
    report.fail('proof', 'NO_PROOF', 'The credential has no embedded proof (and is not a VC-JWT)', '$.proof');
    report.skip('keyBinding', 'Not checked: no proof');
    return { held: [], safeMode: 'unknown' };
  }
  if (list.length > MAX_PROOFS) {
    // Each proof costs a canonicalization and a signature check: thousands of them would hold the verifier.
    report.fail('proof', 'INVALID_INPUT', `The credential has ${list.length} proofs; a verifier checks at most ${MAX_PROOFS}`, '$.proof');
    report.skip('keyBinding', 'Not checked: too many proofs');
    return { held: [], safeMode: 'unknown' };
  }
  const resolver = proofs.createResolver({
    ...(options.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    timeoutMs: options.resolverTimeoutMs ?? 5000,
  });
  const held: string[] = [];
  const bound: string[] = [];
  const failures: string[] = [];
  let safeMode: ProofOutcome['safeMode'] = 'unknown';
  let safeModeFailure: ProofOutcome['safeModeFailure'];
  for (const [i, proof] of list.entries()) {
    const result = await proofs.verifyProof(credential, proof, { documentLoader: options.documentLoader, resolveVerificationMethod: resolver });
    const name = result.cryptosuite ?? (proof as { type?: string })?.type ?? 'unknown';
    if (result.safeModeChecked) safeMode = 'proven';
    if (result.code === 'SAFE_MODE_VIOLATION' || result.code === 'CANONICALIZATION_LIMIT' || result.code === 'UNKNOWN_CONTEXT') {
      safeMode = 'violated';
      safeModeFailure = { code: result.code, message: result.message };
    }
    if (!result.verified) {
      failures.push(`proof[${i}] (${name}): ${result.message}`);
      continue;
    }
    held.push(name);
    if (result.controller !== undefined && issuerId !== undefined && result.controller === issuerId) bound.push(name);
    else failures.push(`proof[${i}] (${name}) is valid but its key's controller ${String(result.controller)} is not the issuer ${String(issuerId)}`);
  }
  if (held.length === 0) {
    report.fail('proof', 'INVALID_SIGNATURE', failures.join('; '), '$.proof');
    report.skip('keyBinding', 'Not checked: no proof holds');
    return { held: [], safeMode, ...(safeModeFailure ? { safeModeFailure } : {}) };
  }
  report.pass('proof', `${held.length} of ${list.length} proof(s) valid: ${held.join(', ')}`);
  if (bound.length) report.pass('keyBinding', `The signing key belongs to the issuer ${String(issuerId)}`);
  else report.fail('keyBinding', 'KEY_BINDING_MISMATCH', failures.join('; '), '$.proof');
  return { held, safeMode, ...(safeModeFailure ? { safeModeFailure } : {}) };
}
