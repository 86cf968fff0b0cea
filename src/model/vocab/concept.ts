import { checkConcept, finishVocabulary } from './owned';

/**
 * One concept of a controlled vocabulary (a SKOS concept): what a credential carries as
 * `{ id, type: 'Concept', inScheme: { id: scheme }, prefLabel: { en: label }, notation? }`.
 */
export interface Concept<I extends string = string> {
  /** Concept IRI. */
  readonly id: I;
  /** English preferred label. */
  readonly label: string;
  /** Code where the scheme has one (EQF "6", ISCED-F "0613", ISO "EE"). */
  readonly notation?: string;
  /** Scheme IRI. */
  readonly scheme: string;
}

/** What a vocabulary module writes for each concept; `defineVocabulary` adds `scheme`. Extra fields are kept. */
export interface ConceptInput {
  readonly id: string;
  readonly label: string;
  readonly notation?: string;
}

/** A concept as stored in vocabulary `S`: the literal input plus the scheme IRI. */
export type SchemedConcept<C, S extends string> = C & { readonly scheme: S };

/** Metadata every vocabulary carries next to its named concepts. Keys start with `$` so they cannot clash with concept keys. */
export interface VocabularyMeta<S extends string, K, P extends boolean> {
  /** Scheme IRI (EU schemes end in `/25831c2`). */
  readonly $scheme: S;
  /** Human title of the scheme. */
  readonly $title: string;
  /** True where the project had to define the vocabulary because the EU publishes none. */
  readonly $projectDefined: P;
  /** Every concept, in definition order. */
  readonly $concepts: readonly K[];
  /** The concept with this IRI, or undefined when the IRI is not in this vocabulary. */
  $byId(iri: string): K | undefined;
}

/** A frozen object of named concepts plus `$`-metadata; built by `defineVocabulary`. */
export type Vocabulary<
  S extends string = string,
  C extends Record<string, ConceptInput> = Record<string, ConceptInput>,
  P extends boolean = boolean,
> = { readonly [K in keyof C]: SchemedConcept<C[K], S> } & VocabularyMeta<S, SchemedConcept<C[keyof C], S>, P>;

/** Union of the concept types in vocabulary V. */
export type ConceptOf<V> = V extends { readonly $concepts: readonly (infer X)[] } ? X : never;

/** Union of the literal concept IRIs of vocabulary V. */
export type ConceptIri<V> = ConceptOf<V> extends { readonly id: infer I } ? I : never;

/** Any vocabulary, for code that walks all of them. */
export type AnyVocabulary = VocabularyMeta<string, Concept, boolean>;

/**
 * Builds a vocabulary from named concepts. Pass the concepts `as const` so every IRI keeps its literal type
 * (`LearningMode.online.id` is the IRI itself, not `string`), which lets builders accept only IRIs of one scheme.
 * Throws on a key starting with `$` or a repeated IRI: both are mistakes in the vocabulary source, caught at load.
 */
export function defineVocabulary<
  S extends string,
  const C extends Record<string, ConceptInput>,
  P extends boolean = false,
>(scheme: S, title: string, concepts: C, options: { projectDefined?: P } = {}): Vocabulary<S, C, P> {
  type K = SchemedConcept<C[keyof C], S>;
  const byId = new Map<string, K>();
  const named: Record<string, K> = {};
  for (const [key, input] of Object.entries(concepts)) {
    checkConcept(scheme, key, input, byId);
    const concept = Object.freeze({ ...input, scheme }) as K;
    byId.set(input.id, concept);
    named[key] = concept;
  }
  return finishVocabulary(named, byId, scheme, title, (options.projectDefined ?? false) as P);
}
