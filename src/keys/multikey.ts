import { base58Decode, base58Encode } from '../platform/base58';
import { MicrocredError } from '../errors';
import { decodeBase64url, toBase64url } from '../shared/base64url';
import { currentEd25519Backend, nativeEd25519, type Ed25519Backend, type NativeEd25519 } from './ed25519/backend';
import { nodeKeysFromSeed, type NodeSeedKeys } from './ed25519/node-crypto';
import { assertCurvePoint, noblePublicKey, nobleSign, nobleVerify } from './ed25519/noble';
import { concatBytes, equalBytes } from '../shared/bytes';

export { useEd25519Backend, usePureJsEd25519, type Ed25519Backend } from './ed25519/backend';

/** Multicodec prefixes (varint) of Ed25519 keys: ed25519-pub 0xed, ed25519-priv 0x1300. */
const ED25519_PUB_PREFIX = new Uint8Array([0xed, 0x01]);
const ED25519_PRIV_PREFIX = new Uint8Array([0x80, 0x26]);

/** An Ed25519 key as a Multikey: its controller (the issuer's DID), verification method id, and sign/verify. */
export interface Ed25519Key {
  readonly algorithm: 'Ed25519';
  /** Verification method id: `controller#publicKeyMultibase`. */
  readonly id: string;
  readonly controller: string;
  /** `z6Mk…`: base58btc of 0xed01 ‖ 32-byte public key. */
  readonly publicKeyMultibase: string;
  readonly publicKey: Uint8Array;
  readonly hasSecret: boolean;
  sign(data: Uint8Array): Promise<Uint8Array>;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** `z3u2…`: base58btc of 0x8026 ‖ 32-byte seed (the W3C Multikey form). Throws for a public-only key. */
  exportSecretKeyMultibase(): string;
  toPublicJwk(): { kty: 'OKP'; crv: 'Ed25519'; x: string; kid?: string };
  toSecretJwk(): { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string; kid?: string };
  /** The Multikey verification method object, as a DID or controller document lists it. */
  toVerificationMethod(): { id: string; type: 'Multikey'; controller: string; publicKeyMultibase: string };
}

/** Options of `generateKey` and `importKey`: the controller DID (default: the key's own did:key) and the verification method id. */
export interface KeyOptions {
  /** Who controls the key (the issuer id). Default: the key's own `did:key`. */
  controller?: string;
  /** Verification method id. Default: `controller#publicKeyMultibase`. */
  id?: string;
}

/** A new random Ed25519 key. */
export function generateKey(options: KeyOptions = {}): Ed25519Key {
  const seed = new Uint8Array(32);
  globalThis.crypto.getRandomValues(seed);
  return fromSeed(seed, options);
}

/** Key material `importKey` accepts: a Multikey secret or public key, or an Ed25519 JWK. */
export type KeyImport =
  | { secretKeyMultibase: string }
  | { publicKeyMultibase: string }
  | { jwk: Record<string, unknown> };

