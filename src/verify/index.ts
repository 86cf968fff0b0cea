export { verify, type VerifyOptions } from './verify';
export type { VerificationReport, Check, CheckName, CheckOutcome, CheckCode, CredentialFormat, InputSource } from './report';
export type { VerifiableInput } from './parse';
export type { ProofOptions } from './proof-step';
