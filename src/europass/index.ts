/**
 * `microcredentials/europass`: Europass (ELM v3 European Digital Credential) export and import. A mapping between
 * the typed EU view (`readMicroCredential`) and ELM; see docs/europass.md.
 */
export { toEuropass, awardAsEuropass, IDENTITY_OBJECT_SCHEME, type EuropassExportOptions } from './to-europass';
export { fromEuropass, reissueFromEuropass, MAX_EUROPASS_DOCUMENT_CHARS, type EuropassImport } from './from-europass';
export { EDC_AP_CONTEXT, EDC_GENERIC_FULL_PROFILE, VC_CONTEXT_V1_URL, type ElmNode, type ElmValue } from './elm-json';
export { GRADING_SCALE_SCHEME, type GradingScale } from '../read/grading-scale';
