import { canonicalizeRdf, expand, toMicrocredError, MAX_DOCUMENT_BYTES, type CanonizeOptions } from '../canonize';
import { BUNDLED_CONTEXTS } from '../contexts.generated';
import { loadCommonJs } from '../../platform/commonjs';
import { defaultDocumentLoader, type DocumentLoader } from '../loader';
import { contextLimitProblem } from '../context-limits';
import { jsonLengthBound, type DocumentBounds } from '../document-bounds';
import { compiledTopLevel } from './compiled-context';
import { ContextMiss, Unsupported } from './signals';
import { canonizeRdfc, canonizeRdfcBatched } from './rdfc';
import { nodeCrypto } from '../../platform/node-crypto';
import { sha256HexAll } from '../../platform/sha256-batch';
import { documentToQuads, isPlainObject, type FormObserver } from './to-dataset';
import type { Quad } from './rdf-terms';

/**
 * `canonicalizeRdf` with a compiled fast path. Same signature, same output byte for byte, same error codes: a document
 * whose `@context` is a list of bundled context URLs and that stays within the JSON-LD features those contexts
 * need is converted straight to quads with contexts processed once per process; anything else — and anything
 * where jsonld.js would raise an error — is handed to `canonicalizeRdf` (jsonld.js) unchanged.
 */
