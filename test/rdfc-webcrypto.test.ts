import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { defineIssuer } from '../src';
import { fastCanonize } from '../src/jsonld/fast/index';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';

/**
 * A browser's canonicalization: without node:crypto, RDFC-1.0's first-degree hashes go to WebCrypto's digest in one
 * batch (src/platform/sha256-batch.ts; Node has WebCrypto too, so the very same path runs here with node:crypto
 * hidden). Byte for byte the canonical form the synchronous path gives. test/browser-native.test.ts verifies in
 * Chromium itself.
 */
describe('fastCanonize without node:crypto: first-degree hashes through WebCrypto in one batch', () => {
  afterAll(() => {
    vi.doUnmock('../src/platform/node-crypto');
    vi.resetModules();
  });

  it("gives the same bytes as with node:crypto on 150 generated micro-credentials, and uses WebCrypto for a page's first canonicalizations only", async () => {
    vi.resetModules();
    vi.doMock('../src/platform/node-crypto', async (original) => ({
      ...(await original<typeof import('../src/platform/node-crypto')>()),
      nodeCrypto: () => undefined,
    }));
    const browserLike = await import('../src/jsonld/fast/index');
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    const issuer = defineIssuer({ id: 'https://uni.example/', name: 'Generated University', country: 'FI' });
    let built = 0;
    const digestsAfter: number[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(microCredentialInputs(fc.string({ minLength: 1, unit: 'grapheme' })), async (g) => {
          const made = buildMicroCredential(g, issuer);
          if (made === undefined) return;
          built++;
          expect(await browserLike.fastCanonize(made.credential)).toBe(await fastCanonize(made.credential));
          digestsAfter.push(digest.mock.calls.length);
        }),
        { numRuns: 150 },
      );
      expect(built).toBeGreaterThan(100);
      const batches = browserLike.BATCHED_CANONICALIZATIONS;
      // Each of the first canonicalizations sent its blank nodes' texts (the issuer profile's and achievement's
      // identifiers, results, ...); every later one hashed in place.
      for (let i = 0; i < batches; i++) expect(digestsAfter[i]!).toBeGreaterThan(i === 0 ? 0 : digestsAfter[i - 1]!);
      expect(digestsAfter[built - 1]).toBe(digestsAfter[batches - 1]);
    } finally {
      digest.mockRestore();
    }
  }, 120_000);
});