/** Imports a Multikey (secret or public multibase) or an OKP/Ed25519 JWK. Any other encoding is INVALID_KEY. */
export function importKey(input: KeyImport, options: KeyOptions = {}): Ed25519Key {
  if (typeof input !== 'object' || input === null)
    throw new MicrocredError(
      'INVALID_KEY',
      'importKey expects { secretKeyMultibase } | { publicKeyMultibase } | { jwk }',
    );
  if ('secretKeyMultibase' in input) {
    const bytes = decodeMultibaseKey(input.secretKeyMultibase, ED25519_PRIV_PREFIX, 'secretKeyMultibase');
    if (bytes.length === 32) return fromSeed(bytes, options);
    if (bytes.length === 64) {
      // Legacy layout seed ‖ public key (used by 1EdTech's OB 3.0 test vector): check the halves agree.
      const seed = bytes.slice(0, 32);
      const key = fromSeed(seed, options);
      if (!equalBytes(key.publicKey, bytes.slice(32)))
        throw new MicrocredError('INVALID_KEY', "The 64-byte secret key's public half does not match its seed");
      return key;
    }
    throw new MicrocredError(
      'INVALID_KEY',
      `An Ed25519 secret key has 32 bytes (or the legacy 64), got ${bytes.length}`,
    );
  }
  if ('publicKeyMultibase' in input) {
    const spelling = input.publicKeyMultibase;
    const known = typeof spelling === 'string' ? knownPublicKey(spelling) : undefined;
    if (known) return makeKey(known.publicKey, undefined, options, known);
    const bytes = decodeMultibaseKey(spelling, ED25519_PUB_PREFIX, 'publicKeyMultibase');
    if (bytes.length !== 32)
      throw new MicrocredError('INVALID_KEY', `An Ed25519 public key has 32 bytes, got ${bytes.length}`);
    return fromPublic(bytes, options, encodePublicKeyMultibase(bytes) === spelling ? spelling : undefined);
  }
  if ('jwk' in input) {
    const jwk = input.jwk;
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
      throw new MicrocredError('INVALID_KEY', 'Only OKP/Ed25519 JWKs are Ed25519 keys');
    const pub = fromBase64url(jwk.x, 'jwk.x');
    if (typeof jwk.d === 'string') {
      const key = fromSeed(fromBase64url(jwk.d, 'jwk.d'), options);
      if (!equalBytes(key.publicKey, pub)) throw new MicrocredError('INVALID_KEY', "The JWK's x does not match its d");
      return key;
    }
    const cacheKey = `jwk:${jwk.x}`;
    const known = knownPublicKey(cacheKey);
    if (known) return makeKey(known.publicKey, undefined, options, known);
    return fromPublic(pub, options, toBase64url(pub) === jwk.x ? cacheKey : undefined);
  }
  throw new MicrocredError(
    'INVALID_KEY',
    'importKey expects { secretKeyMultibase } | { publicKeyMultibase } | { jwk }',
  );
}

/**
 * Longest 'z…' text worth decoding as a key: the legacy 64-byte secret form (2-byte header, seed and public key) is
 * at most 91 base58 digits; a little slack costs nothing.
 */
const MAX_KEY_MULTIBASE_LENGTH = 128;

/** base58btc multibase of multicodec ‖ key; throws INVALID_KEY for anything else. */
export function decodeMultibaseKey(value: unknown, prefix: Uint8Array, what: string): Uint8Array {
  if (typeof value !== 'string' || !value.startsWith('z'))
    throw new MicrocredError('INVALID_KEY', `${what} must be base58btc multibase ('z…')`);
  // Base58 decoding is quadratic, and these values come from documents (a did:key verification method): a
  // megabyte-long one would hold a verifier for minutes.
  if (value.length > MAX_KEY_MULTIBASE_LENGTH)
    throw new MicrocredError('INVALID_KEY', `${what} is too long for an Ed25519 key`);
  // The library's base58 (the proofValue codec): the same bytes as multiformats' base58btc, which a verify-only
  // bundle then need not carry (test/base58.test.ts); it refuses, rather than misreads, characters above U+00FF.
  const bytes = base58Decode(value.slice(1));
  if (bytes === undefined) throw new MicrocredError('INVALID_KEY', `${what} is not valid base58btc`);
  if (bytes.length < 2 || bytes[0] !== prefix[0] || bytes[1] !== prefix[1]) {
    throw new MicrocredError('INVALID_KEY', `${what} does not carry the Ed25519 multicodec header`);
  }
  return bytes.slice(2);
}

/** Encodes a 32-byte Ed25519 public key as a Multikey `publicKeyMultibase` (`z6Mk…`). */
export function encodePublicKeyMultibase(publicKey: Uint8Array): string {
  return `z${base58Encode(concat(ED25519_PUB_PREFIX, publicKey))}`;
}

