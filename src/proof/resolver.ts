import { MicrocredError } from '../errors';
import { didWebUrl, parseVerificationMethodId } from '../keys/did';
import { encodePublicKeyMultibase, fromBase64url, toBase64url, tryDecodePublicKeyMultibase } from '../keys/multikey';
import { show } from '../keys/show';
import { readOnce } from '../shared/read-once';
import { onDemand } from '../shared/on-demand';

/** Loaded with the first document asked for: a verification that resolves nothing never needs it. */
const loadHostGuard = onDemand(() => import('./host-guard'));

/** A verification method found through its controller document, with the relationships it is listed under. */
export interface ResolvedVerificationMethod {
  /** The verification method id (defaults to the id that was resolved). */
  id?: string;
  /** Who controls the key: compare with the issuer. */
  controller: string;
  /** Ed25519 public key, `z6Mk…`. */
  publicKeyMultibase: string;
  /**
   * True when `controller` is only claimed: the key came from an https id's fragment (1EdTech's convention, allowed by
   * `acceptUnconfirmedFragmentKeys`) and no controller document listed it. A signature under such a key is valid, but
   * it says nothing about who signed.
   */
  unconfirmed?: boolean;
}

/** Options of `createResolver`: the document fetcher and timeout, the relationship a key must be listed under, and the opt-outs for fragment keys and private hosts. */
export interface ResolverOptions {
  /**
   * Fetches a DID document or controller document by URL (the caller decides whether and how the network is used).
   * Without it, only did:key resolves.
   */
  resolveDocument?: (url: string) => Promise<unknown>;
  /** Milliseconds before a resolveDocument call is abandoned (default 5,000). */
  timeoutMs?: number;
  /**
   * Accept 1EdTech's `https://issuer.example/x#z6Mk…` convention when the controller document cannot be had (no
   * `resolveDocument`, or it failed): the key is taken from the fragment and returned with `unconfirmed: true`. Off by
   * default: the fragment proves nothing about who controls the key, so anyone can sign as any https issuer with it.
   * A document that is fetched and does not list the key is never overridden.
   */
  acceptUnconfirmedFragmentKeys?: boolean;
  /** The verification relationship the method must be listed under (default `assertionMethod`). */
  relationship?: 'assertionMethod' | 'authentication';
  /** Hand `resolveDocument` loopback, private and link-local hosts too (default false: refused, see isPrivateHostUrl). */
  allowPrivateHosts?: boolean;
}

/**
 * A verification-method resolver. did:key decodes locally; did:web and https controller documents go through the
 * caller's `resolveDocument`, with a timeout, and the method must be listed under `assertionMethod` (or the chosen
 * `relationship`) there. Errors are MicrocredError `RESOLVER_ERROR` / `INVALID_KEY`.
 */
export function createResolver(options: ResolverOptions = {}): (id: string) => Promise<ResolvedVerificationMethod> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const relationship = options.relationship ?? 'assertionMethod';
  return async (id: string) => {
    const parsed = parseVerificationMethodId(id);
    if (parsed.method === 'did:key')
      return { id, controller: parsed.controller, publicKeyMultibase: parsed.publicKeyMultibase! };
    if (parsed.method !== 'did:web' && parsed.method !== 'https')
      throw new MicrocredError('RESOLVER_ERROR', `Unsupported verification method ${id}`);
    const unconfirmed =
      options.acceptUnconfirmedFragmentKeys && parsed.fragmentKeyMultibase
        ? { id, controller: parsed.controller, publicKeyMultibase: parsed.fragmentKeyMultibase, unconfirmed: true }
        : undefined;
    if (!options.resolveDocument) {
      if (unconfirmed) return unconfirmed;
      throw new MicrocredError(
        'RESOLVER_ERROR',
        `${parsed.controller} needs resolving and no resolver was given (network access is off by default)`,
      );
    }
    const url = parsed.method === 'did:web' ? didWebUrl(parsed.controller) : parsed.controller;
    let doc: unknown;
    try {
      doc = await fetchControllerDocument(url, { ...options, timeoutMs });
    } catch (e) {
      if (unconfirmed) return unconfirmed;
      throw e;
    }
    return findMethod(doc, id, parsed.controller, relationship);
  };
}

