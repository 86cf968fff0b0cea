import type { EncodedConcept } from '../model/eu';
import { lookupConcept } from '../model/vocab';
import type { AnyVocabulary, ConceptIri } from '../model/vocab/concept';
import type { ProblemCollector } from './problems';

/** A concept given as its IRI or as a vocabulary constant (`LearningMode.blended`). */
export type ConceptRef<I extends string = string> = I | { readonly id: I };

/**
 * The namespace the concept IRIs of vocabulary V share, as a type (what `schemeNamespace` computes at run time):
 * `…/learning-assessment/25831c2` → `…/learning-assessment/`, a project scheme `…/stackability` → `…/stackability/`.
 */
export type ConceptNamespace<V> = V extends { readonly $scheme: infer S extends string }
  ? S extends `${infer N}/25831c2`
    ? `${N}/`
    : `${S}/`
  : never;

/**
 * A concept of vocabulary V, as a builder slot takes it: one of V's constants (`LearningMode.blended`) or its IRI
 * literal. An IRI of another scheme (an EQF level where a mode is expected) or a plain `string` does not compile.
 *
 * The EU lists grow after a release of this library, and the builders accept at run time an IRI the bundled list does
 * not know when it lies in the scheme's namespace; the type says the same for the object form of an EU vocabulary:
 * `{ id: 'http://data.europa.eu/snb/learning-assessment/<new>' }`. The project's own vocabularies (`Stackability`,
 * `QfEheaCycle`) are complete in each release, so they take only their listed concepts.
 */
export type VocabularyRef<V> =
  | ConceptRef<Extract<ConceptIri<V>, string>>
  | (V extends { readonly $projectDefined: false } ? { readonly id: `${ConceptNamespace<V>}${string}` } : never);

/** The namespace concept IRIs of a scheme share: EU schemes are `…/assessment/25831c2` → `…/assessment/`. */
export function schemeNamespace(vocabulary: AnyVocabulary): string {
  const scheme = vocabulary.$scheme;
  return scheme.endsWith('/25831c2') ? scheme.slice(0, -'25831c2'.length) : `${scheme}/`;
}

/**
 * Resolves a concept reference against one vocabulary. An IRI the bundled list does not know is still accepted when it
 * lies in the scheme's namespace, because the EU lists grow after a release of this library; anything else is an error,
 * so a free-text guess ("blended") never ends up where a concept IRI belongs.
 */
export function resolveConcept(
  value: unknown,
  vocabulary: AnyVocabulary,
  path: string,
  what: string,
  problems: ProblemCollector,
): string | undefined {
  const iri = typeof value === 'string' ? value : isConceptLike(value) ? value.id : undefined;
  if (iri === undefined) {
    problems.invalid(path, `${what} must be a concept of "${vocabulary.$title}" (an IRI or a vocabulary constant)`);
    return undefined;
  }
  if (vocabulary.$byId(iri)) return iri;
  if (iri.startsWith(schemeNamespace(vocabulary)) && iri.length > schemeNamespace(vocabulary).length) return iri;
  const examples = vocabulary.$concepts
    .slice(0, 3)
    .map((c) => c.id)
    .join(', ');
  problems.invalid(
    path,
    `${what}: ${JSON.stringify(iri)} is not a concept of "${vocabulary.$title}" (e.g. ${examples})`,
  );
  return undefined;
}

export function resolveConceptList(
  value: unknown,
  vocabulary: AnyVocabulary,
  path: string,
  what: string,
  problems: ProblemCollector,
): string[] {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  list.forEach((item, i) => {
    const iri = resolveConcept(item, vocabulary, Array.isArray(value) ? `${path}[${i}]` : path, what, problems);
    if (iri !== undefined && !out.includes(iri)) out.push(iri);
  });
  return out;
}

function isConceptLike(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/**
 * The concept object a credential carries for a concept IRI: `{ id, type: 'Concept', prefLabel: { en }, notation?,
 * inScheme }` (ELM's shape), labelled from the bundled vocabularies. An IRI the library does not know (a newer EU
 * concept) gets no label rather than a guessed one.
 */
export function encodeConcept(iri: string): EncodedConcept {
  const found = lookupConcept(iri);
  if (!found) return { id: iri, type: 'Concept' };
  const { concept } = found;
  return {
    id: iri,
    type: 'Concept',
    prefLabel: { en: concept.label },
    ...(concept.notation ? { notation: concept.notation } : {}),
    inScheme: concept.scheme,
  };
}
