import type { JsonLdApi } from 'jsonld';
import { MicrocredError } from '../errors';
import { loadCommonJs } from '../platform/commonjs';
import { guardContextLimits } from './context-limits';
import { defaultDocumentLoader, type DocumentLoader } from './loader';

/** Options of `canonicalizeRdf` and `expand`: the document loader, the work-factor limit against poison graphs, and an abort signal. */
export interface CanonizeOptions {
  documentLoader?: DocumentLoader;
  /**
   * Poison-graph guard passed to rdf-canonize: 1 (the default) allows work linear in the number of
   * blank nodes that cannot be told apart, and aborts before a crafted clique makes canonicalization take minutes.
   */
  maxWorkFactor?: number;
  /** Aborts a long canonicalization (checked periodically by rdf-canonize). */
  signal?: AbortSignal;
}

/**
 * jsonld.js is loaded on first use: the compiled fast path handles credentials over the bundled contexts without
 * it, and importing it (with its network document loaders) costs ~70 ms of start-up in every process and worker.
 */
let jsonldModule: Promise<JsonLdApi> | undefined;
function loadJsonld(): Promise<JsonLdApi> {
  return (jsonldModule ??= loadCommonJs<JsonLdApi>('jsonld', () => import('jsonld')));
}

/** Largest JSON text we will canonicalize; far above any real credential, far below an exhaustion attack. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/**
 * RDFC-1.0 canonical N-Quads of a JSON-LD document, in JSON-LD safe mode: an undefined term or
 * relative IRI is an error, never silently dropped (a dropped value would be unsigned data).
 */
export async function canonicalizeRdf(document: object, options: CanonizeOptions = {}): Promise<string> {
  guardSize(document);
  guardContextLimits(document);
  guardInlineContexts(document);
  try {
    const [jsonld, work] = await Promise.all([loadJsonld(), import('./node-map-work')]);
    work.guardNodeMapWork(document);
    // Expanded first (linear, safe mode), so the node map's work is bounded on what it will merge: the JSON alone does
    // not show values spread over nested arrays, @set objects, language maps or several spellings of one id.
    const expanded = await jsonld.expand(
      document as never,
      {
        safe: true,
        documentLoader: options.documentLoader ?? defaultDocumentLoader,
      } as never,
    );
    work.guardExpandedNodeMapWork(expanded);
    return (await jsonld.canonize(
      expanded as never,
      {
        algorithm: 'RDFC-1.0',
        format: 'application/n-quads',
        safe: true,
        rdfDirection: 'i18n-datatype',
        documentLoader: options.documentLoader ?? defaultDocumentLoader,
        canonizeOptions: {
          algorithm: 'RDFC-1.0',
          maxWorkFactor: options.maxWorkFactor ?? 1,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      } as never,
    )) as unknown as string;
  } catch (e) {
    throw toMicrocredError(e);
  }
}

/** JSON-LD expansion in safe mode with the offline loader. */
export async function expand(document: object, options: { documentLoader?: DocumentLoader } = {}): Promise<unknown[]> {
  guardSize(document);
  guardContextLimits(document);
  guardInlineContexts(document);
  try {
    const jsonld = await loadJsonld();
    return (await jsonld.expand(
      document as never,
      {
        safe: true,
        documentLoader: options.documentLoader ?? defaultDocumentLoader,
      } as never,
    )) as unknown[];
  } catch (e) {
    throw toMicrocredError(e);
  }
}

/**
 * Limits on the contexts a document carries inline (URL contexts are bundled and known). jsonld.js copies the whole
 * active context for every scoped context it processes, so its cost grows with their number squared: 2,000 inline
 * terms with a scoped context each took 11 s to verify, and 4 MB holds twenty times more. Inlining the whole VC and
 * OB contexts needs fewer than a hundred.
 */
const MAX_INLINE_SCOPED_CONTEXTS = 256;
const MAX_INLINE_TERMS = 20_000;

function guardInlineContexts(document: object): void {
  let scoped = 0;
  let terms = 0;
  // Iterative walks: the document passed JSON.stringify, so it is a finite tree, but it may be deeper than our stack.
  const nodes: unknown[] = [document];
  const contexts: unknown[] = [];
  while (nodes.length > 0) {
    const value = nodes.pop();
    if (Array.isArray(value)) for (const item of value) nodes.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, member] of Object.entries(value)) (key === '@context' ? contexts : nodes).push(member);
    }
  }
  while (contexts.length > 0) {
    const context = contexts.pop();
    if (Array.isArray(context)) for (const item of context) contexts.push(item);
    else if (context !== null && typeof context === 'object') {
      for (const [term, definition] of Object.entries(context)) {
        if (term.startsWith('@')) continue;
        terms++;
        if (definition !== null && typeof definition === 'object' && Object.hasOwn(definition, '@context')) {
          scoped++;
          contexts.push((definition as Record<string, unknown>)['@context']);
        }
      }
    }
  }
  if (scoped > MAX_INLINE_SCOPED_CONTEXTS || terms > MAX_INLINE_TERMS) {
    throw new MicrocredError(
      'CANONICALIZATION_LIMIT',
      `Inline contexts define ${terms} terms and ${scoped} scoped contexts; at most ${MAX_INLINE_TERMS} and ${MAX_INLINE_SCOPED_CONTEXTS} are processed`,
      { path: '$' },
    );
  }
}

