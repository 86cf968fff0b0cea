import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { nodeCrypto, sha256, sha256Hex, sha256OfText } from '../src/platform/node-crypto';

describe('native SHA-256', () => {
  it('is node:crypto in Node, and gives the bytes of the pure-JS hash (generated inputs)', () => {
    const crypto = nodeCrypto();
    expect(crypto).toBeDefined();
    const spy = vi.spyOn(crypto!, 'createHash');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => {
        expect(sha256(data)).toEqual(nobleSha256(data));
      }),
      { numRuns: 300 },
    );
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('hashes a string natively (one-shot) to the bytes of the pure-JS hash of its TextEncoder bytes, lone surrogates included', () => {
    const crypto = nodeCrypto()!;
    expect(crypto.hash, 'Node >= 20.12 has crypto.hash').toBeTypeOf('function');
    const spy = vi.spyOn(crypto, 'hash');
    // Full Unicode, and arbitrary UTF-16 code units: unpaired surrogates must become U+FFFD exactly as TextEncoder does.
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(sha256OfText(value)).toEqual(nobleSha256(new TextEncoder().encode(value)));
      }),
      { numRuns: 500 },
    );
    expect(sha256OfText('a\uD800b')).toEqual(nobleSha256(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0x62])));
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    // A plain Uint8Array of the 32 bytes (a view of the digest, not the Buffer subclass), with createHash too.
    const digest = sha256OfText('abc');
    expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
    expect(digest.byteLength).toBe(32);
    const oneShot = crypto.hash;
    try {
      crypto.hash = undefined;
      expect(sha256OfText('a\uD800b')).toEqual(nobleSha256(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0x62])));
      expect(Object.getPrototypeOf(sha256OfText('abc'))).toBe(Uint8Array.prototype);
    } finally {
      crypto.hash = oneShot;
    }
  });

  it("hashes a string to hex with node:crypto's one-shot hash, to the pure-JS hash's hex of its TextEncoder bytes", () => {
    const crypto = nodeCrypto()!;
    expect(crypto.hash, 'Node >= 20.12 has crypto.hash').toBeTypeOf('function');
    const spy = vi.spyOn(crypto, 'hash');
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(sha256Hex(value)).toBe(bytesToHex(nobleSha256(new TextEncoder().encode(value))));
      }),
      { numRuns: 500 },
    );
    expect(sha256Hex('a\uD800b')).toBe(bytesToHex(nobleSha256(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0x62]))));
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('FIPS 180-2 "abc"', () => {
    const hex = Array.from(sha256(new TextEncoder().encode('abc')), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
