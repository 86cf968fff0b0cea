import { MicrocredError } from '../../errors';
import { isPrivateHostUrl } from '../../proof/host-guard';
import { checkRelatedResource, compareRelatedResourceDigests } from '../../vcdm/related-resource';
import type { ReportBuilder } from '../report';

/*
 * The related-resource step's checks (./related-resource.ts finds whether there is anything to check): a module of
 * its own, loaded on demand with the digest code (SHA-2 and SHA-3 of three sizes), for the credentials that name
 * related resources.
 */

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

/** The checks of {@link checkRelatedResources}, for a credential with a `relatedResource` property. */
export async function checkPresentRelatedResources(
  credential: Record<string, unknown>,
  report: ReportBuilder,
  fetchResource: ((url: string) => Promise<Uint8Array>) | undefined,
  allowPrivateHosts: boolean,
): Promise<void> {
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