function guardSize(document: object): void {
  let size: number;
  try {
    size = JSON.stringify(document)?.length ?? 0;
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', 'The document cannot be serialized as JSON', { path: '$', cause: e });
  }
  if (size > MAX_DOCUMENT_BYTES) {
    throw new MicrocredError(
      'CANONICALIZATION_LIMIT',
      `Document of ${size} characters exceeds the ${MAX_DOCUMENT_BYTES} limit`,
      { path: '$' },
    );
  }
}

interface JsonLdErrorLike {
  name?: string;
  message?: string;
  details?: { event?: { code?: string; details?: Record<string, unknown> }; cause?: unknown; code?: string };
  cause?: unknown;
}

/** Maps jsonld.js / rdf-canonize failures onto the library's stable codes, keeping the original as `cause`. */
export function toMicrocredError(e: unknown): MicrocredError {
  const inner = findMicrocredError(e);
  if (inner) return inner;
  const err = (e ?? {}) as JsonLdErrorLike;
  const message = err.message ?? String(e);
  if (err.name === 'jsonld.ValidationError' || message.includes('Safe mode validation error')) {
    const event = err.details?.event;
    const detail = event?.details ? describeSafeModeEvent(event.code, event.details) : '';
    return new MicrocredError(
      'SAFE_MODE_VIOLATION',
      `JSON-LD safe mode: ${event?.code ?? 'validation error'}${detail}`,
      { path: '$', cause: e },
    );
  }
  if (/maximum deep iterations|work factor|aborted|abort/i.test(message)) {
    return new MicrocredError('CANONICALIZATION_LIMIT', `Canonicalization stopped: ${message}`, {
      path: '$',
      cause: e,
    });
  }
  return new MicrocredError('INVALID_INPUT', `JSON-LD processing failed: ${message}`, { path: '$', cause: e });
}

function describeSafeModeEvent(code: string | undefined, details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['property', 'expandedProperty', 'type', 'iri', 'value']) {
    if (details[key] !== undefined) parts.push(`${key} ${JSON.stringify(details[key])}`);
  }
  void code;
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function findMicrocredError(e: unknown, depth = 0): MicrocredError | undefined {
  if (depth > 8 || e === null || typeof e !== 'object') return undefined;
  if (e instanceof MicrocredError) return e;
  const err = e as JsonLdErrorLike;
  return findMicrocredError(err.details?.cause, depth + 1) ?? findMicrocredError(err.cause, depth + 1);
}
