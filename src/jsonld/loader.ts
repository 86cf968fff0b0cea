import { MicrocredError } from '../errors';
import { BUNDLED_CONTEXTS } from './contexts.generated';

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
