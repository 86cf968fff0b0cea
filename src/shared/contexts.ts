/** The JSON-LD context URLs the library writes and checks for, in one place (they were spelled out in four). */

/** The URL of this project's own context (bundled; published at this address). */
export const MICROCREDENTIALS_CONTEXT_V1 = 'https://w3id.org/microcredentials/v1';
/** W3C Verifiable Credentials Data Model 2.0: the first `@context` of every credential the library issues. */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/** W3C Verifiable Credentials Data Model 1.1: still read (older badges and status lists). */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
/** Open Badges 3.0 (version 3.0.3 of its context). */
export const OB_CONTEXT_303 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Open Badges 3.0 extensions. */
export const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
