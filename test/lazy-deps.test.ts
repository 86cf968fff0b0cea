import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

/**
 * jsonld.js (~70 ms to import) and jose (~25 ms) are loaded only when needed: every process and every pool worker
 * pays their import at start-up otherwise, while the compiled fast path, our RDFC-1.0 port and Ed25519 Data
 * Integrity proofs need neither. The fast path uses jsonld's context module (lib/context.js, which requires
 * rdf-canonize) only for contexts that are not restored from the build-time snapshots, and loads it then through
 * `require` (no cjs-module-lexer): our builders' credentials need neither.
 *
 * ESM imports are seen by the mocks, which pass the real modules through and record the load; CommonJS files,
 * however they were reached, are seen in Node's module cache.
 */
const imported = vi.hoisted(() => new Set<string>());
vi.mock('jsonld', async (original) => (imported.add('jsonld'), original()));
vi.mock('jsonld/lib/context.js', async (original) => (imported.add('jsonld/lib/context.js'), original()));
vi.mock('rdf-canonize', async (original) => (imported.add('rdf-canonize'), original()));
vi.mock('jose', async (original) => (imported.add('jose'), original()));
vi.mock('@sd-jwt/core', async (original) => (imported.add('@sd-jwt/core'), original()));
// SHA-3 (relatedResource digests) and multiformats are not needed to load the package, issue or verify: each module
// is one more file to resolve and compile in every process.
vi.mock('@noble/hashes/sha3.js', async (original) => (imported.add('@noble/hashes/sha3.js'), original()));
vi.mock('multiformats/bases/base58', async (original) => (imported.add('multiformats/bases/base58'), original()));
vi.mock('multiformats/bases/base64', async (original) => (imported.add('multiformats/bases/base64'), original()));

const moduleCache = createRequire(import.meta.url).cache;
const inCache = (suffix: string): boolean => Object.keys(moduleCache).some((file) => file.endsWith(suffix));
const JSONLD_MAIN = '/node_modules/jsonld/lib/jsonld.js';
const JSONLD_CONTEXT = '/node_modules/jsonld/lib/context.js';
const RDF_CANONIZE = '/node_modules/rdf-canonize/lib/index.js';

describe('optional dependencies load on first use', () => {
  it('issuing and verifying Data Integrity proofs loads neither jsonld.js nor jose; a VC-JWT loads jose; a document outside the fast path loads jsonld', async () => {
    const { award, defineIssuer, generateKey, issue, verify } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    expect([...imported], 'loaded with the package').toEqual([]);
    expect(inCache(JSONLD_CONTEXT), 'jsonld/lib/context.js loaded at import').toBe(false);
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = award(reiProgramme.parts[0]!, {
      issuer,
      learner: { email: 'mari@example.ee' },
      grade: 'B',
      awardedOn: '2024-01-26',
    });
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const report = await verify(await issue(credential, { key, format }));
      expect(report.verified, format).toBe(true);
    }
    // Their contexts are restored from the build-time snapshots: not even jsonld's context module is needed.
    expect(inCache(JSONLD_CONTEXT), 'jsonld/lib/context.js loaded for a builder credential').toBe(false);
    expect(inCache(RDF_CANONIZE), 'rdf-canonize loaded for a builder credential').toBe(false);
    expect([...imported]).toEqual([]);
    expect(inCache(JSONLD_MAIN)).toBe(false);

    // A context list without a snapshot is processed by jsonld's context module, brought in through require.
    const { fastCanonize, canonizeStats } = await import('../src/jsonld/fast');
    const fastBefore = canonizeStats().fast;
    await fastCanonize({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: 'did:example:issuer',
      credentialSubject: { id: 'did:example:subject' },
    });
    expect(canonizeStats().fast).toBe(fastBefore + 1);
    expect(inCache(JSONLD_CONTEXT)).toBe(true);
    expect([...imported]).toEqual([]);
    expect(inCache(JSONLD_MAIN)).toBe(false);

    const jwt = await issue(credential, { key, format: 'vc-jwt' });
    expect((await verify(jwt)).verified).toBe(true);
    expect([...imported]).toEqual(['jose']);
    // @sd-jwt/core (disclosures, presentations) only for an SD-JWT VC.
    const sdJwt = await issue(credential, { key, format: 'dc+sd-jwt' });
    expect((await verify(sdJwt)).verified).toBe(true);
    expect([...imported]).toEqual(['jose', '@sd-jwt/core']);

    // An embedded context object is outside the fast path: jsonld.js canonicalizes it.
    const foreign = {
      ...credential,
      '@context': [...(credential['@context'] as string[]), { extra: 'https://example.org/extra' }],
      extra: 'x',
    };
    const signed = await issue(foreign, { key });
    expect((await verify(signed)).verified).toBe(true);
    expect(inCache(JSONLD_MAIN)).toBe(true);
  });
});

describe('loadCommonJs', () => {
  it('uses require in Node: the module instance require gives, without calling the import fallback', async () => {
    const { loadCommonJs } = await import('../src/platform/commonjs');
    const viaImport = vi.fn(async () => ({ default: 'not this' }));
    const loaded = await loadCommonJs('jsonld/lib/url.js', viaImport);
    expect(loaded).toBe(createRequire(import.meta.url)('jsonld/lib/url.js'));
    expect(viaImport).not.toHaveBeenCalled();
  });

  it('falls back to the import() it is given when require cannot find the module (a server bundle without node_modules)', async () => {
    const { loadCommonJs } = await import('../src/platform/commonjs');
    const exported = { inlined: true };
    expect(await loadCommonJs('microcredentials-no-such-package', async () => ({ default: exported }))).toBe(exported);
    // Any other failure of the module itself is the caller's to see, not hidden behind the fallback.
    const viaImport = vi.fn(async () => ({ default: 'not this' }));
    await expect(
      loadCommonJs(fileURLToPath(new URL('./helpers/throws-on-load.cjs', import.meta.url)), viaImport),
    ).rejects.toThrow('failed while loading');
    expect(viaImport).not.toHaveBeenCalled();
  });

  it("falls back to the import() it is given where Node's module builtin is not available (browsers)", async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    vi.resetModules();
    proc.getBuiltinModule = undefined;
    try {
      const { loadCommonJs } = await import('../src/platform/commonjs');
      const exported = { canonize: () => 'x' };
      expect(await loadCommonJs('rdf-canonize', async () => ({ default: exported }))).toBe(exported);
      // A namespace without a default export (an ES module) is returned as it is.
      const namespace = { canonize: () => 'y' };
      expect(await loadCommonJs('rdf-canonize', async () => namespace)).toBe(namespace);
    } finally {
      proc.getBuiltinModule = original;
    }
  });
});
