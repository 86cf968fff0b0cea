import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { countEd25519 } from '../../platform/paths-taken';

/**
 * The pure-JS Ed25519 (noble): the fallback wherever the platform has no native Ed25519 or refuses a key, and the
 * curve-point check of every imported public key. Same signature bytes as the native paths (Ed25519 is deterministic).
 */

// @noble/ed25519 v3 needs a synchronous SHA-512 for its sync API.
ed.hashes.sha512 = sha512;

export function noblePublicKey(seed: Uint8Array): Uint8Array {
  return ed.getPublicKey(seed);
}

export function nobleSign(data: Uint8Array, seed: Uint8Array): Uint8Array {
  countEd25519('noble');
  return ed.sign(data, seed);
}

/** RFC 8032 verification (not ZIP-215's more lenient rules), as the native paths verify. */
export function nobleVerify(signature: Uint8Array, data: Uint8Array, publicKey: Uint8Array): boolean {
  countEd25519('noble');
  return ed.verify(signature, data, publicKey, { zip215: false });
}

/** Throws (noble's error) when the 32 bytes are not a point on the curve. */
export function assertCurvePoint(publicKey: Uint8Array): void {
  ed.Point.fromBytes(publicKey);
}
