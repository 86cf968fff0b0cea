import { isMicrocredError } from '../errors';
import { readOnce } from '../shared/read-once';
import type { VerificationReport } from './report';
import type { VerifyNested } from './steps/context';
import type { VerifyOptions } from './options';

/** The JSON-LD context of DIF's Well-Known DID Configuration (v1), as the specification publishes it. */
export const DID_CONFIGURATION_CONTEXT = 'https://identity.foundation/.well-known/did-configuration/v1';
const DID_CONFIGURATION_CONTEXT_DOCUMENT = {
  '@context': [
    {
      '@version': 1.1,
      '@protected': true,
      LinkedDomains: 'https://identity.foundation/.well-known/resources/did-configuration/#LinkedDomains',
      DomainLinkageCredential:
        'https://identity.foundation/.well-known/resources/did-configuration/#DomainLinkageCredential',
      origin: 'https://identity.foundation/.well-known/resources/did-configuration/#origin',
      linked_dids: 'https://identity.foundation/.well-known/resources/did-configuration/#linked_dids',
    },
  ],
};

/** Domain linkage credentials read from one DID configuration: a site links few DIDs, and each costs a verification. */
const MAX_LINKED_DIDS = 8;

/** The outcome of a domain linkage check: whether `origin` vouches for the DID, and in words why (not). */
export interface DomainLinkage {
  linked: boolean;
  message: string;
}

/** `https://host[:port]` of an https URL, or undefined (only https origins can link a DID). */
export function httpsOriginOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DIF Well-Known DID Configuration: does `origin` (the web address the issuer claims) publish, at
 * `/.well-known/did-configuration.json`, a Domain Linkage Credential that the DID signed, naming itself and this
 * origin? Only then do the DID and the domain have one controller. Fetched through the caller's `resolveDocument`
 * (budgeted and host-checked like every other document); each credential is verified with the same pipeline.
 */
export async function checkDomainLinkage(
  did: string,
  origin: string,
  options: VerifyOptions,
  verifyNested: VerifyNested,
  depth: number,
): Promise<DomainLinkage> {
  const resolve = options.resolveDocument;
  if (typeof resolve !== 'function') return { linked: false, message: `${origin} was not asked (no resolveDocument)` };
  const url = `${origin}/.well-known/did-configuration.json`;
  let config: unknown;
  try {
    // Read once, as every document a caller's resolver hands back (../proof/resolver.ts).
    config = await resolve(url);
    if (typeof config === 'object' && config !== null) config = readOnce(config, url);
  } catch (e) {
    return {
      linked: false,
      message: `${url} could not be read: ${isMicrocredError(e) || e instanceof Error ? e.message : String(e)}`,
    };
  }
  const linked =
    typeof config === 'object' && config !== null ? (config as { linked_dids?: unknown }).linked_dids : undefined;
  if (!Array.isArray(linked)) return { linked: false, message: `${url} has no linked_dids` };
  const nestedOptions: VerifyOptions = {
    ...options,
    trust: undefined,
    verifyEndorsements: false,
    contexts: { ...options.contexts, [DID_CONFIGURATION_CONTEXT]: DID_CONFIGURATION_CONTEXT_DOCUMENT },
  };
  const problems: string[] = [];
  for (const entry of linked.slice(0, MAX_LINKED_DIDS)) {
    const report = await verifyNested(entry, nestedOptions, depth + 1, true);
    const problem = linkageProblem(report, did, origin);
    if (problem === undefined) return { linked: true, message: `${origin} links ${did} in its DID configuration` };
    if (problem !== 'other DID') problems.push(problem);
  }
  return {
    linked: false,
    message: problems.length ? `${url} does not link ${did}: ${problems.join('; ')}` : `${url} does not list ${did}`,
  };
}

/** Why this report does not show `origin` linking `did` ('other DID' for a credential about another DID), or undefined. */
function linkageProblem(report: VerificationReport, did: string, origin: string): string | undefined {
  const vc = report.credential;
  const subject = vc?.credentialSubject as Record<string, unknown> | undefined;
  if (!vc || typeof subject !== 'object' || subject === null || subject.id !== did) return 'other DID';
  const types = Array.isArray(vc.type) ? vc.type : [vc.type];
  if (!types.includes('DomainLinkageCredential')) return 'not a DomainLinkageCredential';
  const issuer = typeof vc.issuer === 'string' ? vc.issuer : (vc.issuer as { id?: unknown } | undefined)?.id;
  if (issuer !== did) return 'issued by another DID';
  if (originOf(subject.origin) !== origin) return `made for another origin (${String(subject.origin)})`;
  if (!report.verified)
    return `does not verify (${report.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.message)
      .join('; ')})`;
  if (!report.checks.some((c) => c.check === 'keyBinding' && c.status === 'pass'))
    return "its key is not shown to be the DID's";
  return undefined;
}

/** The specification writes origins with a scheme; its JWT example without. Both compare as `https://host[:port]`. */
function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return httpsOriginOf(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
}
