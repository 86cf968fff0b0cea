export {
  Bitstring,
  encodeBitstring,
  decodeBitstring,
  MIN_STATUS_LIST_ENTRIES,
  MAX_DECOMPRESSED_BYTES,
} from './bitstring';
export type { BitstringOptions, DecodeOptions } from './bitstring';
export { IndexAllocator } from './allocate';
export type { IndexAllocatorOptions } from './allocate';
export { statusListEntry, statusListCredential } from './credential';
export type {
  StatusPurpose,
  StatusMessage,
  BitstringStatusListEntry,
  BitstringStatusListCredential,
  StatusListEntryInput,
  StatusListCredentialInput,
} from './credential';
export { checkStatus } from './check';
export type { CheckStatusOptions, StatusCheckResult, StatusOutcome, StatusCode, StatusListVerdict } from './check';
