// `microcredentials/jsonld`: the JSON-LD side: the contexts bundled with the library, the offline document loader,
// JSON-LD expansion and RDFC-1.0 canonicalization (the same bytes as jsonld.js). Isomorphic. api/jsonld.api.md
// records the list.
export {
  bundledContextUrls,
  createDocumentLoader,
  defaultDocumentLoader,
  isKnownContext,
  MICROCREDENTIALS_CONTEXT_V1,
  OB_CONTEXT_303,
  OB_EXTENSIONS_CONTEXT,
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
  type DocumentLoader,
  type DocumentLoaderOptions,
  type RemoteDocument,
} from '../jsonld/loader';
export { canonicalizeRdf, expand, MAX_DOCUMENT_BYTES, type CanonizeOptions } from '../jsonld/canonize';