/**
 * Asks the caller's `resolveDocument` for the DID / controller document at `url`, with a timeout, refusing private
 * and loopback hosts unless `allowPrivateHosts`. Errors are MicrocredError `RESOLVER_ERROR`.
 */
export async function fetchControllerDocument(
  url: string,
  options: Pick<ResolverOptions, 'resolveDocument' | 'timeoutMs' | 'allowPrivateHosts'>,
): Promise<unknown> {
  const resolveDocument = options.resolveDocument;
  if (!resolveDocument)
    throw new MicrocredError(
      'RESOLVER_ERROR',
      `${url} needs resolving and no resolver was given (network access is off by default)`,
    );
  if (!options.allowPrivateHosts) (await loadHostGuard()).assertPublicHost(url, 'RESOLVER_ERROR', 'resolving');
  // Promise.resolve().then: a resolver that throws synchronously still ends as a RESOLVER_ERROR.
  const doc = await withTimeout(
    Promise.resolve().then(() => resolveDocument(url)),
    options.timeoutMs ?? 5000,
    `resolving ${url}`,
  );
  return readAnswerOnce(doc, `The document at ${url}`);
}

/**
 * A resolver's answer as plain data, read once (../shared/read-once.ts): a caller may hand on an object from
 * elsewhere (a wallet's store, a proxy), whose getters could show the relationship check one key and the signature
 * another. Bounded, `__proto__` members refused; anything it cannot read is a RESOLVER_ERROR.
 */
export function readAnswerOnce(doc: unknown, what: string): unknown {
  if (typeof doc !== 'object' || doc === null) return doc;
  try {
    return readOnce(doc, what);
  } catch (e) {
    throw new MicrocredError('RESOLVER_ERROR', (e as Error).message, { cause: e });
  }
}

/**
 * The public keys (as JWKs) a DID / controller document lists under `assertionMethod` for `controller`: what a VC-JWT
 * header `jwk` is compared with. Ed25519 `publicKeyMultibase` keys are given in their JWK form.
 */
export function issuerAssertionKeys(doc: unknown, controller: string): Record<string, unknown>[] {
  if (typeof doc !== 'object' || doc === null)
    throw new MicrocredError('RESOLVER_ERROR', `The document for ${controller} is not an object`);
  const d = doc as Record<string, unknown>;
  if (d.id !== controller)
    throw new MicrocredError('RESOLVER_ERROR', `The document's id ${show(d.id)} is not ${controller}`);
  const listed = Array.isArray(d.assertionMethod) ? (d.assertionMethod as unknown[]) : [];
  const methods = (Array.isArray(d.verificationMethod) ? d.verificationMethod : []) as unknown[];
  const absolute = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('#') ? `${controller}${ref}` : ref);
  const keys: Record<string, unknown>[] = [];
  for (const entry of listed.slice(0, 64)) {
    const vm = (
      typeof entry === 'object' && entry !== null
        ? entry
        : methods.find(
            (m) =>
              typeof m === 'object' && m !== null && absolute((m as Record<string, unknown>).id) === absolute(entry),
          )
    ) as Record<string, unknown> | undefined;
    if (!vm || (vm.controller !== undefined && vm.controller !== controller)) continue;
    if (typeof vm.publicKeyJwk === 'object' && vm.publicKeyJwk !== null)
      keys.push(vm.publicKeyJwk as Record<string, unknown>);
    else if (typeof vm.publicKeyMultibase === 'string') {
      const raw = tryDecodePublicKeyMultibase(vm.publicKeyMultibase);
      if (raw) keys.push({ kty: 'OKP', crv: 'Ed25519', x: toBase64url(raw) });
    }
  }
  return keys;
}

/** The resolver that needs nothing from outside: did:key only. Anything else is a RESOLVER_ERROR (see `createResolver`). */
export function localResolver(
  options: Pick<ResolverOptions, 'acceptUnconfirmedFragmentKeys'> = {},
): (id: string) => Promise<ResolvedVerificationMethod> {
  return createResolver(options);
}

