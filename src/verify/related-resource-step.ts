import { checkRelatedResource, compareRelatedResourceDigests } from '../vcdm/related-resource';
import type { ReportBuilder } from './report';

/**
 * relatedResource (VC DM 2.0 §5.3): the structure is always checked; the digests are compared only when the caller
 * passes `fetchResource` (nothing is fetched otherwise), and the report then says they were not compared.
 */
export async function checkRelatedResources(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  fetchResource: ((url: string) => Promise<Uint8Array>) | undefined,
): Promise<void> {
  if (!('relatedResource' in credential)) return;
  const problems = checkRelatedResource(credential);
  if (problems.length) {
    for (const p of problems) report.fail('relatedResource', 'INVALID_INPUT', p.message, p.path);
    return;
  }
  if (!fetchResource) {
    report.skip('relatedResource', 'The credential names related resources with digests, but no fetchResource was given, so they were not compared');
    return;
  }
  for (const r of await compareRelatedResourceDigests(credential, fetchResource)) {
    if (r.status === 'match') report.pass('relatedResource', r.message, { path: r.path });
    else if (r.status === 'mismatch') report.fail('relatedResource', 'RELATED_RESOURCE_MISMATCH', r.message, r.path);
    else report.warn('relatedResource', r.message, { path: r.path });
  }
}
