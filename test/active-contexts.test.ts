import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error untyped build script
import { SNAPSHOT_LISTS, processLists } from '../scripts/generate-active-contexts.mjs';
import { derivedSnapshotTree, snapshotContextWithMethods } from '../src/jsonld/fast/compiled-context';

/**
 * The fast path restores jsonld.js's processed context for the @context lists our builders emit instead of
 * processing them at run time (~20 ms of the first credential in every process). Restored must mean identical.
 * The snapshot is scripts/generate-derived-contexts.ts's (test/derived-contexts.test.ts checks it is up to date).
 */
describe('build-time active contexts', () => {
  it('restore to exactly what jsonld.js computes now, for every list', async () => {
    const fresh = (await processLists()) as Record<string, unknown>;
    const tree = derivedSnapshotTree();
    expect(Object.keys(tree)).toEqual((SNAPSHOT_LISTS as string[][]).map((urls) => urls.join('\n')));
    for (const [key, node] of Object.entries(tree)) {
      const restored = await snapshotContextWithMethods(node.context);
      // Deep and strict: Maps, own properties whose value is undefined, and jsonld.js's own methods all count.
      expect(isDeepStrictEqual(restored, fresh[key]), key).toBe(true);
      const mappings = (restored as unknown as { mappings: Map<string, unknown> }).mappings;
      expect(mappings.size).toBeGreaterThan(50);
      // In jsonld.js's term order too (the compacted-form check names the first other term of an IRI).
      expect([...mappings.keys()], key).toEqual([
        ...(fresh[key] as { mappings: Map<string, unknown> }).mappings.keys(),
      ]);
    }
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
