// `microcredentials/proof`: Data Integrity proofs and JWTs one by one, below `issue` and `verify`: creating and
// verifying a proof or a proof set, JCS canonicalization, verification-method resolvers, signing and verifying JWTs,
// multikey encoding and the Ed25519 backend switch. Isomorphic. api/proof.api.md records the list.
export {
  createProof,
  verifyProof,
  verifyProofSet,
  canonicalizeJcs,
  createResolver,
  localResolver,
  signJwt,
  signJwtPayload,
  verifyJwt,
  type Canonicalizer,
  type CreateProofOptions,
  type Cryptosuite,
  type JwtVerification,
  type Proof,
  type ProofFailureCode,
  type ProofSetOptions,
  type ProofSetVerification,
  type ProofVerification,
  type ResolvedVerificationMethod,
  type ResolverOptions,
  type SignJwtOptions,
  type VerifyJwtOptions,
  type VerifyProofOptions,
} from '../proof/index';
export { useEd25519Backend, encodePublicKeyMultibase, parseVerificationMethodId, type Ed25519Backend, type ParsedVerificationMethod } from '../keys/index';
