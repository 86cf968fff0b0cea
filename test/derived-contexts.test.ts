import fs from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error untyped build script
import { processLists } from '../scripts/generate-active-contexts.mjs';
import { generateDerivedContextsSource } from '../scripts/generate-derived-contexts';
import {
  derivedSnapshotTree,
  needsDecoding,
  processDerived,
  restoreDerivedContext,
  snapshotChildren,
  withJsonLdMethods,
  type DerivedKind,
  type DerivedSnapshotNode,
} from '../src/jsonld/fast/compiled-context';
import type { JsonLdActiveContext } from 'jsonld/lib/context.js';

/**
 * The fast path restores the type- and property-scoped contexts our credentials reach from a build-time snapshot
 * instead of having jsonld.js process them in every process (~20 deep copies of the term map for the first
 * credential). Restored must mean identical to what jsonld.js computes now.
 */
describe('build-time derived contexts', () => {
  it('restore to exactly what jsonld.js computes now, for every context in the snapshot', async () => {
    const fresh = (await processLists()) as Record<string, JsonLdActiveContext>;
    const tree = derivedSnapshotTree();
    expect(Object.keys(tree).length).toBeGreaterThan(0);
    let compared = 0;
    const check = async (node: DerivedSnapshotNode, computed: JsonLdActiveContext, path: string): Promise<void> => {
      for (const [entry, child] of snapshotChildren(node)) {
        const kind = entry.slice(0, 1) as DerivedKind;
        const key = entry.slice(2);
        // The cache key is the scoped context's JSON (or, for an embedded list, the URLs): what derive processes.
        const raw = kind === 'e' ? key.split('\n') : JSON.parse(key);
        const computedChild = await processDerived(computed, kind, raw);
        // Completed with jsonld.js's methods, as before jsonld.js is handed a restored context.
        const restoredChild = withJsonLdMethods(restoreDerivedContext(child.context));
        const where = `${path} → ${kind} ${key.slice(0, 80)}`;
        // Deep and strict: Maps in order-insensitive equality, own undefined properties, jsonld.js's methods.
        expect(isDeepStrictEqual(restoredChild, computedChild), where).toBe(true);
        // The term order is jsonld.js's too (the compacted-form check names the first other term of an IRI).
        expect([...restoredChild.mappings.keys()], where).toEqual([...computedChild.mappings.keys()]);
        compared++;
        await check(child, computedChild, where);
      }
    };
    for (const [listKey, node] of Object.entries(tree)) {
      // The tree's root is the top-level context itself (test/active-contexts.test.ts compares it).
      await check(node, fresh[listKey]!, listKey.replace(/\n/g, ' '));
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it('keep a parsed term definition as it is only where decoding would give an equal copy', () => {
    // Restoring shares the parsed definitions instead of copying them; anything decode changes must still be decoded.
    expect(needsDecoding({ '@id': 'https://example.org/a', '@context': { a: { '@id': 'x' } } })).toBe(false);
    expect(needsDecoding(['a', 1, null, true, { b: [] }])).toBe(false);
    expect(needsDecoding({ '@context': { a: [{ b: { $undefined: true } }] } })).toBe(true);
    expect(needsDecoding([{ x: { $map: [['a', 1]] } }])).toBe(true);
    expect(needsDecoding(JSON.parse('{"@context":[{"__proto__":{"polluted":true}}]}'))).toBe(true);
  });

  it('are used: issuing and verifying the seed credential has jsonld.js process no context at all', async () => {
    const contextApi = createRequire(import.meta.url)('jsonld/lib/context.js') as {
      process: (args: { localCtx: unknown }) => Promise<unknown>;
    };
    const process = vi.spyOn(contextApi, 'process');
    const { award, defineIssuer, generateKey, issue, verify } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    const { canonizeStats } = await import('../src/jsonld/fast');
    const { canonicalizeRdf } = await import('../src/jsonld/canonize');
    const key = generateKey();
    const issuer = defineIssuer({
      id: key.controller,
      name: 'University of Tartu',
      country: 'EE',
      region: 'Tartu County',
    });
    const credential = award(reiProgramme.parts[0]!, {
      issuer,
      learner: { email: 'mari.maasikas@example.ee' },
      grade: 'A',
      awardedOn: '2024-01-26',
    });
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      expect((await verify(await issue(credential, { key, format }))).verified, format).toBe(true);
    }
    expect(process).not.toHaveBeenCalled();
    expect(canonizeStats().fallback).toBe(0);
    process.mockRestore();
    // What the fast path produced from restored contexts is jsonld.js's own canonical form.
    const { fastCanonize } = await import('../src/jsonld/fast');
    expect(await fastCanonize(credential)).toBe(await canonicalizeRdf(credential));
  });

  it('are what scripts/generate-derived-contexts.ts writes (npm run gen)', { timeout: 60_000 }, async () => {
    const committed = fs.readFileSync(
      new URL('../src/jsonld/fast/derived-contexts.generated.ts', import.meta.url),
      'utf8',
    );
    // The script records what a fresh fast path derives: fresh module instances, nothing compiled yet.
    vi.resetModules();
    const { generateDerivedContextsSource: generate } = await import('../scripts/generate-derived-contexts');
    expect(committed).toBe(await generate());
    expect(generate).not.toBe(generateDerivedContextsSource);
  });
});
