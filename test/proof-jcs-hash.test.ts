import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MicrocredError } from '../src/errors';
import { canonicalizeJcs } from '../src/proof/jcs';
import { generateKey, issue } from '../src';
import { benchIssuer, largeCredential, seedCredential } from '../bench/fixtures';

/**
 * eddsa-jcs-2022's hashData, SHA-256(JCS of the proof options) ‖ SHA-256(JCS of the document), on each platform's
 * path. With node:crypto each JCS text is hashed where the writer wrote it, in its reused buffer (no copy); WebCrypto
 * reads its input after a promise, and noble is the fallback, so both get copies. Every path must give the digests of
 * the UTF-8 of `canonicalizeJcs`, and refuse what it refuses with the same error, also when calls interleave.
 */
const expected = (config: unknown, doc: unknown) =>
  Buffer.concat([
    createHash('sha256').update(canonicalizeJcs(config), 'utf8').digest(),
    createHash('sha256').update(canonicalizeJcs(doc), 'utf8').digest(),
  ]);

async function modulesWith(platform: 'node' | 'webcrypto' | 'noble') {
  vi.resetModules();
  if (platform !== 'node')
    vi.doMock('../src/platform/node-crypto', async (original) => ({
      ...(await original<typeof import('../src/platform/node-crypto')>()),
      nodeCrypto: () => undefined,
    }));
  if (platform === 'noble')
    vi.doMock('../src/platform/webcrypto', async (original) => ({
      ...(await original<typeof import('../src/platform/webcrypto')>()),
      webCryptoSha256Works: async () => false,
    }));
  const { computeHashData } = await import('../src/proof/data-integrity');
  const { sha256PathsTaken } = await import('../src/platform/paths-taken');
  return { computeHashData, sha256PathsTaken };
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '\u001f', 'é', '€', '😀', '\u2028', '\ud800') }),
);
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.constantFrom(-0, 1e21, true, false, null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const record = fc.dictionary(text, json, { maxKeys: 6 });

/** The digest, or the error (class, message, path) that computing it threw. */
async function outcome(run: () => Promise<Uint8Array>) {
  try {
    return { digest: Buffer.from(await run()).toString('hex') };
  } catch (e) {
    return { error: [(e as Error).constructor.name, (e as Error).message, (e as MicrocredError).path] };
  }
}

describe('eddsa-jcs-2022 hashData on every platform path', () => {
  afterEach(() => {
    vi.doUnmock('../src/platform/node-crypto');
    vi.doUnmock('../src/platform/webcrypto');
    vi.resetModules();
  });

  for (const platform of ['node', 'webcrypto', 'noble'] as const) {
    it(`${platform}: the digests of the JCS texts, the same refusals, interleaved calls kept apart, and the path counted`, async () => {
      const { computeHashData, sha256PathsTaken } = await modulesWith(platform);
      const before = sha256PathsTaken()[platform];
      await fc.assert(
        fc.asyncProperty(record, record, async (config, doc) => {
          const got = await outcome(() => computeHashData(doc, config, 'eddsa-jcs-2022'));
          const want = await outcome(async () => expected(config, doc));
          expect(got).toEqual(want);
        }),
        { numRuns: 300 },
      );
      // Real credentials, many calls in flight at once: each must hash its own texts.
      const key = generateKey();
      const documents = [
        await issue(seedCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' }),
        await issue(largeCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' }),
      ].map((signed) => {
        const { proof, ...unsecured } = JSON.parse(JSON.stringify(signed)) as Record<string, unknown>;
        const { proofValue: _value, ...config } = (proof as Record<string, unknown>[])[0]!;
        return { unsecured, config };
      });
      const jobs = Array.from({ length: 40 }, (_, i) => documents[i % 2]!);
      const digests = await Promise.all(
        jobs.map(({ unsecured, config }) => computeHashData(unsecured, config, 'eddsa-jcs-2022')),
      );
      digests.forEach((digest, i) =>
        expect(Buffer.from(digest)).toEqual(expected(jobs[i]!.config, jobs[i]!.unsecured)),
      );
      expect(sha256PathsTaken()[platform] - before).toBeGreaterThanOrEqual(80);
    });
  }

  it('with node:crypto the JCS bytes are hashed where the writer wrote them, not copied out first', async () => {
    const { computeHashData } = await modulesWith('node');
    const crypto = (await import('../src/platform/node-crypto')).nodeCrypto()!;
    const spy = vi.spyOn(crypto, 'hash');
    try {
      const config = { type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022' };
      const doc = { name: 'x'.repeat(5000), list: [1, 2, 3] };
      expect(Buffer.from(await computeHashData(doc, config, 'eddsa-jcs-2022'))).toEqual(expected(config, doc));
      const hashed = spy.mock.calls.map(([, data]) => data as Uint8Array);
      expect(hashed).toHaveLength(2);
      // Views of the writer's kept buffer (64 KB): a copy would own a buffer of exactly its own length.
      for (const bytes of hashed) expect(bytes.buffer.byteLength).toBeGreaterThan(bytes.byteLength);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("eddsa-jcs-2022: the proof's @context against the document's", () => {
  it('sameJson answers as comparing the two JCS texts does (false where either has none), strings included', async () => {
    const { sameJson } = await import('../src/proof/data-integrity');
    const byJcs = (a: unknown, b: unknown) => {
      try {
        return canonicalizeJcs(a) === canonicalizeJcs(b);
      } catch {
        return false;
      }
    };
    const value = fc.oneof(
      text,
      json,
      fc.constantFrom('\ud800', 'a\udc00', '😀', '', 'https://www.w3.org/ns/credentials/v2'),
    );
    fc.assert(
      fc.property(value, value, fc.boolean(), (a, b, same) => {
        // Half of the pairs are a value and its own copy, so that equal strings (lone surrogates too) are common.
        const other = same ? structuredClone(a) : b;
        expect(sameJson(a, other)).toBe(byJcs(a, other));
      }),
      { numRuns: 3000 },
    );
  });

  it('a proof @context entry that JCS cannot encode does not match, even the same string in the document', async () => {
    const { createProof, verifyProof } = await import('../src/proof/data-integrity');
    const key = generateKey();
    const context = ['https://www.w3.org/ns/credentials/v2', 'urn:x:\ud800'];
    const signed = await createProof(
      { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: key.controller },
      { key, cryptosuite: 'eddsa-jcs-2022', proofShape: 'object' },
    );
    const document = { ...signed, '@context': context, proof: { ...signed.proof, '@context': [...context] } };
    const result = await verifyProof(document, document.proof);
    expect(result).toMatchObject({ verified: false, code: 'INVALID_SIGNATURE' });
    expect(result.message).toMatch(/does not start with the proof @context/);
  });
});
