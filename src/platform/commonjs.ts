/**
 * Loads one of our CommonJS dependencies (jsonld, rdf-canonize) on first use: in Node through `require`, elsewhere
 * through the `import()` the caller passes, which bundlers see and resolve.
 *
 * Why not always `import()`: to give ESM the named exports of a CommonJS file, Node scans its source with
 * cjs-module-lexer, written in JavaScript. For jsonld's 50 KB context module that was ~30 ms of every process's and
 * worker's start-up, and in a fresh worker the optimizing compiler then spent ~12% of its work on the lexer.
 * `require` fills the same module cache, so a later `import()` of the same file gets the same instance.
 */
type Require = (id: string) => unknown;

let nodeRequire: Require | null | undefined;

function requireInNode(): Require | undefined {
  if (nodeRequire === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    try {
      const mod = proc?.getBuiltinModule?.('node:module') as { createRequire(from: string): Require } | undefined;
      // import.meta.url is this bundle's own file (tsup shims it in the CommonJS build): resolution starts in our
      // package, exactly where `import()` would have started.
      nodeRequire = mod ? mod.createRequire(import.meta.url) : null;
    } catch {
      nodeRequire = null;
    }
  }
  return nodeRequire ?? undefined;
}

/**
 * The module's `module.exports`. `id` and `viaImport` must name the same module; `viaImport` is called where Node's
 * `require` is not available (browsers, other runtimes) or cannot find the module — as in a server bundle that
 * inlined our dependencies and ships no node_modules, where the bundler resolved `viaImport` — and its default
 * export is what CommonJS exported.
 */
export async function loadCommonJs<T>(id: string, viaImport: () => Promise<unknown>): Promise<T> {
  const req = requireInNode();
  if (req) {
    try {
      return req(id) as T;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  const namespace = (await viaImport()) as { default?: unknown };
  return (namespace.default ?? namespace) as T;
}
