/**
 * The terms this project had to mint because ELM (v3.1/3.2, `../shared/fixtures/edc/ELM.ttl`) and the EU vocabularies
 * have none. Everything else in the context `https://w3id.org/microcredentials/v1` is an ELM, Dublin Core, SKOS or
 * FOAF IRI. One source for the context test, the vocabulary pages (`npm run gen:vocab` → `vocab/`) and
 * `docs/context.md`.
 */
import { QfEheaCycle } from './qf-ehea-cycle';
import { Stackability } from './stackability';

/** The namespace of this project's own JSON-LD terms (used where ELM has no property). */
export const PROJECT_NAMESPACE = 'https://w3id.org/microcredentials/ns#';

/** One of this project's own JSON-LD terms, with its IRI and what it means. */
export interface ProjectTerm {
  readonly iri: string;
  readonly label: string;
  readonly kind: 'property' | 'class';
  readonly definition: string;
  /** Why ELM's own terms do not do. */
  readonly reason: string;
  /** What values it takes. */
  readonly range: string;
}

/** Every term this project defines itself (listed on its published vocabulary page). */
export const PROJECT_TERMS: readonly ProjectTerm[] = [
  {
    iri: `${PROJECT_NAMESPACE}stackability`,
    label: 'integration/stackability option',
    kind: 'property',
    definition:
      'Annex I element 15 of the Council Recommendation of 16 June 2022: whether the micro-credential is a stand-alone, independent micro-credential or integrated, stackable towards another credential.',
    reason:
      'ELM has no property for this option: elm:isPartialQualification is a boolean about qualifications, and elm:isPartOf / elm:hasPart link two specifications without saying which of the two Annex options applies (the project writes those too).',
    range: `skos:Concept of the scheme ${Stackability.$scheme}`,
  },
];

/** Concept schemes the project defines, with why the EU publishes none. */
export const PROJECT_SCHEMES = [
  {
    vocabulary: QfEheaCycle,
    reason:
      "No EU vocabulary lists the cycles of the Qualifications Framework of the European Higher Education Area; the values are written with ELM's elm:educationLevel.",
  },
  {
    vocabulary: Stackability,
    reason: 'No EU vocabulary lists the two integration/stackability options of Annex I element 15.',
  },
] as const;
