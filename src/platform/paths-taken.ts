/**
 * How many times each implementation of a primitive ran in this process or page: how a browser test or benchmark
 * shows that the native path (node:crypto or WebCrypto) was taken rather than the pure-JS fallback (noble).
 * Counting costs an increment per call.
 */
export type PrimitivePath = 'node' | 'webcrypto' | 'noble';

const ed25519: Record<PrimitivePath, number> = { node: 0, webcrypto: 0, noble: 0 };
const sha256: Record<PrimitivePath, number> = { node: 0, webcrypto: 0, noble: 0 };

export function countEd25519(path: PrimitivePath): void {
  ed25519[path]++;
}

/** Counts SHA-256 of whole documents (the proof's hashData), not RDFC-1.0's inner hashes, which stay synchronous. */
export function countSha256(path: PrimitivePath): void {
  sha256[path]++;
}

export function ed25519PathsTaken(): Record<PrimitivePath, number> {
  return { ...ed25519 };
}

export function sha256PathsTaken(): Record<PrimitivePath, number> {
  return { ...sha256 };
}