/** Finds a method with this id under `relationship` (default assertionMethod) in a DID/controller document and reads its Ed25519 key. */
export function findMethod(
  doc: unknown,
  id: string,
  controller: string,
  relationship: 'assertionMethod' | 'authentication' = 'assertionMethod',
): ResolvedVerificationMethod {
  const vm = listedMethod(doc, id, controller, relationship);
  if (typeof vm.publicKeyMultibase === 'string') return { id, controller, publicKeyMultibase: vm.publicKeyMultibase };
  const jwk = vm.publicKeyJwk as Record<string, unknown> | undefined;
  if (jwk?.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string')
    return { id, controller, publicKeyMultibase: encodePublicKeyMultibase(fromBase64url(jwk.x)) };
  throw new MicrocredError('INVALID_KEY', `${id} has no Ed25519 key`);
}

/** The verification method `id` of a controller document, when the document is the controller's and lists it under `relationship`. */
function listedMethod(
  doc: unknown,
  id: string,
  controller: string,
  relationship: 'assertionMethod' | 'authentication',
): Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null)
    throw new MicrocredError('RESOLVER_ERROR', `The document for ${controller} is not an object`);
  const d = doc as Record<string, unknown>;
  if (d.id !== controller)
    throw new MicrocredError('RESOLVER_ERROR', `The document's id ${show(d.id)} is not ${controller}`);
  const methods = (Array.isArray(d.verificationMethod) ? d.verificationMethod : []) as Record<string, unknown>[];
  const absolute = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('#') ? `${controller}${ref}` : ref);
  const listed = Array.isArray(d[relationship]) ? (d[relationship] as unknown[]) : [];
  const assertion = listed.map((a: unknown) =>
    typeof a === 'object' && a !== null ? absolute((a as Record<string, unknown>).id) : absolute(a),
  );
  if (!assertion.includes(id))
    throw new MicrocredError('RESOLVER_ERROR', `${id} is not an ${relationship} of ${controller}`);
  const embedded = listed.find(
    (a: unknown) => typeof a === 'object' && a !== null && absolute((a as Record<string, unknown>).id) === id,
  ) as Record<string, unknown> | undefined;
  const vm = embedded ?? methods.find((m) => absolute(m.id) === id);
  if (!vm) throw new MicrocredError('RESOLVER_ERROR', `${id} is not in the document's verificationMethod`);
  if (vm.controller !== undefined && vm.controller !== controller)
    throw new MicrocredError('RESOLVER_ERROR', `${id} is controlled by ${show(vm.controller)}, not ${controller}`);
  return vm;
}

/**
 * For JWTs signed with keys other than Ed25519 (ES256 above all, what EUDI wallets use): the public JWK of a did:web or
 * https verification method, read through the caller's `resolveDocument` and listed under `assertionMethod` of its
 * controller's own document, as `createResolver` requires for Ed25519 keys. Errors are RESOLVER_ERROR / INVALID_KEY.
 */
export async function resolveJwkMethod(
  id: string,
  options: ResolverOptions,
): Promise<{ id: string; controller: string; publicKeyJwk: Record<string, unknown> }> {
  const parsed = parseVerificationMethodId(id);
  if (parsed.method !== 'did:web' && parsed.method !== 'https')
    throw new MicrocredError('RESOLVER_ERROR', `${id} is not a did:web or https verification method`);
  if (!options.resolveDocument)
    throw new MicrocredError(
      'RESOLVER_ERROR',
      `${parsed.controller} needs resolving and no resolver was given (network access is off by default)`,
    );
  const url = parsed.method === 'did:web' ? didWebUrl(parsed.controller) : parsed.controller;
  const doc = await fetchControllerDocument(url, { ...options, timeoutMs: options.timeoutMs ?? 5000 });
  const jwk = listedMethod(doc, id, parsed.controller, options.relationship ?? 'assertionMethod').publicKeyJwk;
  if (typeof jwk !== 'object' || jwk === null || (jwk as Record<string, unknown>).d !== undefined)
    throw new MicrocredError('INVALID_KEY', `${id} has no public JWK`);
  return { id, controller: parsed.controller, publicKeyJwk: jwk as Record<string, unknown> };
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
