import fs from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error untyped build script
import { SNAPSHOT_LISTS, generateActiveContextsSource, processLists } from '../scripts/generate-active-contexts.mjs';
import { PROCESSED_TOP_LEVEL_CONTEXTS } from '../src/jsonld/fast/active-contexts.generated';
import { activeContextFromSnapshot } from '../src/jsonld/fast/compiled-context';

/**
 * The fast path restores jsonld.js's processed context for the @context lists our builders emit instead of
 * processing them at run time (~20 ms of the first credential in every process). Restored must mean identical.
 */
describe('build-time active contexts', () => {
  it('restore to exactly what jsonld.js computes now, for every list', async () => {
    const fresh = (await processLists()) as Record<string, unknown>;
    expect(Object.keys(PROCESSED_TOP_LEVEL_CONTEXTS)).toEqual(
      (SNAPSHOT_LISTS as string[][]).map((urls) => urls.join('\n')),
    );
    for (const [key, json] of Object.entries(PROCESSED_TOP_LEVEL_CONTEXTS)) {
      const restored = await activeContextFromSnapshot(json);
      // Deep and strict: Maps, own properties whose value is undefined, and jsonld.js's own methods all count.
      expect(isDeepStrictEqual(restored, fresh[key]), key).toBe(true);
      const mappings = (restored as unknown as { mappings: Map<string, unknown> }).mappings;
      expect(mappings.size).toBeGreaterThan(50);
    }
  });

  it('are what scripts/generate-active-contexts.mjs writes (npm run gen)', async () => {
    const committed = fs.readFileSync(
      new URL('../src/jsonld/fast/active-contexts.generated.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(await generateActiveContextsSource());
  });

  it('are used: canonicalizing a builder credential processes none of those lists with jsonld.js', async () => {
    const contextApi = createRequire(import.meta.url)('jsonld/lib/context.js') as {
      process: (args: { localCtx: unknown }) => Promise<unknown>;
    };
    const process = vi.spyOn(contextApi, 'process');
    const { award, defineIssuer, generateKey } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    const { fastCanonize, canonizeStats } = await import('../src/jsonld/fast');
    const { canonicalizeRdf } = await import('../src/jsonld/canonize');
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = award(reiProgramme.parts[0]!, {
      issuer,
      learner: { email: 'mari@example.ee' },
      grade: 'B',
      awardedOn: '2024-01-26',
    });
    const fast = await fastCanonize(credential);
    expect(canonizeStats().fast).toBe(1);
    const topLevelLists = process.mock.calls.map(([args]) => args.localCtx).filter((ctx) => Array.isArray(ctx));
    expect(topLevelLists).toEqual([]);
    // The type- and property-scoped contexts it reaches are restored too (test/derived-contexts.test.ts).
    expect(process).not.toHaveBeenCalled();
    process.mockRestore();
    expect(fast).toBe(await canonicalizeRdf(credential));
  });
});
