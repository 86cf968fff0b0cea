import type { ReportBuilder } from '../report';
import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadRelatedResourceChecks = onDemand(() => import('./related-resource-checks'));

/**
 * relatedResource (VC DM 2.0 §5.3): the structure is always checked; the digests are compared only when the caller
 * passes `fetchResource` (nothing is fetched otherwise), and the report then says they were not compared.
 */
export async function checkRelatedResources(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  fetchResource: ((url: string) => Promise<Uint8Array>) | undefined,
  allowPrivateHosts = false,
): Promise<void> {
  if (!('relatedResource' in credential)) return;
  // The checks and the digest code load on demand, for the credentials that name related resources.
  const { checkPresentRelatedResources } = await loadRelatedResourceChecks();
  await checkPresentRelatedResources(credential, report, fetchResource, allowPrivateHosts);
}

/** Related-resource step: the digests of VC DM 2.0 `relatedResource` entries, when the caller can fetch them. */
export async function relatedResourceStep(ctx: VerifyContext): Promise<void> {
  await checkRelatedResources(
    ctx.credential,
    ctx.report,
    ctx.options.fetchResource,
    ctx.options.allowPrivateHosts === true,
  );
}
