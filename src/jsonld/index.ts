export * from './loader';
export { canonicalizeRdf, expand, toMicrocredError, MAX_DOCUMENT_BYTES, type CanonizeOptions } from './canonize';
export { fastCanonize, checkSafeMode, canonizeStats, resetCanonizeStats, type CanonizeStats } from './fast/index';
