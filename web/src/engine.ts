/**
 * The verifying half of the page, loaded on the first credential (a separate chunk: the page shell paints without
 * it). It calls the library's verifiers through its public entry with fetchers built on window.fetch, and reports
 * every address it asks for. It decides nothing itself: the verdict is the library's (report.verdict).
 */
import {
  createFetchers,
  generateKey,
  issue,
  learnerMatches,
  parseTrustSource,
  verify,
  verifyPresentation,
  verifyStack,
  type PresentationReport,
  type StackReport,
  type TrustSource,
  type VerificationReport,
} from 'microcredentials';
import { OB_CONTEXT_303, VC_CONTEXT_V2 } from 'microcredentials/jsonld';
import { asVerifiable, kindOf, type FileKind, type LoadedFile } from './input';

export { learnerMatches };

/** A trusted-issuer list the user added: by address (fetched when needed, listed) or from a file. */
export type TrustSetting = { kind: 'url'; name: string; url: string } | { kind: 'file'; name: string; json: unknown };

export interface CheckSettings {
  trust: readonly TrustSetting[];
  /** Tests only (a build flag gates it): let the fetchers reach 127.0.0.1, where the tests serve lists. */
  allowPrivateNetwork: boolean;
  /** Told every address the page asks for, before it asks. */
  onRequest: (url: string) => void;
}

export type CheckResult =
  | { kind: 'credential'; file: LoadedFile; fileKind: FileKind; report: VerificationReport }
  | { kind: 'stack'; files: readonly LoadedFile[]; fileKinds: readonly FileKind[]; report: StackReport }
  | { kind: 'presentation'; file: LoadedFile; report: PresentationReport }
  | { kind: 'refused'; messageKey: 'input.presentationInStack'; params: Record<string, string> };

/** Lists fetched by address are kept for the page's lifetime: one request per list, not one per check. */
const fetchedTrust = new Map<string, Promise<TrustSource>>();

function fetchersFor(settings: CheckSettings) {
  return createFetchers({
    fetch: globalThis.fetch.bind(globalThis),
    allowPrivateNetwork: settings.allowPrivateNetwork,
    onRequest: settings.onRequest,
  });
}

async function trustSources(settings: CheckSettings, fetchers: ReturnType<typeof fetchersFor>): Promise<TrustSource[]> {
  return Promise.all(
    settings.trust.map((source) => {
      if (source.kind === 'file') return Promise.resolve(parseTrustSource(source.json, { name: source.name }));
      let loading = fetchedTrust.get(source.url);
      if (!loading) {
        loading = loadTrustSource(source.url, source.name, fetchers);
        fetchedTrust.set(source.url, loading);
        loading.catch(() => fetchedTrust.delete(source.url));
      }
      return loading;
    }),
  );
}

async function loadTrustSource(url: string, name: string, fetchers: ReturnType<typeof fetchersFor>): Promise<TrustSource> {
  if (!fetchers.fetchResource) throw new Error('no fetcher');
  const bytes = await fetchers.fetchResource(url);
  return parseTrustSource(JSON.parse(new TextDecoder().decode(bytes)) as unknown, { name });
}

/** Checks a trust list before it is added, so a wrong file is refused in the settings rather than at every check. */
export async function readTrustSetting(source: TrustSetting, settings: CheckSettings): Promise<void> {
  await trustSources({ ...settings, trust: [source] }, fetchersFor(settings));
}

/** Fetches a credential named by the page's ?url= (bounded and listed like every other request). */
export async function fetchLinked(url: string, settings: CheckSettings): Promise<LoadedFile> {
  const fetchers = fetchersFor(settings);
  if (!fetchers.fetchResource) throw new Error('no fetcher');
  const bytes = await fetchers.fetchResource(url);
  const name = new URL(url).pathname.split('/').pop() || url;
  return { name, bytes };
}

/** One file: verify (or verifyPresentation); several: verifyStack, which verifies each on its own too. */
export async function check(files: readonly LoadedFile[], settings: CheckSettings): Promise<CheckResult> {
  const fetchers = fetchersFor(settings);
  const options = {
    ...fetchers,
    // Lists the reader trusts, and a did:web or https issuer's own web domain: the verdict names which confirmed it.
    trust: { sources: await trustSources(settings, fetchers), webDomain: true },
    ...(settings.allowPrivateNetwork ? { allowPrivateHosts: true } : {}),
  };
  const kinds = files.map(kindOf);
  if (files.length === 1) {
    const file = files[0]!;
    // The page asks for nothing (no challenge), so a presentation reaches it as a file, often days after it was
    // signed: no age limit, and the summary says what such a presentation does and does not show.
    if (kinds[0] === 'presentation')
      return { kind: 'presentation', file, report: await verifyPresentation(asVerifiable(file), { ...options, maxAgeSeconds: Number.POSITIVE_INFINITY }) };
    return { kind: 'credential', file, fileKind: kinds[0]!, report: await verify(asVerifiable(file), options) };
  }
  const presentation = kinds.indexOf('presentation');
  if (presentation >= 0) return { kind: 'refused', messageKey: 'input.presentationInStack', params: { name: files[presentation]!.name } };
  return { kind: 'stack', files, fileKinds: kinds, report: await verifyStack({ ...options, credentials: files.map(asVerifiable) }) };
}

/**
 * Runs the verifier once on a throwaway credential signed here, while the reader is still finding a file: the
 * library's own lazy parts (JSON-LD, canonicalization, JWT) load and compile now instead of on the first drop.
 * Nothing leaves the browser (a did:key needs no lookup) and the result is thrown away.
 */
export async function warmUp(): Promise<void> {
  const key = generateKey();
  const credential = {
    '@context': [VC_CONTEXT_V2, OB_CONTEXT_303],
    id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: key.controller, type: ['Profile'], name: 'Warm-up' },
    validFrom: '2024-01-01T00:00:00Z',
    name: 'Warm-up',
    credentialSubject: { type: ['AchievementSubject'], achievement: { id: 'urn:uuid:00000000-0000-4000-8000-000000000001', type: ['Achievement'], name: 'Warm-up', description: 'Warm-up', criteria: { narrative: 'Warm-up' } } },
  };
  await verify(await issue(credential as never, { key }));
}
