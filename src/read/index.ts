export { readMicroCredential, type MicroCredentialView, type ConceptValue, type ElementPresence } from './read';
export { ANNEX_I_ELEMENTS, type AnnexElementKey, type MandatoryElementKey } from './annex';
