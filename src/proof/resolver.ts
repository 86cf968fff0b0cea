import { MicrocredError } from '../errors';
import { didWebUrl, parseVerificationMethodId } from '../keys/did';
import { encodePublicKeyMultibase, fromBase64url } from '../keys/multikey';
import { show } from '../keys/show';

export interface ResolvedVerificationMethod {
  /** The verification method id (defaults to the id that was resolved). */
  id?: string;
  /** Who controls the key: compare with the issuer. */
  controller: string;
  /** Ed25519 public key, `z6Mk…`. */
  publicKeyMultibase: string;
}

export interface ResolverOptions {
  /**
   * Fetches a DID document or controller document by URL (the caller decides whether and how the network is used).
   * Without it, only did:key and the 1EdTech `https://…#z6Mk…` convention resolve.
   */
  resolveDocument?: (url: string) => Promise<unknown>;
  /** Milliseconds before a resolveDocument call is abandoned (default 5,000). */
  timeoutMs?: number;
}

/**
 * A verification-method resolver. did:key and 1EdTech's fragment keys decode locally; did:web and https controller
 * documents go through the caller's `resolveDocument`, with a timeout, and the method must be listed under
 * `assertionMethod` there. Errors are MicrocredError `RESOLVER_ERROR` / `INVALID_KEY`.
 */
export function createResolver(options: ResolverOptions = {}): (id: string) => Promise<ResolvedVerificationMethod> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (id: string) => {
    const parsed = parseVerificationMethodId(id);
    if (parsed.method === 'did:key' || (parsed.method === 'https' && parsed.publicKeyMultibase)) {
      return { id, controller: parsed.controller, publicKeyMultibase: parsed.publicKeyMultibase! };
    }
    if (!options.resolveDocument) {
      throw new MicrocredError('RESOLVER_ERROR', `${parsed.controller} needs resolving and no resolver was given (network access is off by default)`);
    }
    const url = parsed.method === 'did:web' ? didWebUrl(parsed.controller) : parsed.controller;
    if (parsed.method !== 'did:web' && parsed.method !== 'https') throw new MicrocredError('RESOLVER_ERROR', `Unsupported verification method ${id}`);
    const resolveDocument = options.resolveDocument;
    // Promise.resolve().then: a resolver that throws synchronously still ends as a RESOLVER_ERROR.
    const doc = await withTimeout(Promise.resolve().then(() => resolveDocument(url)), timeoutMs, `resolving ${url}`);
    return findMethod(doc, id, parsed.controller);
  };
}

/**
 * The resolver that needs nothing from outside: did:key and 1EdTech's `https://issuer.example/x#z6Mk…` convention,
 * both decoded from the id itself. Anything else is a RESOLVER_ERROR (add did:web with `createResolver`).
 */
export function localResolver(): (id: string) => Promise<ResolvedVerificationMethod> {
  return createResolver();
}

/** Finds an assertion method with this id in a DID/controller document and reads its Ed25519 key. */
export function findMethod(doc: unknown, id: string, controller: string): ResolvedVerificationMethod {
  if (typeof doc !== 'object' || doc === null) throw new MicrocredError('RESOLVER_ERROR', `The document for ${controller} is not an object`);
  const d = doc as Record<string, unknown>;
  if (d.id !== controller) throw new MicrocredError('RESOLVER_ERROR', `The document's id ${show(d.id)} is not ${controller}`);
  const methods = (Array.isArray(d.verificationMethod) ? d.verificationMethod : []) as Record<string, unknown>[];
  const absolute = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('#') ? `${controller}${ref}` : ref);
  const assertion = (Array.isArray(d.assertionMethod) ? d.assertionMethod : []).map((a: unknown) => (typeof a === 'object' && a !== null ? absolute((a as Record<string, unknown>).id) : absolute(a)));
  if (!assertion.includes(id)) throw new MicrocredError('RESOLVER_ERROR', `${id} is not an assertionMethod of ${controller}`);
  const embedded = (Array.isArray(d.assertionMethod) ? d.assertionMethod : []).find((a: unknown) => typeof a === 'object' && a !== null && absolute((a as Record<string, unknown>).id) === id) as Record<string, unknown> | undefined;
  const vm = embedded ?? methods.find((m) => absolute(m.id) === id);
  if (!vm) throw new MicrocredError('RESOLVER_ERROR', `${id} is not in the document's verificationMethod`);
  if (vm.controller !== undefined && vm.controller !== controller) throw new MicrocredError('RESOLVER_ERROR', `${id} is controlled by ${show(vm.controller)}, not ${controller}`);
  if (typeof vm.publicKeyMultibase === 'string') return { id, controller, publicKeyMultibase: vm.publicKeyMultibase };
  const jwk = vm.publicKeyJwk as Record<string, unknown> | undefined;
  if (jwk?.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') return { id, controller, publicKeyMultibase: encodePublicKeyMultibase(fromBase64url(jwk.x)) };
  throw new MicrocredError('INVALID_KEY', `${id} has no Ed25519 key`);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MicrocredError('RESOLVER_ERROR', `Timed out after ${ms} ms ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (e) {
    if (e instanceof MicrocredError) throw e;
    throw new MicrocredError('RESOLVER_ERROR', `Failed ${what}: ${(e as Error).message}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
