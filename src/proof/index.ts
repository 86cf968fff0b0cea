export { createProof, verifyProof, computeHashData, type Cryptosuite, type Proof, type CreateProofOptions, type ProofVerification, type VerifyProofOptions } from './data-integrity';
export { canonicalizeJcs } from './jcs';
export { createResolver, findMethod, withTimeout, type ResolvedVerificationMethod, type ResolverOptions } from './resolver';
export { signJwt, verifyJwt, type SignJwtOptions, type VerifyJwtOptions, type JwtVerification } from './jwt';
