import { defineVocabulary } from './concept';

/**
 * Cycles of the Qualifications Framework of the European Higher Education Area (Bologna), Annex I element 8
 * "Level (and cycle, if applicable)".
 *
 * **Project-defined.** Neither ELM nor EU Vocabularies has a concept scheme for QF-EHEA cycles (research notes
 * §2.3), so this project mints IRIs under its own namespace `https://w3id.org/microcredentials/vocab/`.
 * `eqfLevel` is the EQF level each cycle typically corresponds to (QF-EHEA/EQF compatibility: short cycle ↔ 5,
 * first ↔ 6, second ↔ 7, third ↔ 8); it is a typical mapping, not a rule — a national framework can place a
 * qualification differently.
 */
export const QfEheaCycle = defineVocabulary(
  'https://w3id.org/microcredentials/vocab/qf-ehea',
  'QF-EHEA cycle',
  {
    shortCycle: {
      id: 'https://w3id.org/microcredentials/vocab/qf-ehea/short-cycle',
      label: 'Short cycle (within or linked to the first cycle)',
      notation: 'short',
      eqfLevel: 5,
    },
    firstCycle: {
      id: 'https://w3id.org/microcredentials/vocab/qf-ehea/first-cycle',
      label: 'First cycle',
      notation: '1',
      eqfLevel: 6,
    },
    secondCycle: {
      id: 'https://w3id.org/microcredentials/vocab/qf-ehea/second-cycle',
      label: 'Second cycle',
      notation: '2',
      eqfLevel: 7,
    },
    thirdCycle: {
      id: 'https://w3id.org/microcredentials/vocab/qf-ehea/third-cycle',
      label: 'Third cycle',
      notation: '3',
      eqfLevel: 8,
    },
  } as const,
  { projectDefined: true },
);
