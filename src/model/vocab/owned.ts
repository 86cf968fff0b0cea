import { MicrocredError } from '../../errors';
import type { Concept, ConceptInput, Vocabulary } from './concept';

/** Refuses a concept key starting with `$` and an IRI already in `byId`: mistakes in a vocabulary's source. */
export function checkConcept(scheme: string, key: string, input: ConceptInput, byId: Map<string, unknown>): void {
  if (key.startsWith('$')) {
    throw new MicrocredError('INVALID_INPUT', `Vocabulary ${scheme}: concept key "${key}" may not start with "$"`);
  }
  if (byId.has(input.id)) {
    throw new MicrocredError('INVALID_INPUT', `Vocabulary ${scheme}: IRI ${input.id} is defined twice`);
  }
}

/** Adds the `$`-metadata to the named concepts (`byId` holds them in definition order) and freezes the vocabulary. */
export function finishVocabulary<V>(
  named: object,
  byId: Map<string, Concept>,
  scheme: string,
  title: string,
  projectDefined: boolean,
): V {
  const meta = {
    $scheme: scheme,
    $title: title,
    $projectDefined: projectDefined,
    $concepts: Object.freeze([...byId.values()]),
    $byId: (iri: string) => byId.get(iri),
  };
  return Object.freeze(Object.assign(named, meta)) as V;
}

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
  for (const key of Object.keys(concepts)) {
    const concept = concepts[key]!;
    checkConcept(scheme, key, concept, byId);
    byId.set(concept.id, Object.freeze(concept));
  }
  return finishVocabulary(concepts, byId, scheme, title, false);
}
