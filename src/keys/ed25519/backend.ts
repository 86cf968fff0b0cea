import { nodeCryptoEd25519, type NodeSeedKeys } from './node-crypto';
import { webCryptoEd25519 } from './webcrypto';

/** A platform's Ed25519 for one key: sign (when it has its seed) and verify. */
export type NativeEd25519 = {
  sign(d: Uint8Array): Promise<Uint8Array>;
  verify(d: Uint8Array, s: Uint8Array): Promise<boolean>;
};

/** Which Ed25519 implementation keys made from now on use: 'auto' picks node:crypto, then WebCrypto, then noble. */
export type Ed25519Backend = 'auto' | 'node' | 'webcrypto' | 'noble';
let backend: Ed25519Backend = 'auto';

/** The backend keys made now get. */
export function currentEd25519Backend(): Ed25519Backend {
  return backend;
}

/**
 * Chooses the Ed25519 implementation of keys created or imported afterwards (existing keys keep theirs). For tests
 * that compare the implementations, and for callers who want the pure-JS path everywhere.
 */
export function useEd25519Backend(value: Ed25519Backend): void {
  backend = value;
}

/** Forces the pure-JS (noble) path, or goes back to 'auto'. */
export function usePureJsEd25519(value: boolean): void {
  backend = value ? 'noble' : 'auto';
}

/**
 * The platform's native Ed25519 is several times faster than the pure-JS path; Ed25519 is deterministic, so all
 * paths produce the same signature bytes (tested). In Node, node:crypto's synchronous sign/verify (reached through
 * `process.getBuiltinModule`, so the isomorphic core imports nothing Node-only) costs ~0.05 ms where WebCrypto's
 * promise round trip through the thread pool costs several times that; elsewhere WebCrypto; noble whenever neither
 * is there or the platform refuses the key (undefined: the caller uses noble). `nodeKeys`: node:crypto's key objects
 * already made from this seed (`nodeKeysFromSeed`), for the node:crypto path.
 */
export function nativeEd25519(
  publicKey: Uint8Array,
  seed: Uint8Array | undefined,
  nodeKeys?: NodeSeedKeys,
): NativeEd25519 | undefined {
  if (backend === 'noble') return undefined;
  if (backend === 'webcrypto') return webCryptoEd25519(publicKey, seed);
  return (
    nodeCryptoEd25519(publicKey, seed, nodeKeys) ?? (backend === 'node' ? undefined : webCryptoEd25519(publicKey, seed))
  );
}
