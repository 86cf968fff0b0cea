import { toBase64url } from '../../shared/base64url';
import type { NativeEd25519 } from './backend';
import { nobleSign, nobleVerify } from './noble';

/** WebCrypto's Ed25519 for one key (keys imported on first use); noble where the platform refuses the key. */
export function webCryptoEd25519(publicKey: Uint8Array, seed: Uint8Array | undefined): NativeEd25519 | undefined {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  let signKey: Promise<CryptoKey | undefined> | undefined;
  let verifyKey: Promise<CryptoKey | undefined> | undefined;
  const pubJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey) };
  const getSignKey = () =>
    (signKey ??= subtle
      .importKey('jwk', { ...pubJwk, d: toBase64url(seed!) }, { name: 'Ed25519' }, false, ['sign'])
      .catch(() => undefined));
  const getVerifyKey = () =>
    (verifyKey ??= subtle.importKey('jwk', pubJwk, { name: 'Ed25519' }, false, ['verify']).catch(() => undefined));
  return {
    async sign(data) {
      const k = await getSignKey();
      if (!k) return nobleSign(data, seed!);
      return new Uint8Array(await subtle.sign('Ed25519', k, data as BufferSource));
    },
    async verify(data, signature) {
      const k = await getVerifyKey();
      if (!k) return nobleVerify(signature, data, publicKey);
      return subtle.verify('Ed25519', k, signature as BufferSource, data as BufferSource);
    },
  };
}
