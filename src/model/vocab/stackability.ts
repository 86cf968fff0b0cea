import { defineVocabulary } from './concept';

/**
 * Integration/stackability options, Annex I optional element 15: "stand-alone, independent micro-credential /
 * integrated, stackable towards another credential". Read as the two options the sentence grammatically lists
 * (research notes §1.1); the labels quote the Annex.
 *
 * **Project-defined.** The EU has no vocabulary for this element (ELM only has `elm:isPartialQualification` and
 * part-of links), so this project mints IRIs under `https://w3id.org/microcredentials/vocab/`.
 */
export const Stackability = defineVocabulary(
  'https://w3id.org/microcredentials/vocab/stackability',
  'Integration/stackability options',
  {
    standAlone: {
      id: 'https://w3id.org/microcredentials/vocab/stackability/stand-alone',
      label: 'Stand-alone, independent micro-credential',
    },
    integratedStackable: {
      id: 'https://w3id.org/microcredentials/vocab/stackability/integrated-stackable',
      label: 'Integrated, stackable towards another credential',
    },
  } as const,
  { projectDefined: true },
);
