import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { base64url } from 'multiformats/bases/base64';
import { describe, expect, it } from 'vitest';
import { digestMatches, digestMultibaseOf } from '../src/stack/digest';
import { decodeBase58btcBody, decodeBase64urlBody, encodeBase64urlMultibase } from '../src/stack/multibase';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Characters multiformats treats specially or refuses: padding, the other base64 alphabet, spaces, Latin-1, UTF-16. */
const ODD = ['=', '+', '/', ' ', '0', 'O', 'I', 'l', '\u00e9', '\u00ff', '\u0100', '\u0131', '\u{1F600}', '\u0000'];

/** What multiformats gives: its bytes, or undefined where it throws. */
function multiformats(decode: () => Uint8Array): Uint8Array | undefined {
  try {
    return new Uint8Array(decode());
  } catch {
    return undefined;
  }
}

/** digestMatches as written with multiformats' codecs, the reference the multibase module must equal. */
function digestMatchesWithMultiformats(digestMultibase: unknown, bytes: Uint8Array): boolean {
  if (typeof digestMultibase !== 'string' || digestMultibase.length < 2) return false;
  const decoded =
    digestMultibase[0] === 'u'
      ? multiformats(() => base64url.decode(digestMultibase))
      : digestMultibase[0] === 'z'
        ? multiformats(() => base58btc.decode(digestMultibase))
        : undefined;
  if (decoded === undefined || decoded.length !== 34 || decoded[0] !== 0x12 || decoded[1] !== 0x20) return false;
  return decoded.subarray(2).every((b, i) => b === sha256(bytes)[i]);
}

const text = (alphabet: string, maxLength: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...alphabet), maxLength }),
    fc.string({ unit: fc.constantFrom(...alphabet, ...ODD), maxLength }),
    // A valid encoding with an odd character spliced in, appended or prepended.
    fc
      .tuple(fc.string({ unit: fc.constantFrom(...alphabet), maxLength }), fc.constantFrom(...ODD), fc.nat(maxLength))
      .map(([t, c, at]) => t.slice(0, at) + c + t.slice(at)),
  );

describe('multibase codecs of digestMultibase (exactly multiformats)', () => {
  it('base64url: the same bytes for every text multiformats accepts, refused where it throws', () => {
    fc.assert(
      fc.property(text(B64, 60), (body) => {
        expect(decodeBase64urlBody(body)).toEqual(multiformats(() => base64url.decode(`u${body}`)));
      }),
      { numRuns: 5000 },
    );
    // Padding is dropped, stray bits in the last character are refused, a length no encoding has is refused.
    for (const body of ['', 'AA', 'AA==', 'AQ', 'AB', 'A', 'AAA', 'AAB', '=', 'A=A', '+w', '_w'])
      expect(decodeBase64urlBody(body)).toEqual(multiformats(() => base64url.decode(`u${body}`)));
  });

  it('base58btc: the same bytes for every text multiformats accepts (above U+00FF too), refused where it throws', () => {
    fc.assert(
      fc.property(text(B58, 60), (body) => {
        expect(decodeBase58btcBody(body)).toEqual(multiformats(() => base58btc.decode(`z${body}`)));
      }),
      { numRuns: 5000 },
    );
    for (const body of ['', '1', '111', ' 1', '1 ', 'a\u{1F600}', '2\u0100', '\u0100', '11\u0131z', '0', 'l'])
      expect(decodeBase58btcBody(body)).toEqual(multiformats(() => base58btc.decode(`z${body}`)));
  });

  it('encodes as multiformats base64url does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(encodeBase64urlMultibase(bytes)).toBe(base64url.encode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('digestMultibaseOf and digestMatches answer as they did with multiformats, on true and tampered digests', () => {
    const digestText = fc.uint8Array({ maxLength: 40 }).chain((bytes) => {
      const multihash = new Uint8Array([0x12, 0x20, ...sha256(bytes)]);
      const good = [base64url.encode(multihash), base58btc.encode(multihash)];
      return fc.tuple(
        fc.constant(bytes),
        fc.oneof(
          fc.constantFrom(...good),
          fc.tuple(fc.constantFrom(...good), fc.constantFrom(...ODD, 'A', '1'), fc.nat(50)).map(([g, c, at]) => {
            const i = 1 + (at % (g.length - 1));
            return g.slice(0, i) + c + g.slice(i);
          }),
          fc.tuple(fc.constantFrom(...good), fc.nat(50)).map(([g, at]) => g.slice(0, 1 + (at % (g.length - 1)))),
          fc.constantFrom(...good).map((g) => `${g}==`),
          fc.constantFrom(...good).map((g) => `${g} `),
        ),
      );
    });
    let matched = 0;
    fc.assert(
      fc.property(digestText, ([bytes, digest]) => {
        const expected = digestMatchesWithMultiformats(digest, bytes);
        if (expected) matched++;
        expect(digestMatches(digest, bytes)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(300);
    const data = new TextEncoder().encode('a credential');
    expect(digestMultibaseOf(data)).toBe(base64url.encode(new Uint8Array([0x12, 0x20, ...sha256(data)])));
    expect(digestMatches(`${digestMultibaseOf(data)}==`, data)).toBe(true);
  });
});
