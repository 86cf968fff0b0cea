import { checkRelatedResources } from '../related-resource-step';
import type { VerifyContext } from './context';

/** Related-resource step: the digests of VC DM 2.0 `relatedResource` entries, when the caller can fetch them. */
export async function relatedResourceStep(ctx: VerifyContext): Promise<void> {
  await checkRelatedResources(ctx.credential, ctx.report, ctx.options.fetchResource, ctx.options.allowPrivateHosts === true);
}
