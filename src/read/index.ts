export {
  readMicroCredential,
  type MicroCredentialView,
  type ConceptValue,
  type ElementPresence,
  type ElementSource,
  type LabelledValue,
} from './read';
export { ANNEX_I_ELEMENTS, type AnnexElementKey, type MandatoryElementKey } from './annex';
export { checkConsistency, ECTS_HOURS_RANGE, type ConsistencyProblem } from './consistency';
