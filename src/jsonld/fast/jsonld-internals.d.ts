// jsonld.js ships no types. The fast path reuses jsonld's own context processing (so term definitions are
// exactly what jsonld computes) and IRI expansion over a processed context; these are the few internal
// functions and the shape of the active context it relies on (jsonld 9, lib/context.js and lib/ContextResolver.js).
declare module 'jsonld/lib/context.js' {
  /** A processed ("active") context as jsonld 9 represents it. */
  export interface JsonLdActiveContext {
    mappings: Map<string, JsonLdTermDefinition | null>;
    previousContext?: JsonLdActiveContext;
    processingMode?: string;
    '@vocab'?: string;
    '@base'?: string | null;
    '@language'?: string;
    '@direction'?: string;
    protected: Record<string, boolean>;
    /** A copy sharing jsonld.js's methods (`_cloneActiveContext`). */
    clone(): JsonLdActiveContext;
  }
  export interface JsonLdTermDefinition {
    '@id'?: string;
    '@type'?: string;
    '@container'?: string[];
    '@context'?: unknown;
    '@language'?: string | null;
    '@direction'?: string | null;
    '@index'?: string;
    '@nest'?: string;
    reverse?: boolean;
    protected?: boolean;
    _prefix?: boolean;
  }
  interface ContextApi {
    process(args: {
      activeCtx: JsonLdActiveContext;
      localCtx: unknown;
      options: Record<string, unknown>;
      propagate?: boolean;
      overrideProtected?: boolean;
    }): Promise<JsonLdActiveContext>;
    getInitialContext(options: Record<string, unknown>): JsonLdActiveContext;
    expandIri(
      activeCtx: JsonLdActiveContext,
      value: string,
      relativeTo: { vocab?: boolean; base?: boolean },
      options: Record<string, unknown>,
    ): string | null;
  }
  const api: ContextApi;
  export default api;
}

declare module 'jsonld/lib/ContextResolver.js' {
  class ContextResolver {
    constructor(args: { sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown } });
  }
  export default ContextResolver;
}

// rdf-canonize 5 ships no types either; the fast path hands it a dataset of quads in jsonld's toRDF shape.
declare module 'rdf-canonize' {
  export function canonize(dataset: unknown, options: Record<string, unknown>): Promise<string>;
}
