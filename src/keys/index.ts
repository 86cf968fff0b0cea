export {
  generateKey,
  importKey,
  usePureJsEd25519,
  useEd25519Backend,
  type Ed25519Backend,
  encodePublicKeyMultibase,
  type Ed25519Key,
  type KeyImport,
  type KeyOptions,
} from './multikey';
export {
  didKeyDocument,
  didWebDocument,
  didWebUrl,
  parseVerificationMethodId,
  type DidDocument,
  type ParsedVerificationMethod,
} from './did';
export { generateJwtKey, importJwk, exportJwks, jwtKeyFromEd25519, type JwtKey, type JwtAlgorithm } from './jwt-keys';
