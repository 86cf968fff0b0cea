/**
 * A module loaded on demand, at its first use, and kept: `import()` of a module already loaded still resolves it
 * again at every call (a few microseconds in Node, far more under a loader hook), which a verification that needs it
 * every time should not pay. A failed load (a page that lost its network) is not kept, so the next call tries again.
 */
export function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((e: unknown) => {
      loaded = undefined;
      throw e;
    }));
}
