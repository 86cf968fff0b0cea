export { verifyStack, type StackPartInput, type StackReport, type VerifyStackInput } from './verify-stack';
export { awardProgramme, type AwardProgrammeOptions, type ProgrammeCredential, type RelatedResource } from './award-programme';
export { credentialDigest, digestMatches, digestedBytes } from './digest';
export { partPassed, subjectMatchesLearner, type StackCheck, type StackCheckName, type StackCode } from './rules';
