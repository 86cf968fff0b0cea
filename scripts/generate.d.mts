/** Every context the library bundles: URL → its JSON-LD document, from the npm context packages and contexts/. */
export declare function collectContexts(): Record<string, unknown>;
/** The text of src/jsonld/contexts.generated.ts for these contexts. */
export declare function contextsModuleSource(contexts: Record<string, unknown>): string;
