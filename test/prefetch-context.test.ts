import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

/**
 * In a browser, jsonld.js's context processing is a chunk fetched over the network; a verification starts that fetch
 * as soon as its parse step has read a JSON-LD credential, so the download overlaps the checks before the first
 * context is compiled (bench/browser.ts: first verify after load). Here "a browser" is Node with node:crypto hidden;
 * the context module, loaded through require in Node, shows in the module cache. A VC-JWT, which never needs it,
 * does not start it; nor does Node itself, where it loads from disk when first needed.
 */
const hideNodeCrypto = vi.hoisted(() => ({ value: true }));
vi.mock('../src/platform/node-crypto', async (original) => {
  const real = await original<typeof import('../src/platform/node-crypto')>();
  return { ...real, nodeCrypto: () => (hideNodeCrypto.value ? undefined : real.nodeCrypto()) };
});

const moduleCache = createRequire(import.meta.url).cache;
const contextModuleLoaded = () =>
  Object.keys(moduleCache).some((f) => f.endsWith('/node_modules/jsonld/lib/context.js'));

describe('the context processing chunk is fetched as soon as a JSON-LD credential that may need it is read', () => {
  it('not for a VC-JWT, nor in Node; for a JSON-LD credential, right after the parse step', async () => {
    const { award, defineIssuer, generateKey, jwtKeyFromEd25519 } = await import('../src/index');
    const { signJwtPayload } = await import('../src/proof/jwt');
    const { parseStep } = await import('../src/verify/steps/parse');
    const { VerifyContext } = await import('../src/verify/steps/context');
    const { reiProgramme } = await import('../examples/rei-programme');
    const key = generateKey();
    const credential = award(reiProgramme.parts[0]!, {
      issuer: defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' }),
      learner: { email: 'mari@example.ee' },
      grade: 'B',
      awardedOn: '2024-01-26',
    });
    const parse = async (input: unknown) => {
      const ctx = new VerifyContext(input, {}, 0, false, async () => {
        throw new Error('not nested');
      });
      await parseStep(ctx);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return ctx;
    };
    expect(contextModuleLoaded()).toBe(false);

    const jwt = await signJwtPayload(
      { vc: credential, iss: key.controller },
      {},
      { key: await jwtKeyFromEd25519(key) },
    );
    expect((await parse(jwt)).parsed?.format).toBe('vc-jwt');
    expect(contextModuleLoaded()).toBe(false);

    hideNodeCrypto.value = false;
    expect((await parse(credential)).parsed?.format).toBe('json-ld');
    expect(contextModuleLoaded()).toBe(false);

    // Our builders' @context list is restored from the build-time snapshots: nothing to fetch for it.
    hideNodeCrypto.value = true;
    await parse(credential);
    expect(contextModuleLoaded()).toBe(false);
    // A list that was never snapshotted (here the VC context alone) may need processing: fetched right away.
    await parse({ ...credential, '@context': ['https://www.w3.org/ns/credentials/v2'] });
    expect(contextModuleLoaded()).toBe(true);
  });
});
