import { MicrocredError } from '../../errors';
import type { Concept, ConceptInput, Vocabulary } from './concept';

/**
 * `defineVocabulary` for concepts this library builds from its own tables (countries and ISCED-F: ~430 concepts made
 * while the package loads): each concept arrives already in its final form (the table's fields, then `scheme`, the
 * key order `defineVocabulary`'s spread gives) and is frozen in place, where `defineVocabulary` would copy a made
 * object and walk pairs from `Object.entries`. Makes the same object `defineVocabulary` makes from the concepts
 * without `scheme` (test/vocab-owned.test.ts); the caller gives every concept a fresh object no one else holds.
 */
export function ownedVocabulary<S extends string, C extends Record<string, ConceptInput>>(
  scheme: S,
  title: string,
  concepts: Record<string, Concept>,
): Vocabulary<S, C, false> {
  const byId = new Map<string, Concept>();
  const list: Concept[] = [];
  const keys = Object.keys(concepts);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const concept = concepts[key]!;
    if (key.startsWith('$')) {
      throw new MicrocredError('INVALID_INPUT', `Vocabulary ${scheme}: concept key "${key}" may not start with "$"`);
    }
    if (byId.has(concept.id)) {
      throw new MicrocredError('INVALID_INPUT', `Vocabulary ${scheme}: IRI ${concept.id} is defined twice`);
    }
    byId.set(concept.id, Object.freeze(concept));
    list.push(concept);
  }
  const meta = {
    $scheme: scheme,
    $title: title,
    $projectDefined: false,
    $concepts: Object.freeze(list),
    $byId: (iri: string) => byId.get(iri),
  };
  return Object.freeze(Object.assign(concepts, meta)) as unknown as Vocabulary<S, C, false>;
}
