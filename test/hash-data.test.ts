import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The proof's hashData on each platform's path: node:crypto (Node), WebCrypto's digest (browsers), noble (neither).
 * The paths other than Node's are reached here by hiding node:crypto, and then WebCrypto, from fresh copies of the
 * module; each must give SHA-256(config) ‖ SHA-256(document) of the UTF-8 text, as node:crypto computes it, lone
 * surrogates included (they become U+FFFD on every path). Chromium runs the WebCrypto path in test/browser-native.
 */
const expected = (config: string, doc: string) =>
  Buffer.concat([
    createHash('sha256').update(config, 'utf8').digest(),
    createHash('sha256').update(doc, 'utf8').digest(),
  ]);

async function hashDataWith(platform: 'node' | 'webcrypto' | 'noble') {
  vi.resetModules();
  if (platform !== 'node') {
    vi.doMock('../src/platform/node-crypto', async (original) => ({
      ...(await original<typeof import('../src/platform/node-crypto')>()),
      nodeCrypto: () => undefined,
    }));
  }
  if (platform === 'noble') {
    vi.doMock('../src/platform/webcrypto', async (original) => ({
      ...(await original<typeof import('../src/platform/webcrypto')>()),
      webCryptoSha256Works: async () => false,
    }));
  }
  const { hashData } = await import('../src/platform/hash-data');
  const { sha256PathsTaken } = await import('../src/platform/paths-taken');
  return { hashData, sha256PathsTaken };
}

describe('hashData: node:crypto, WebCrypto and noble give the same bytes', () => {
  afterEach(() => {
    vi.doUnmock('../src/platform/node-crypto');
    vi.doUnmock('../src/platform/webcrypto');
    vi.resetModules();
  });

  for (const platform of ['node', 'webcrypto', 'noble'] as const) {
    it(`${platform}: SHA-256(config) ‖ SHA-256(document), and the path taken is counted`, async () => {
      const { hashData, sha256PathsTaken } = await hashDataWith(platform);
      const texts = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
      await fc.assert(
        fc.asyncProperty(texts, texts, async (config, doc) => {
          expect(Buffer.from(await hashData(config, doc))).toEqual(expected(config, doc));
          // The JCS proof hands over its UTF-8 bytes instead of a text: the same digests.
          const utf8 = new TextEncoder();
          expect(Buffer.from(await hashData(utf8.encode(config), utf8.encode(doc)))).toEqual(expected(config, doc));
        }),
        { numRuns: 200 },
      );
      expect(Buffer.from(await hashData('a\uD800b', '\uDFFF'))).toEqual(expected('a\uD800b', '\uDFFF'));
      const taken = sha256PathsTaken();
      expect(taken[platform]).toBeGreaterThanOrEqual(402);
      expect(Object.entries(taken).filter(([p, n]) => p !== platform && n > 0)).toEqual([]);
    });
  }

  it('in Node, hashData answers synchronously (no promise round trip on the issue and verify path)', async () => {
    const { hashData } = await hashDataWith('node');
    expect(hashData('x', 'y')).toBeInstanceOf(Uint8Array);
  });
});
