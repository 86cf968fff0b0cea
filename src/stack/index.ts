export { verifyStack, type StackPartInput, type StackReport, type VerifyStackInput } from './verify-stack';
export {
  awardProgramme,
  type AwardProgrammeOptions,
  type ProgrammeCredential,
  type RelatedResource,
} from './award-programme';
export { credentialDigest, digestMatches, digestedBytes } from './digest';
export { partPassed, subjectMatchesLearner, type StackCheck, type StackCheckName, type StackCode } from './rules';
export {
  buildClr,
  verifyClr,
  isClrCredential,
  CLR_CONTEXT_V2,
  CLR_CREDENTIAL_SCHEMA,
  type BuildClrOptions,
  type ClrAssociation,
  type ClrCredential,
  type ClrReport,
  type VerifyClrOptions,
} from './clr';