/** The public key bytes of a `z6Mk…` multibase, or undefined when it is not one. */
export function tryDecodePublicKeyMultibase(value: string): Uint8Array | undefined {
  try {
    const bytes = decodeMultibaseKey(value, ED25519_PUB_PREFIX, 'publicKeyMultibase');
    return bytes.length === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function fromSeed(seed: Uint8Array, options: KeyOptions): Ed25519Key {
  if (seed.length !== 32) throw new MicrocredError('INVALID_KEY', 'An Ed25519 seed has 32 bytes');
  // node:crypto derives the public key in microseconds where noble's first call builds its tables (~30 ms).
  const viaNode =
    currentEd25519Backend() === 'noble' || currentEd25519Backend() === 'webcrypto' ? undefined : nodeKeysFromSeed(seed);
  const publicKey = viaNode?.publicKey ?? noblePublicKey(seed);
  return makeKey(publicKey, seed, options, undefined, viaNode);
}

/**
 * Public keys imported from a multibase string or a public JWK, keyed by that text, with their platform verifier: a
 * verifier meets the same few issuer keys again and again, and decoding, the curve-point check and building
 * node:crypto's KeyObject cost about half as much as the Ed25519 verification itself. Only public keys are kept
 * (never a secret), and only under their canonical spelling, so a lookup never answers for another spelling of the
 * key; an entry records the backend it was made with, so `useEd25519Backend` still takes effect. Bounded; the
 * oldest entry goes first.
 */
interface KnownPublicKey {
  readonly publicKey: Uint8Array;
  readonly publicKeyMultibase: string;
  readonly native: NativeEd25519 | undefined;
  readonly backend: Ed25519Backend;
}
const knownPublicKeys = new Map<string, KnownPublicKey>();
const MAX_KNOWN_PUBLIC_KEYS = 1024;

function knownPublicKey(cacheKey: string): KnownPublicKey | undefined {
  const known = knownPublicKeys.get(cacheKey);
  return known?.backend === currentEd25519Backend() ? known : undefined;
}

/** A public key met for the first time (under this backend): checked to be a curve point, then remembered. */
function fromPublic(publicKey: Uint8Array, options: KeyOptions, cacheKey: string | undefined): Ed25519Key {
  try {
    assertCurvePoint(publicKey);
  } catch (e) {
    throw new MicrocredError('INVALID_KEY', 'Not a valid Ed25519 public key (not a curve point)', { cause: e });
  }
  const known: KnownPublicKey = {
    publicKey: publicKey.slice(),
    publicKeyMultibase: encodePublicKeyMultibase(publicKey),
    native: nativeEd25519(publicKey, undefined),
    backend: currentEd25519Backend(),
  };
  if (cacheKey !== undefined) {
    if (knownPublicKeys.size >= MAX_KNOWN_PUBLIC_KEYS) knownPublicKeys.delete(knownPublicKeys.keys().next().value!);
    knownPublicKeys.set(cacheKey, known);
  }
  return makeKey(publicKey, undefined, options, known);
}

function makeKey(
  publicKey: Uint8Array,
  seed: Uint8Array | undefined,
  options: KeyOptions,
  known?: KnownPublicKey,
  nodeKeys?: NodeSeedKeys,
): Ed25519Key {
  const publicKeyMultibase = known?.publicKeyMultibase ?? encodePublicKeyMultibase(publicKey);
  const controller = options.controller ?? `did:key:${publicKeyMultibase}`;
  const id = options.id ?? `${controller}#${publicKeyMultibase}`;
  const native = known ? known.native : nativeEd25519(publicKey, seed, nodeKeys);
  const secretCopy = seed ? seed.slice() : undefined;
  const key: Ed25519Key = {
    algorithm: 'Ed25519',
    id,
    controller,
    publicKeyMultibase,
    publicKey: publicKey.slice(),
    hasSecret: secretCopy !== undefined,
    async sign(data) {
      if (!secretCopy) throw new MicrocredError('INVALID_KEY', 'This key has no secret part: it can verify, not sign');
      return native ? native.sign(data) : nobleSign(data, secretCopy);
    },
    async verify(data, signature) {
      if (signature.length !== 64) return false;
      try {
        return native ? await native.verify(data, signature) : nobleVerify(signature, data, publicKey);
      } catch {
        return false;
      }
    },
    exportSecretKeyMultibase() {
      if (!secretCopy) throw new MicrocredError('INVALID_KEY', 'This key has no secret part');
      return `z${base58Encode(concat(ED25519_PRIV_PREFIX, secretCopy))}`;
    },
    toPublicJwk() {
      return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey), kid: id };
    },
    toSecretJwk() {
      if (!secretCopy) throw new MicrocredError('INVALID_KEY', 'This key has no secret part');
      return { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey), d: toBase64url(secretCopy), kid: id };
    },
    toVerificationMethod() {
      return { id, type: 'Multikey', controller, publicKeyMultibase };
    },
  };
  return Object.freeze(key);
}

export { toBase64url };

/** The bytes of a key's base64url member (a JWK's `x`, `d`); INVALID_KEY when it is not base64url. */
export function fromBase64url(text: string, what = 'value'): Uint8Array {
  const bytes = decodeBase64url(text);
  if (!bytes) throw new MicrocredError('INVALID_KEY', `${what} is not base64url`);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return concatBytes([a, b]);
}
