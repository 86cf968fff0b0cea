import { nodeCrypto } from '../../platform/node-crypto';
import { countEd25519 } from '../../platform/paths-taken';
import { decodeBase64url, toBase64url } from '../../shared/base64url';
import type { NativeEd25519 } from './backend';
import { nobleSign, nobleVerify } from './noble';

/** PKCS #8 DER of an Ed25519 private key up to its 32-byte seed (RFC 8410 §7): a fixed 16-byte prefix. */
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * The public key of a seed through node:crypto. noble's first getPublicKey builds its base-point tables (~30 ms),
 * which every process and worker that imports a signing key would otherwise pay at start-up; node:crypto derives it
 * in microseconds. Same bytes (tested against noble); undefined where node:crypto is absent.
 */
export function nodePublicKeyFromSeed(seed: Uint8Array): Uint8Array | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  try {
    const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length);
    der.set(PKCS8_ED25519_PREFIX, 0);
    der.set(seed, PKCS8_ED25519_PREFIX.length);
    const secret = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) as object;
    const { x } = crypto.createPublicKey(secret).export({ format: 'jwk' });
    const publicKey = typeof x === 'string' ? decodeBase64url(x) : undefined;
    return publicKey?.length === 32 ? publicKey : undefined;
  } catch {
    return undefined;
  }
}

/** node:crypto's synchronous Ed25519 for one key; undefined where node:crypto is absent or refuses the key. */
export function nodeCryptoEd25519(publicKey: Uint8Array, seed: Uint8Array | undefined): NativeEd25519 | undefined {
  const crypto = nodeCrypto();
  if (!crypto) return undefined;
  const pubJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey) };
  let signKey: unknown;
  let verifyKey: unknown;
  try {
    verifyKey = crypto.createPublicKey({ key: pubJwk, format: 'jwk' });
    if (seed) signKey = crypto.createPrivateKey({ key: { ...pubJwk, d: toBase64url(seed) }, format: 'jwk' });
  } catch {
    return undefined;
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
