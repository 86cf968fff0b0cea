import { MicrocredError } from '../errors';
import { BUNDLED_CONTEXTS } from './contexts.generated';
import { readOnce } from '../shared/read-once';

/** What jsonld.js expects from a document loader. */
export interface RemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}
/** Returns the JSON-LD document at a URL (the library's own never fetches: it knows the bundled contexts only). */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Options of `createDocumentLoader`: extra contexts to serve besides the bundled ones, and a fetcher for any other. */
export interface DocumentLoaderOptions {
  /** Extra contexts (or other JSON-LD documents) by URL, e.g. an issuer's own extension context. */
  contexts?: Readonly<Record<string, unknown>>;
  /**
   * Opt-in network access for anything not bundled. Off by default: an unknown context is an
   * `UNKNOWN_CONTEXT` error, because a verifier that fetches contexts lets whoever controls that URL
   * change what a signature means.
   */
  fetchContext?: (url: string) => Promise<unknown>;
}

export {
  MICROCREDENTIALS_CONTEXT_V1,
  VC_CONTEXT_V2,
  VC_CONTEXT_V1,
  OB_CONTEXT_303,
  OB_EXTENSIONS_CONTEXT,
} from '../shared/contexts';

/** The URLs of every JSON-LD context bundled with the library (served offline by the default loader). */
export function bundledContextUrls(): string[] {
  return Object.keys(BUNDLED_CONTEXTS);
}

/** True when `url` is a bundled context or a key of `extra` (contexts the caller supplies). */
export function isKnownContext(url: string, extra?: Readonly<Record<string, unknown>>): boolean {
  return Object.hasOwn(BUNDLED_CONTEXTS, url) || (extra !== undefined && Object.hasOwn(extra, url));
}

/**
 * An offline document loader over the bundled contexts plus any the caller adds.
 * Returned documents are the shared frozen objects; jsonld.js never mutates them.
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const extra = options.contexts ?? {};
  const fetchContext = options.fetchContext;
  return async (url: string): Promise<RemoteDocument> => {
    const doc = Object.hasOwn(extra, url)
      ? extra[url]
      : Object.hasOwn(BUNDLED_CONTEXTS, url)
        ? BUNDLED_CONTEXTS[url]
        : undefined;
    if (doc !== undefined) return { contextUrl: null, documentUrl: url, document: doc };
    if (fetchContext) {
      const fetched = await fetchContext(url);
      return { contextUrl: null, documentUrl: url, document: fetched };
    }
    throw new MicrocredError(
      'UNKNOWN_CONTEXT',
      `Unknown JSON-LD context ${url}: it is not bundled and network access is off`,
      {
        path: '$["@context"]',
      },
    );
  };
}

/** The loader used when the caller gives none: bundled contexts only, never the network. */
export const defaultDocumentLoader: DocumentLoader = createDocumentLoader();

/**
 * The offline loader `createDocumentLoader({ contexts })` would make, made once: the default loader when the caller
 * adds no contexts, else one per contexts object (it reads that object at each call, as a new one would). Verify and
 * issue ask for one per call; the fast paths take the default loader at its word, but must ask any other for every
 * context URL of every document (is it still the bundled context?), a dozen promises per verification.
 */
export function offlineDocumentLoader(contexts: Readonly<Record<string, unknown>> | null | undefined): DocumentLoader {
  // `?? {}` as callers wrote it: null adds nothing either. Anything else that is not an object is left as it was.
  if (contexts === undefined || contexts === null) return defaultDocumentLoader;
  if (typeof contexts !== 'object') return createDocumentLoader({ contexts });
  let loader = offlineLoaders.get(contexts);
  if (loader === undefined) {
    loader = createDocumentLoader({ contexts });
    offlineLoaders.set(contexts, loader);
  }
  return loader;
}
/** Weakly held: a caller's contexts object (never a holder's input), gone with it. */
const offlineLoaders = new WeakMap<object, DocumentLoader>();

/**
 * A caller's loader for one verification: each URL asked once, and what it serves read once into plain data (the
 * bundled contexts, frozen and ours, passed as they are). The form check, the safe-mode expansion and the
 * canonicalization each load a document's contexts; asked again, a loader that fetches (or a getter in a context it
 * serves) could show the checks one meaning of a key and the signature another, the split the compacted-form rule
 * exists to close.
 */
export function loadingOnce(loader: DocumentLoader): DocumentLoader {
  if (loader === defaultDocumentLoader) return loader;
  const asked = new Map<string, Promise<RemoteDocument>>();
  return (url) => {
    let answer = asked.get(url);
    if (!answer) {
      answer = Promise.resolve(url)
        .then(loader)
        .then(({ contextUrl, documentUrl, document }) => ({
          contextUrl,
          documentUrl,
          document:
            typeof document !== 'object' || document === null || document === BUNDLED_CONTEXTS[url]
              ? document
              : readOnce(document, `The context ${url}`),
        }));
      asked.set(url, answer);
    }
    return answer;
  };
}
