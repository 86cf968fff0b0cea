export { verify } from './verify';
export type { VerifyOptions } from './options';
export type {
  VerificationReport,
  Check,
  CheckName,
  CheckOutcome,
  CheckCode,
  CredentialFormat,
  InputSource,
} from './report';
export type { VerifiableInput, ParsedInput } from './parse';
export { parseCredential } from './parse-credential';
export type { ProofOptions } from './options';
