export * from './loader';
export { canonize, expand, toMicrocredError, MAX_DOCUMENT_BYTES, type CanonizeOptions } from './canonize';
