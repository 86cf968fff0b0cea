import { MicrocredError } from '../../errors';
import { defineVocabulary, type ConceptOf } from './concept';

/**
 * Methods of supervision and (ID) verification during assessment ("Europass Standard List of Methods Of Supervision
 * And Verification"), EU scheme `http://data.europa.eu/snb/supervision-verification/25831c2`, used by
 * `elm:idVerification`. Annex I optional element 13.
 *
 * No XSD for this scheme ships with ELM v3, so each IRI below is written by hand and only where a source names it:
 * - `c598449d64` "Unsupervised without ID Verification": the official EDC micro-credential sample
 *   (shared/fixtures/edc/Sample-MC-Annex1-unsigned.jsonld, `credentialSubject.hasClaim…provenBy.idVerification`)
 *   and EDC test data (docs/research-eu-mc.md §2.3).
 * - `70be69aaf9` "Supervised with ID Verification": EDC test data in the european-commission-empl repositories
 *   (docs/research-eu-mc.md §2.3).
 * - `df2880c5cb` "Unsupervised with ID verification": only a third-party implementation uses it
 *   (eduNEXT platform-plugin-elm-credentials, `platform_plugin_elm_credentials` ELMv3 pydantic models, class
 *   `IdVerification`). Kept because its label fits the EU naming pattern; re-check against EU Vocabularies.
 *
 * Not included: the "Supervised without ID verification" concept the scheme is expected to have — its IRI was not
 * found in any available source, and guessing an IRI would emit credentials that point nowhere. Also left out:
 * `44314532f9`, cited without a label in older EDC code comments and labelled just "ID Verification" in older EDC
 * test XML; its meaning relative to the Annex options is unclear.
 */
export const SupervisionVerification = defineVocabulary(
  'http://data.europa.eu/snb/supervision-verification/25831c2',
  'Methods of supervision and verification',
  {
    unsupervisedWithoutIdVerification: {
      id: 'http://data.europa.eu/snb/supervision-verification/c598449d64',
      label: 'Unsupervised without ID Verification',
    },
    unsupervisedWithIdVerification: {
      id: 'http://data.europa.eu/snb/supervision-verification/df2880c5cb',
      label: 'Unsupervised with ID verification',
    },
    supervisedWithIdVerification: {
      id: 'http://data.europa.eu/snb/supervision-verification/70be69aaf9',
      label: 'Supervised with ID Verification',
    },
  } as const,
);

/**
 * The three options Annex I of the Council Recommendation (2022/C 243/02) names for element 13: "unsupervised with
 * no identity verification, supervised with no identity verification, supervised online or onsite with identity
 * verification".
 */
export type AnnexSupervisionOption =
  | 'unsupervised-no-id-verification'
  | 'supervised-no-id-verification'
  | 'supervised-with-id-verification';

/** A concept of the supervision and identity verification vocabulary. */
export type SupervisionVerificationConcept = ConceptOf<typeof SupervisionVerification>;

const ANNEX_OPTION_BY_IRI: ReadonlyMap<string, AnnexSupervisionOption> = new Map<string, AnnexSupervisionOption>([
  [SupervisionVerification.unsupervisedWithoutIdVerification.id, 'unsupervised-no-id-verification'],
  [SupervisionVerification.unsupervisedWithIdVerification.id, 'unsupervised-no-id-verification'],
  [SupervisionVerification.supervisedWithIdVerification.id, 'supervised-with-id-verification'],
]);

/**
 * Maps an EU supervision/verification concept to the Annex I option it expresses.
 *
 * "Unsupervised with ID verification" has no Annex option of its own. It maps to
 * `unsupervised-no-id-verification` because the Annex options are ordered by supervision first: reporting an
 * unsupervised assessment as "supervised" would overstate it, while dropping the ID check only understates it.
 * Throws INVALID_ELEMENT for a concept outside this scheme.
 */
export function annexSupervisionOption(concept: { readonly id: string }): AnnexSupervisionOption {
  const option = ANNEX_OPTION_BY_IRI.get(concept?.id);
  if (option === undefined) {
    throw new MicrocredError(
      'INVALID_ELEMENT',
      `${String(concept?.id)} is not a known concept of ${SupervisionVerification.$scheme}`,
    );
  }
  return option;
}

/**
 * The EU concept that states an Annex option exactly, or undefined where no such concept is known: for
 * `supervised-no-id-verification` the EU IRI could not be sourced (see above), so a builder has to say it in text.
 */
export function supervisionConceptFor(option: AnnexSupervisionOption): SupervisionVerificationConcept | undefined {
  switch (option) {
    case 'unsupervised-no-id-verification':
      return SupervisionVerification.unsupervisedWithoutIdVerification;
    case 'supervised-with-id-verification':
      return SupervisionVerification.supervisedWithIdVerification;
    default:
      return undefined;
  }
}
