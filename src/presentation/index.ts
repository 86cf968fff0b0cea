export {
  createPresentation,
  signPresentation,
  type CreatePresentationInput,
  type PresentationFormat,
  type SignPresentationOptions,
} from './create';
export {
  verifyPresentation,
  MAX_PRESENTED_CREDENTIALS,
  type PresentationReport,
  type VerifyPresentationOptions,
} from './verify';
export { checkPresentationModel, type Presentation } from './model';
