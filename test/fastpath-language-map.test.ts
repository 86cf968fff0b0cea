import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MicrocredError, award, defineIssuer } from '../src';
import { canonicalizeRdf } from '../src/jsonld/canonize';
import { canonizeStats, fastCanonize, resetCanonizeStats } from '../src/jsonld/fast';
import { criticalThinking } from '../examples/rei-programme';

/**
 * Concepts carry `prefLabel` as a language map (`@container: @language`, ELM's shape). The fast path converts language
 * maps itself; it must give jsonld.js's bytes exactly, and hand anything unusual to jsonld.js (whose answer, error
 * included, is then the answer).
 */
const issuer = defineIssuer({ id: 'did:example:issuer', name: 'University', country: 'EE' });
const base = award(criticalThinking, { issuer, learner: 'did:example:learner', grade: 'A', awardedOn: '2024-01-01' });

function withLabel(label: unknown): object {
  const c = structuredClone(base) as unknown as {
    credentialSubject: { achievement: { mode: { prefLabel: unknown }[] } };
  };
  c.credentialSubject.achievement.mode[0]!.prefLabel = label;
  return c;
}

async function outcome(run: () => Promise<string>): Promise<string> {
  try {
    return `ok:${await run()}`;
  } catch (e) {
    return e instanceof MicrocredError ? `error:${e.code}` : `raw:${String(e)}`;
  }
}

describe('fast path: language maps', () => {
  const cases: [string, unknown, 'fast' | 'fallback'][] = [
    ['one language', { en: 'Blended' }, 'fast'],
    ['several languages, any key order', { et: 'Põimõpe', en: 'Blended', de: 'Gemischt' }, 'fast'],
    ['an array of labels for one language', { en: ['Blended', 'Hybrid'] }, 'fast'],
    ['upper-case and region tags', { 'EN-gb': 'Blended', 'pt-BR': 'Híbrido' }, 'fast'],
    ['a null value', { en: 'Blended', fr: null }, 'fast'],
    ['duplicate labels', { en: ['Blended', 'Blended'] }, 'fast'],
    ['@none', { '@none': 'Blended' }, 'fallback'],
    ['a key that is not a language tag', { 'not a tag': 'Blended' }, 'fallback'],
    ['a non-string value', { en: 3 }, 'fallback'],
    ['an empty map', {}, 'fallback'],
    ['a plain string', 'Blended', 'fallback'],
  ];
  for (const [name, label, path] of cases) {
    it(`${name}: same result as jsonld.js, on the ${path} path`, async () => {
      const doc = withLabel(label);
      resetCanonizeStats();
      const fast = await outcome(() => fastCanonize(doc));
      expect(canonizeStats()[path]).toBe(1);
      expect(fast).toBe(await outcome(() => canonicalizeRdf(doc)));
    });
  }

  it('generated language maps: same bytes as jsonld.js', async () => {
    const tag = fc.constantFrom('en', 'et', 'de', 'fr-CA', 'EN', 'zh-Hant-TW');
    const text = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(tag, fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), { minKeys: 1, maxKeys: 4 }),
        async (map) => {
          const doc = withLabel(map);
          expect(await fastCanonize(doc)).toBe(await canonicalizeRdf(doc));
        },
      ),
      { numRuns: 60 },
    );
  });
});
