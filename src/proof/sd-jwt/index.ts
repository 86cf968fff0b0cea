export {
  EU_MICROCREDENTIAL_VCT,
  SD_JWT_CLAIMS,
  sdJwtVcClaims,
  viewFromSdJwtClaims,
  type DisclosureFrame,
  type ConceptClaim,
} from './claims';
export {
  EU_MICROCREDENTIAL_TYPE_METADATA,
  type SdJwtVcTypeMetadata,
  type TypeMetadataClaim,
  type ClaimDisplay,
} from './type-metadata';
export { issueSdJwtVc, type SdJwtVcIssueOptions } from './issue';
export { presentSdJwt, type PresentSdJwtOptions } from './present';
export {
  splitSdJwt,
  unpackSdJwt,
  looksLikeSdJwt,
  MAX_DISCLOSURES,
  type SdJwtParts,
  type UnpackedClaims,
} from './disclosures';
export { verifyKeyBindingJwt, type KeyBindingExpectations, type KeyBindingResult } from './key-binding';
export {
  signTokenStatusList,
  tokenStatusListUri,
  readTokenStatus,
  decodeTokenStatusList,
  tokenListBytesFromBitstring,
  type TokenStatusListOptions,
} from './status-list';
