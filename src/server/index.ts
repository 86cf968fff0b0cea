// `microcredentials/server`: the issuing service (W3C VC API, OpenID4VCI, hosting) as a Hono app, its Node runner,
// its bearer tokens and its credential offers. A client of `microcredentials` and `microcredentials/node`.
export { createServiceApp, PAGE_CSP, type ServiceOptions } from './app';
export { startService, type RunningService } from './serve';
export {
  createServiceToken,
  listServiceTokens,
  revokeServiceToken,
  tokenChecker,
  TOKENS_FILE,
  type ServiceTokenInfo,
} from './tokens';
export { createOffers, MAX_TX_CODE_ATTEMPTS, OFFERS_DIR, type CreateOffersInput, type CreatedOffer } from './offers';
export { WALLET_FORMATS, PROOF_ALGORITHMS, type WalletFormat } from './wallet-formats';
export {
  toVerificationResult,
  VC_API_ISSUE_FORMATS,
  type VerificationProblem,
  type VerificationResult,
} from './vc-api';
export { holderJwk, type Oid4vciOptions } from './oid4vci';
export { openApiDocument } from './openapi';
export type { ServiceErrorBody } from './http';
