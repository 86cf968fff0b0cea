import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { nodeCrypto, sha256 } from '../src/platform/node-crypto';

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

  it('FIPS 180-2 "abc"', () => {
    const hex = Array.from(sha256(new TextEncoder().encode('abc')), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
