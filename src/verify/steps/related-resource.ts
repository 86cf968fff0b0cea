import { MicrocredError } from '../../errors';
import { isPrivateHostUrl } from '../../proof/host-guard';
import type { ReportBuilder } from '../report';
import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadRelatedResourceChecks = onDemand(() => import('../../vcdm/related-resource'));

/**
 * The credential chooses these URLs: the caller's fetcher is never handed its own network (loopback, private,
 * link-local — cloud metadata —, as for did:web hosts and status lists) nor a local file. URLs without a host
 * (`urn:`, `data:`, `did:`) are the caller's fetcher's to map, or refuse.
 */
function guardedFetch(
  fetchResource: (url: string) => Promise<Uint8Array>,
  allowPrivateHosts: boolean,
): (url: string) => Promise<Uint8Array> {
  return async (url) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol === 'file:')
      throw new MicrocredError(
        'INVALID_INPUT',
        `Not fetching ${url}: a credential cannot make the verifier read a local file`,
      );
    if (!allowPrivateHosts && (parsed === undefined || parsed.host !== '') && isPrivateHostUrl(url)) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `Not fetching ${url}: it names a loopback, private or link-local host (pass allowPrivateHosts: true to allow it)`,
      );
    }
    return fetchResource(url);
  };
}

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
  // The digest code (SHA-2 and SHA-3 of three sizes) loads on demand, for the credentials that name related resources.
  const { checkRelatedResource, compareRelatedResourceDigests } = await loadRelatedResourceChecks();
  const problems = checkRelatedResource(credential);
  if (problems.length) {
    for (const p of problems) report.fail('relatedResource', 'INVALID_INPUT', p.message, p.path);
    return;
  }
  if (!fetchResource) {
    report.skip(
      'relatedResource',
      'The credential names related resources with digests, but no fetchResource was given, so they were not compared',
    );
    return;
  }
  for (const r of await compareRelatedResourceDigests(credential, guardedFetch(fetchResource, allowPrivateHosts))) {
    if (r.status === 'match') report.pass('relatedResource', r.message, { path: r.path });
    else if (r.status === 'mismatch') report.fail('relatedResource', 'RELATED_RESOURCE_MISMATCH', r.message, r.path);
    else report.warn('relatedResource', r.message, { path: r.path });
  }
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
