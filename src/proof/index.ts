export {
  createProof,
  verifyProof,
  verifyProofSet,
  startProofSet,
  computeHashData,
  type Cryptosuite,
  type Canonicalizer,
  type Proof,
  type CreateProofOptions,
  type ProofVerification,
  type ProofSetVerification,
  type ProofSetOptions,
  type ProofSetRun,
  type ProofFailureCode,
  type VerifyProofOptions,
} from './data-integrity';
export { canonicalizeJcs } from './jcs';
export {
  createResolver,
  localResolver,
  findMethod,
  fetchControllerDocument,
  issuerAssertionKeys,
  withTimeout,
  type ResolvedVerificationMethod,
  type ResolverOptions,
} from './resolver';
export { isPrivateHostUrl } from './host-guard';
export {
  signJwt,
  signJwtPayload,
  verifyJwt,
  type SignJwtOptions,
  type VerifyJwtOptions,
  type JwtVerification,
} from './jwt';
