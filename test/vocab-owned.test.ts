import { describe, expect, test } from 'vitest';
import {
  Country,
  countryByAlpha2,
  defineVocabulary,
  IscedF,
  iscedF,
  isIscedFCode,
  lookupConcept,
  VOCABULARIES,
  type AnyVocabulary,
  type Concept,
} from '../src/model/vocab';

/**
 * Country and ISCED-F are built by `ownedVocabulary` (src/model/vocab/owned.ts), which freezes the concepts it is
 * given where `defineVocabulary` copies them, and `lookupConcept` asks each vocabulary's index instead of one combined
 * index: both must give exactly what the generic paths give.
 */

/** Every own property, in order, with its value and attributes (functions by name and arity). */
function shape(value: object): unknown[] {
  return Reflect.ownKeys(value).map((key) => {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    const v = d.value;
    const described =
      typeof v === 'function' ? `function ${v.name}/${v.length}` : v !== null && typeof v === 'object' ? shape(v) : v;
    return [key, described, d.writable, d.enumerable, d.configurable];
  });
}

describe.each([
  ['Country', Country as unknown as AnyVocabulary],
  ['IscedF', IscedF as unknown as AnyVocabulary],
])('%s is what defineVocabulary makes from the same concepts', (_name, vocabulary) => {
  const record = vocabulary as unknown as Record<string, Concept>;
  const keys = Object.keys(vocabulary).filter((key) => !key.startsWith('$'));
  const inputs = Object.fromEntries(
    keys.map((key) => {
      const { scheme: _, ...input } = record[key]!;
      return [key, input];
    }),
  );
  const reference = defineVocabulary(vocabulary.$scheme, vocabulary.$title, inputs) as unknown as AnyVocabulary;

  test('same keys, values, key order and property attributes, concepts included', () => {
    expect(shape(vocabulary)).toEqual(shape(reference));
    expect(Object.getPrototypeOf(vocabulary)).toBe(Object.getPrototypeOf(reference));
  });

  test('frozen the same way', () => {
    expect(Object.isFrozen(vocabulary)).toBe(true);
    expect(Object.isFrozen(vocabulary.$concepts)).toBe(true);
    for (const concept of vocabulary.$concepts) expect(Object.isFrozen(concept)).toBe(true);
  });

  test('$concepts are the named concepts, in order, and $byId answers alike', () => {
    expect(vocabulary.$concepts).toEqual(reference.$concepts);
    expect(vocabulary.$concepts).toEqual(keys.map((key) => record[key]));
    for (const concept of vocabulary.$concepts) expect(vocabulary.$byId(concept.id)).toBe(concept);
    for (const iri of ['', 'x', `${vocabulary.$concepts[0]!.id}/`, '__proto__', 'constructor'])
      expect(vocabulary.$byId(iri)).toBe(reference.$byId(iri));
  });
});

test('the code lookups answer with the vocabulary’s own concepts', () => {
  for (const concept of Country.$concepts) expect(countryByAlpha2(concept.notation)).toBe(concept);
  for (const concept of IscedF.$concepts) {
    expect(isIscedFCode(concept.notation)).toBe(true);
    expect(iscedF(concept.notation)).toBe(concept);
  }
});

describe('lookupConcept', () => {
  /** The combined index lookupConcept used to build: every concept of every vocabulary, a later vocabulary winning. */
  const combined = new Map<string, { vocabulary: string; concept: Concept }>();
  for (const [vocabulary, vocab] of Object.entries(VOCABULARIES))
    for (const concept of vocab.$concepts) combined.set(concept.id, { vocabulary, concept });

  test('answers every concept IRI as the combined index did', () => {
    for (const [iri, expected] of combined) {
      const answer = lookupConcept(iri);
      expect(answer?.vocabulary).toBe(expected.vocabulary);
      expect(answer?.concept).toBe(expected.concept);
    }
  });

  test('answers one IRI with one object, every time', () => {
    for (const iri of combined.keys()) expect(lookupConcept(iri)).toBe(lookupConcept(iri));
  });

  test('unknown IRIs and non-strings get undefined', () => {
    for (const iri of ['', 'http://example.org/x', '__proto__', 'constructor', 'hasOwnProperty'])
      expect(lookupConcept(iri)).toBeUndefined();
    for (const value of [undefined, null, 1, {}, ['http://data.europa.eu/snb/eqf/6']])
      expect(lookupConcept(value as unknown as string)).toBeUndefined();
  });
});
