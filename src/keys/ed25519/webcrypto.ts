import { countEd25519 } from '../../platform/paths-taken';
import { webCryptoEd25519Works } from '../../platform/webcrypto';
import { toBase64url } from '../../shared/base64url';
import type { NativeEd25519 } from './backend';
import { nobleSign, nobleVerify } from './noble';

/**
 * WebCrypto's Ed25519 for one key (keys imported on first use); noble where the platform has no working WebCrypto
 * Ed25519 (detected once) or refuses the key.
 */
export function webCryptoEd25519(publicKey: Uint8Array, seed: Uint8Array | undefined): NativeEd25519 | undefined {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  let signKey: Promise<CryptoKey | undefined> | undefined;
  let verifyKey: Promise<CryptoKey | undefined> | undefined;
  const pubJwk = { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey) };
  const imported = (make: () => Promise<CryptoKey>) =>
    webCryptoEd25519Works().then((works) => (works ? make().catch(() => undefined) : undefined));
  const getSignKey = () =>
    (signKey ??= imported(() =>
      subtle.importKey('jwk', { ...pubJwk, d: toBase64url(seed!) }, { name: 'Ed25519' }, false, ['sign']),
    ));
  const getVerifyKey = () =>
    (verifyKey ??= imported(() => subtle.importKey('jwk', pubJwk, { name: 'Ed25519' }, false, ['verify'])));
  return {
    async sign(data) {
      const k = await getSignKey();
      if (!k) return nobleSign(data, seed!);
      countEd25519('webcrypto');
      return new Uint8Array(await subtle.sign('Ed25519', k, data as BufferSource));
    },
    async verify(data, signature) {
      const k = await getVerifyKey();
      if (!k) return nobleVerify(signature, data, publicKey);
      countEd25519('webcrypto');
      return subtle.verify('Ed25519', k, signature as BufferSource, data as BufferSource);
    },
  };
}