export async function fastCanonize(document: object, options: CanonizeOptions = {}): Promise<string> {
  const attempt = await tryFastDataset(document, options.documentLoader, false);
  if (attempt === undefined) return canonicalizeRdf(document, options);
  // Exactly the options canonize.ts gives jsonld.js, which passes them on to rdf-canonize.
  const rdfcOptions = {
    maxWorkFactor: options.maxWorkFactor ?? 1,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Our RDFC-1.0 port; it declines (to rdf-canonize) for poison limits, abortable work and the like. Without
  // node:crypto (browsers), a page's first canonicalizations send their first-degree hashes to WebCrypto in one batch.
  const batched = nodeCrypto() === undefined && !options.signal && batchedCanonicalizationsLeft > 0;
  if (batched) batchedCanonicalizationsLeft--;
  const direct = batched
    ? await canonizeRdfcBatched(attempt, rdfcOptions, sha256HexAll)
    : canonizeRdfc(attempt, rdfcOptions);
  if (direct !== undefined) {
    stats.ownRdfc++;
    return direct;
  }
  try {
    // Loaded on first use: our RDFC-1.0 port finishes nearly every credential without it.
    const { canonize: rdfCanonize } = await (rdfCanonizeModule ??= loadCommonJs<RdfCanonize>(
      'rdf-canonize',
      () => import('rdf-canonize'),
    ));
    return await rdfCanonize(attempt, { algorithm: 'RDFC-1.0', ...rdfcOptions });
  } catch (e) {
    throw toMicrocredError(e);
  }
}

/**
 * How many canonicalizations of a page take their first-degree hashes from WebCrypto in one batch. At first the
 * pure-JS SHA-256 runs in the interpreter and one native round trip is much cheaper (a fresh page's first verify 0.8-
 * 0.9x); once the JIT has optimized it, hashing in place beats the round trip (warm verifies of new credentials were
 * ~1.2x slower with it), so later canonicalizations hash in place. A verify canonicalizes twice (proof options and
 * document), so this covers a page's first four verifies.
 */
export const BATCHED_CANONICALIZATIONS = 8;
let batchedCanonicalizationsLeft = BATCHED_CANONICALIZATIONS;

type RdfCanonize = typeof import('rdf-canonize');
let rdfCanonizeModule: Promise<RdfCanonize> | undefined;

/**
 * Proves that `document` is valid JSON-LD in safe mode (no undefined term, no relative IRI), as `expand` with
 * `safe: true` does, and throws the same MicrocredError when it is not. A document the fast path converts is
 * canonicalizable by jsonld.js in safe mode (the differential tests hold it to that), which implies it expands in
 * safe mode; anything else is expanded by jsonld.js, so the verdict never depends on the fast path's coverage.
 */
export async function checkSafeMode(
  document: object,
  options: { documentLoader?: DocumentLoader } = {},
): Promise<void> {
  await checkSafeModeWithin(document, options, undefined);
}

/**
 * {@link checkSafeMode} for a caller that has already scanned the document's bounds (`issue` needs the context
 * limits of the very same document for itself): the scan is not repeated.
 */
export async function checkSafeModeWithin(
  document: object,
  options: { documentLoader?: DocumentLoader },
  bounds: DocumentBounds | undefined,
): Promise<void> {
  // Only the verdict is needed: the walk runs without building quads.
  if ((await tryFastDataset(document, options.documentLoader, true, bounds)) !== undefined) return;
  await expand(document, options.documentLoader ? { documentLoader: options.documentLoader } : {});
}

/**
 * The walk of {@link checkSafeMode} with the compacted-form checks of `observer` made in it: true when the walk went
 * through, which proves safe mode (as checkSafeMode does) and that every check of the observer passed; false when
 * it did not (a check failed, or the fast path cannot tell), and the caller runs the checks on their own. Never
 * throws; counted as a fast-path walk only when it went through.
 */
export async function walkedSafeWith(
  document: object,
  options: { documentLoader?: DocumentLoader },
  bounds: DocumentBounds,
  observer: FormObserver,
): Promise<boolean> {
  const attempt = await fastDataset(document, options.documentLoader, true, bounds, observer).catch(() => 'error');
  if (typeof attempt === 'string') return false;
  stats.fast++;
  return true;
}

export interface CanonizeStats {
  /** Documents converted by the fast path. */
  fast: number;
  /**
   * Of the fast canonicalizations, those our RDFC-1.0 port (./rdfc.ts) finished; the rest went to rdf-canonize
   * with the fast path's dataset.
   */
  ownRdfc: number;
  /** Documents handed to jsonld.js. */
  fallback: number;
  /** Why documents were handed to jsonld.js, by reason. */
  reasons: Record<string, number>;
}

const stats: CanonizeStats = { fast: 0, ownRdfc: 0, fallback: 0, reasons: {} };
const MAX_REASONS = 64;

/** How often the fast path was taken since start (or the last reset): for tests and diagnostics. */
export function canonizeStats(): CanonizeStats {
  return { fast: stats.fast, ownRdfc: stats.ownRdfc, fallback: stats.fallback, reasons: { ...stats.reasons } };
}

export function resetCanonizeStats(): void {
  stats.fast = 0;
  stats.ownRdfc = 0;
  stats.fallback = 0;
  stats.reasons = {};
}

function countFallback(reason: string): void {
  stats.fallback++;
  if (reason in stats.reasons || Object.keys(stats.reasons).length < MAX_REASONS)
    stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
}

/** The fast path's dataset, or undefined (the reason counted) when the document must go to jsonld.js. */
async function tryFastDataset(
  document: object,
  loader: DocumentLoader | undefined,
  checkOnly: boolean,
  bounds?: DocumentBounds,
): Promise<Quad[] | undefined> {
  // Hostile inputs (throwing getters, proxies) must end in jsonld.js's own error, never in one of ours.
  const attempt = await fastDataset(document, loader, checkOnly, bounds).catch(
    () => 'unexpected error in the fast path',
  );
  if (typeof attempt === 'string') {
    countFallback(attempt);
    return undefined;
  }
  stats.fast++;
  return attempt;
}

/** A context compile per missing combination, each at most once per document; more means something is wrong. */
const MAX_COMPILES_PER_DOCUMENT = 64;

/** The dataset of `document`, or the reason it must go to jsonld.js. */
async function fastDataset(
  document: object,
  loader: DocumentLoader | undefined,
  checkOnly: boolean,
  given: DocumentBounds | undefined,
  observer?: FormObserver,
): Promise<Quad[] | string> {
  if (!isPlainObject(document)) return 'top level is not a plain object';
  // A caller that scanned the document (`issue`) has both bounds from one walk; otherwise each is found on its own,
  // which keeps the one-walk scan out of the verify-only bundle (it would save ~5 µs of a verify, and cost 0.25 KB).
  const bounds = given ?? separateBounds(document);
  if (!withinSizeLimit(document, bounds.lengthBound)) return 'size guard';
  // Compiling a list of a thousand repeated context URLs takes seconds; canonize.ts refuses it with its own error.
  if (bounds.overContextLimits()) return 'context limit';
  const urls = contextUrls(document['@context']);
  if (urls === undefined) return 'not a list of bundled context URLs';
  if (!(await loaderServesBundled(urls, loader))) return 'document loader overrides a bundled context';
  for (let compiles = 0; compiles <= MAX_COMPILES_PER_DOCUMENT; compiles++) {
    try {
      return documentToQuads(document, compiledTopLevel(urls), urls, checkOnly, observer);
    } catch (e) {
      if (e instanceof ContextMiss) {
        try {
          await e.fill();
        } catch (fillError) {
          return fillError instanceof Unsupported ? fillError.reason : 'context compilation failed';
        }
        continue;
      }
      if (e instanceof Unsupported) return e.reason;
      // A bug here must never cost correctness: jsonld.js is always right by definition.
      return 'unexpected error in the fast path';
    }
  }
  return 'too many context compilations';
}

/** The bounds by the separate walks: the size bound now, the context limits only if asked. */
function separateBounds(document: object): DocumentBounds {
  return {
    lengthBound: jsonLengthBound(document),
    overContextLimits: () => contextLimitProblem(document) !== undefined,
    problem: () => contextLimitProblem(document),
  };
}

/**
 * canonize.ts refuses documents over MAX_DOCUMENT_BYTES (or not serializable); let it do so with its own error.
 * Serializing a 30 KB credential just to measure it costs more than half the walk, so a cheap upper bound of the
 * JSON length decides first, and only a document that might be near the limit is serialized.
 */
function withinSizeLimit(document: object, lengthBound: number): boolean {
  if (lengthBound <= MAX_DOCUMENT_BYTES) return true;
  try {
    return (JSON.stringify(document)?.length ?? 0) <= MAX_DOCUMENT_BYTES;
  } catch {
    return false;
  }
}

export { jsonLengthBound };

function contextUrls(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0) return undefined;
  for (const url of list) if (typeof url !== 'string' || !Object.hasOwn(BUNDLED_CONTEXTS, url)) return undefined;
  return list as string[];
}

/**
 * The compiled tables are built from the bundled documents; a caller's loader may serve something else for
 * the same URL (createDocumentLoader's `contexts` option can). Only the very same bundled objects qualify.
 */
async function loaderServesBundled(urls: readonly string[], loader: DocumentLoader | undefined): Promise<boolean> {
  if (loader === undefined || loader === defaultDocumentLoader) return true;
  try {
    for (const url of urls) {
      if ((await loader(url)).document !== BUNDLED_CONTEXTS[url]) return false;
    }
    return true;
  } catch {
    return false;
  }
}
