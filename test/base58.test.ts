import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { base58Decode, base58Encode } from '../src/platform/base58';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Bytes with a fair share of leading zeros (each one is a leading '1') and of 64-byte signatures. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 100 }),
  fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.uint8Array({ maxLength: 70 }))
    .map(([zeros, rest]) => new Uint8Array([...new Uint8Array(zeros), ...rest])),
  fc.uint8Array({ minLength: 64, maxLength: 64 }),
);

describe('base58 (the proofValue codec)', () => {
  it('encodes exactly as multiformats base58btc does, and decodes back', () => {
    fc.assert(
      fc.property(bytes, (data) => {
        const text = base58Encode(data);
        expect(`z${text}`).toBe(base58btc.encode(data));
        expect(base58Decode(text)).toEqual(data);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes as multiformats does, refuses what it refuses, and also refuses characters above U+00FF', () => {
    const alphabetText = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 120 });
    const anyText = fc.string({
      unit: fc.constantFrom(...ALPHABET, '0', 'O', 'I', 'l', '+', '/', ' ', 'é', '\u{1F600}'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(alphabetText, anyText), (text) => {
        let expected: Uint8Array | undefined;
        try {
          expected = base58btc.baseDecode(text);
        } catch {
          expected = undefined;
        }
        const actual = base58Decode(text);
        // base-x looks characters up in a 256-entry table, so one above U+00FF slips through as garbage
        // ("a😀" decodes to no bytes at all); anything outside the alphabet is refused here.
        const onlyAlphabet = [...text].every((c) => ALPHABET.includes(c));
        if (expected === undefined || !onlyAlphabet) expect(actual).toBeUndefined();
        else expect(actual).toEqual(new Uint8Array(expected));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a character above U+00FF that base-x lets through', () => {
    expect(base58Decode('a\u{1F600}')).toBeUndefined();
    expect(base58Decode('2\u0100')).toBeUndefined();
  });

  it('edge cases: empty, all zeros, a single byte at each end of the range', () => {
    for (const data of [
      new Uint8Array(0),
      new Uint8Array(1),
      new Uint8Array(64),
      new Uint8Array([255]),
      new Uint8Array(64).fill(255),
      new Uint8Array([0, 0, 1]),
    ]) {
      expect(`z${base58Encode(data)}`).toBe(base58btc.encode(data));
      expect(base58Decode(base58Encode(data))).toEqual(data);
    }
  });
});

describe('base58 for Multikey keys', () => {
  it('publicKeyMultibase and secretKeyMultibase are written and read exactly as multiformats base58btc does', async () => {
    const { decodeMultibaseKey, encodePublicKeyMultibase, importKey } = await import('../src/keys/multikey');
    const ED25519_PUB = new Uint8Array([0xed, 0x01]);
    const ED25519_PRIV = new Uint8Array([0x80, 0x26]);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const key = importKey({ secretKeyMultibase: base58btc.encode(new Uint8Array([...ED25519_PRIV, ...seed])) });
        expect(key.exportSecretKeyMultibase()).toBe(base58btc.encode(new Uint8Array([...ED25519_PRIV, ...seed])));
        const expected = base58btc.encode(new Uint8Array([...ED25519_PUB, ...key.publicKey]));
        expect(encodePublicKeyMultibase(key.publicKey)).toBe(expected);
        expect(key.publicKeyMultibase).toBe(expected);
        expect(decodeMultibaseKey(expected, ED25519_PUB, 'k')).toEqual(key.publicKey);
      }),
      { numRuns: 300 },
    );
    expect(() => decodeMultibaseKey('z6Mk0OIl', ED25519_PUB, 'k')).toThrow(/not valid base58btc/);
  });
});
