/**
 * The 16 elements of Annex I of the Council Recommendation of 16 June 2022 on a European approach to
 * micro-credentials (2022/C 243/02): 11 mandatory, 5 optional ("where relevant").
 */
export const ANNEX_I_ELEMENTS = [
  { n: 1, key: 'learner', mandatory: true, label: 'Identification of the learner' },
  { n: 2, key: 'title', mandatory: true, label: 'Title of the micro-credential' },
  { n: 3, key: 'country', mandatory: true, label: 'Country(ies)/Region(s) of the issuer' },
  { n: 4, key: 'awardingBody', mandatory: true, label: 'Awarding body(ies)' },
  { n: 5, key: 'dateOfIssuing', mandatory: true, label: 'Date of issuing' },
  { n: 6, key: 'learningOutcomes', mandatory: true, label: 'Learning outcomes' },
  {
    n: 7,
    key: 'workload',
    mandatory: true,
    label: 'Notional workload needed to achieve the learning outcomes (in ECTS, wherever possible)',
  },
  {
    n: 8,
    key: 'level',
    mandatory: true,
    label: 'Level (and cycle, if applicable) of the learning experience (EQF, QF-EHEA), if applicable',
  },
  { n: 9, key: 'assessment', mandatory: true, label: 'Type of assessment' },
  { n: 10, key: 'participation', mandatory: true, label: 'Form of participation in the learning activity' },
  {
    n: 11,
    key: 'qualityAssurance',
    mandatory: true,
    label: 'Type of quality assurance used to underpin the micro-credential',
  },
  { n: 12, key: 'prerequisites', mandatory: false, label: 'Prerequisites needed to enrol in the learning activity' },
  { n: 13, key: 'supervision', mandatory: false, label: 'Supervision and identity verification during assessment' },
  { n: 14, key: 'grade', mandatory: false, label: 'Grade achieved' },
  { n: 15, key: 'stackability', mandatory: false, label: 'Integration/stackability options' },
  { n: 16, key: 'furtherInformation', mandatory: false, label: 'Further information' },
] as const;

/** The key of an Annex I element in `ANNEX_I_ELEMENTS` (e.g. `'learningOutcomes'`). */
export type AnnexElementKey = (typeof ANNEX_I_ELEMENTS)[number]['key'];
/** The key of an Annex I element that is mandatory. */
export type MandatoryElementKey = Extract<(typeof ANNEX_I_ELEMENTS)[number], { mandatory: true }>['key'];
