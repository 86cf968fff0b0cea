import { equalBytes } from '../shared/bytes';

/**
 * WebCrypto's Ed25519 and SHA-256, each feature-detected once per page or process. A browser without WebCrypto
 * Ed25519 may throw on import, or (a partial implementation) answer wrongly: the detection verifies RFC 8032's test 1
 * signature, refuses the same signature with one bit flipped, and hashes a known input, so a platform that fails any
 * of it gets noble for everything, never a mixture that could turn a valid credential "invalid".
 */

const subtle = (): SubtleCrypto | undefined => globalThis.crypto?.subtle;

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));

/** RFC 8032 §7.1, TEST 1: empty message. */
const TEST1_PUBLIC = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const TEST1_SIGNATURE = fromHex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

let ed25519Works: Promise<boolean> | undefined;

export function webCryptoEd25519Works(): Promise<boolean> {
  ed25519Works ??= (async () => {
    const s = subtle();
    if (!s) return false;
    try {
      const key = await s.importKey('raw', TEST1_PUBLIC as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      const tampered = TEST1_SIGNATURE.slice();
      tampered[0]! ^= 1;
      const empty = new Uint8Array(0);
      const [good, bad] = await Promise.all([
        s.verify('Ed25519', key, TEST1_SIGNATURE as BufferSource, empty),
        s.verify('Ed25519', key, tampered as BufferSource, empty),
      ]);
      return good === true && bad === false;
    } catch {
      return false;
    }
  })();
  return ed25519Works;
}

/** SHA-256("abc"), FIPS 180-2 appendix B.1. */
const ABC_SHA256 = fromHex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');

let sha256Works: Promise<boolean> | undefined;

export function webCryptoSha256Works(): Promise<boolean> {
  sha256Works ??= (async () => {
    const s = subtle();
    if (!s) return false;
    try {
      return equalBytes(new Uint8Array(await s.digest('SHA-256', new TextEncoder().encode('abc'))), ABC_SHA256);
    } catch {
      return false;
    }
  })();
  return sha256Works;
}
