import { nodeCrypto } from '../../platform/node-crypto';
import { countEd25519 } from '../../platform/paths-taken';
import { decodeBase64url, toBase64url } from '../../shared/base64url';
import type { NativeEd25519 } from './backend';
import { nobleSign, nobleVerify } from './noble';

/** PKCS #8 DER of an Ed25519 private key up to its 32-byte seed (RFC 8410 §7): a fixed 16-byte prefix. */
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** A seed's node:crypto key objects, with the public key's bytes: what `nodeCryptoEd25519` signs and verifies with. */
export interface NodeSeedKeys {
  readonly publicKey: Uint8Array;
  readonly signKey: unknown;
  readonly verifyKey: unknown;
}

/**
 * The public key of a seed through node:crypto. noble's first getPublicKey builds its base-point tables (~30 ms),
 * which every process and worker that imports a signing key would otherwise pay at start-up; node:crypto derives it
 * in microseconds. Same bytes (tested against noble); undefined where node:crypto is absent. The two key objects
 * made on the way are the key's signer and verifier too: importing them again from a JWK would cost a fresh process
 * ~0.3 ms more of its start-up.
 */
export function nodeKeysFromSeed(seed: Uint8Array): NodeSeedKeys | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  try {
    const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length);
    der.set(PKCS8_ED25519_PREFIX, 0);
    der.set(seed, PKCS8_ED25519_PREFIX.length);
    const signKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) as object;
    const verifyKey = crypto.createPublicKey(signKey);
    const { x } = verifyKey.export({ format: 'jwk' });
    const publicKey = typeof x === 'string' ? decodeBase64url(x) : undefined;
    return publicKey?.length === 32 ? { publicKey, signKey, verifyKey } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * node:crypto's synchronous Ed25519 for one key; undefined where node:crypto is absent or refuses the key. `made`:
 * the key objects `nodeKeysFromSeed` made from this seed, used as they are.
 */
export function nodeCryptoEd25519(
  publicKey: Uint8Array,
  seed: Uint8Array | undefined,
  made?: NodeSeedKeys,
): NativeEd25519 | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  let signKey: unknown;
  let verifyKey: unknown;
  if (made) ({ signKey, verifyKey } = made);
  else {
    const pubJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey) };
    try {
      verifyKey = crypto.createPublicKey({ key: pubJwk, format: 'jwk' });
      if (seed) signKey = crypto.createPrivateKey({ key: { ...pubJwk, d: toBase64url(seed) }, format: 'jwk' });
    } catch {
      return undefined;
    }
  }
  // A runtime that offers node:crypto but refuses Ed25519 at call time (a partial Node compatibility layer) must not
  // turn into a failed signature or a false "invalid": noble gives the same answer.
  return {
    async sign(data) {
      try {
        const signature = new Uint8Array(crypto.sign(null, data, signKey));
        countEd25519('node');
        return signature;
      } catch {
        return nobleSign(data, seed!);
      }
    },
    async verify(data, signature) {
      try {
        const valid = crypto.verify(null, data, verifyKey, signature);
        countEd25519('node');
        return valid;
      } catch {
        return nobleVerify(signature, data, publicKey);
      }
    },
  };
}
