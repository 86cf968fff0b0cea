/**
 * Internal control-flow signals of the fast path. Neither ever reaches a caller of `fastCanonize`.
 */

/** The document uses something the fast path does not handle; jsonld.js must process it (and raise any error). */
export class Unsupported extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * A context combination the document needs has not been compiled yet. Compiling is asynchronous (jsonld's
 * context processing is), converting is not, so the converter stops, the driver awaits `fill`, and converts again.
 */
export class ContextMiss {
  constructor(readonly fill: () => Promise<void>) {}
}
