// jsonld.js ships no types (and @types/jsonld describes v1.5). We call three functions with documented
// options; this narrow declaration is all the library relies on.
declare module 'jsonld' {
  export interface JsonLdApi {
    canonize(input: unknown, options?: Record<string, unknown>): Promise<string>;
    expand(input: unknown, options?: Record<string, unknown>): Promise<unknown[]>;
    toRDF(input: unknown, options?: Record<string, unknown>): Promise<unknown>;
  }
  const jsonld: JsonLdApi;
  export default jsonld;
}
