export { verify, type VerifyOptions } from './verify';
export type { VerificationReport, Check, CheckName, CheckOutcome, CheckCode, CredentialFormat, InputSource } from './report';
export type { VerifiableInput, ParsedInput } from './parse';
export { parseCredential } from './unbake-step';
export type { ProofOptions } from './proof-step';
