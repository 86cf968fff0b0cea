import type contextModule from 'jsonld/lib/context.js';
import type { JsonLdActiveContext, JsonLdTermDefinition } from 'jsonld/lib/context.js';
import type ContextResolver from 'jsonld/lib/ContextResolver.js';
import { loadCommonJs } from '../../platform/commonjs';
import { nodeCrypto } from '../../platform/node-crypto';
import { BUNDLED_CONTEXTS } from '../contexts.generated';
import { DERIVED_CONTEXTS } from './derived-contexts.generated';
import { ContextMiss, Unsupported } from './signals';
import { expandIri } from './expand-iri';

/**
 * A JSON-LD active context processed once by jsonld.js itself and kept, with memo tables, for every later
 * document. jsonld.js clones the whole term map each time a node reverts a type-scoped context, which is where
 * most of the ~1 ms per credential goes; here a reverted or scoped context is the same object every time.
 */

/** What the converter needs to know about a term used as a property. */
export interface TermInfo {
  /** `@type` coercion: `@id`, `@vocab` or a datatype IRI; null for none. */
  readonly coerce: string | null;
  /** The term has an `@list` container. */
  readonly list: boolean;
  /** The term has a plain `@graph` container (no `@id`/`@index`): each value is a node in a graph of its own. */
  readonly graph: boolean;
  /** The property-scoped context, if the term has one. */
  readonly scoped: unknown;
  /** The term has an `@language` container (a language map: `{ "en": "…" }`), as ELM's prefLabel does. */
  readonly languageMap?: boolean;
  /** Why a value of this term must go to jsonld.js (unsupported container, reverse, language...). */
  readonly problem: string | undefined;
}

/**
 * Upper bounds so that crafted documents cannot grow the caches without limit. Reaching the bound of compiled
 * contexts forgets them all and starts again (see `roomForOneMore`): a bound that refused instead would be a budget
 * any holder could spend, after which honest credentials whose contexts had not been compiled yet would be refused.
 */
const MAX_COMPILED_CONTEXTS = 4096;
const MAX_MEMO_ENTRIES = 4096;
let compiledLimit = MAX_COMPILED_CONTEXTS;
let compiledCount = 0;

/** Lowers the bound of compiled contexts (tests reach it with a few documents instead of thousands); undefined restores it. */
export function limitCompiledContexts(limit: number | undefined): void {
  compiledLimit = limit ?? MAX_COMPILED_CONTEXTS;
}

/**
 * Makes room for one more compiled context: at the bound, every top-level context is forgotten, and with them every
 * context derived from them (reachable only through them), so the count starts again. They are compiled again when
 * next needed, restored from the snapshots when they have one; what a verification in flight holds stays valid.
 */
function roomForOneMore(): void {
  if (compiledCount < compiledLimit) return;
  topLevel.clear();
  compiledCount = 0;
}

const KEYWORDS_ALLOWED_AT_SCOPED_TOP = new Set(['@version', '@protected', '@vocab']);

/** Throws on any warning: a context that makes jsonld.js warn is left to jsonld.js entirely. */
function strictEventHandler({ event }: { event: { level?: string; code?: string }; next: () => void }): void {
  throw new Unsupported(`context processing event ${event.code ?? ''}`);
}
function passInfoEvents({ event, next }: { event: { level?: string; code?: string }; next: () => void }): void {
  if (event.level === 'warning') strictEventHandler({ event, next });
  else next();
}

/**
 * jsonld.js's context processing, loaded when a context must be processed (every compilation is asynchronous), not
 * at import. Contexts restored from the build-time snapshots need none of it: a process that only issues and
 * verifies our builders' credentials never loads it (nor rdf-canonize, which it requires).
 */
let contextApi: typeof contextModule;
/** One resolver for the life of the module: it only ever sees bundled contexts and scoped context objects. */
let resolver: ContextResolver;
/** The resolver class, for a context processed with a caller's loader (its cache must not be shared). */
let ResolverClass: typeof ContextResolver;
let loading: Promise<void> | undefined;
function loadContextProcessing(): Promise<void> {
  return (loading ??= (async () => {
    const [api, Resolver] = await Promise.all([
      loadCommonJs<typeof contextModule>('jsonld/lib/context.js', () => import('jsonld/lib/context.js')),
      loadCommonJs<typeof ContextResolver>(
        'jsonld/lib/ContextResolver.js',
        () => import('jsonld/lib/ContextResolver.js'),
      ),
    ]);
    resolver = new Resolver({ sharedCache: new Map<string, unknown>() });
    ResolverClass = Resolver;
    contextApi = api;
  })());
}

/**
 * Starts loading jsonld.js's context processing without waiting for it, where it arrives over the network (a browser:
 * no node:crypto). A verification calls this with the credential's `@context` as soon as it knows the input is a
 * JSON-LD credential, so the download overlaps the checks that run before the first context is compiled; in Node the
 * module loads, from disk, when it is first needed. A `@context` list restored from the build-time snapshots (the
 * lists our builders emit) is expected to need no processing, so nothing is fetched for it: the page's first verify
 * does not wait for a download it will not use. A wrong guess costs time only: whatever is needed still loads when
 * it is needed. A failed load is seen, and reported, by the compilation that awaits it.
 */
export function prefetchContextProcessing(context?: unknown): void {
  if (nodeCrypto()) return;
  if (
    useSnapshots &&
    Array.isArray(context) &&
    context.every((url) => typeof url === 'string') &&
    Object.hasOwn(derivedSnapshotTree(), context.join('\n'))
  )
    return;
  loadContextProcessing().catch(() => undefined);
}

function processOptions(allowedUrls: readonly string[]): Record<string, unknown> {
  return {
    base: null,
    contextResolver: resolver,
    eventHandler: [passInfoEvents],
    // Only the document's own top-level contexts may be loaded: those were checked against the caller's loader.
    documentLoader: async (url: string) => {
      if (!allowedUrls.includes(url) || !Object.hasOwn(BUNDLED_CONTEXTS, url))
        throw new Unsupported(`context URL ${url} reached while compiling`);
      return { contextUrl: null, documentUrl: url, document: BUNDLED_CONTEXTS[url] };
    },
  };
}

/** A stable cache key for a scoped context object (computed once per object identity). */
const scopedKeys = new WeakMap<object, string>();
function scopedKey(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    // A URL or array: jsonld would load it through the caller's loader, which we cannot vouch for.
    throw new Unsupported('scoped context that is not an inline object');
  }
  let key = scopedKeys.get(raw);
  if (key === undefined) {
    for (const k of Object.keys(raw)) {
      if (k.startsWith('@') && !KEYWORDS_ALLOWED_AT_SCOPED_TOP.has(k))
        throw new Unsupported(`scoped context uses ${k}`);
    }
    key = JSON.stringify(raw);
    scopedKeys.set(raw, key);
  }
  return key;
}

const POISONED = Symbol('poisoned');

export class CompiledContext {
  private readonly vocabIris = new Map<string, string | null>();
  private readonly baseIris = new Map<string, string | null>();
  private readonly terms = new Map<string, TermInfo>();
  /**
   * Derived contexts by kind, then by the scoped context's cache key. Kept apart by kind rather than keyed by
   * `kind + key`: the keys are the JSON of whole scoped contexts (tens of kilobytes for OB types), and a fresh
   * concatenation would be re-hashed on every lookup, while the cached key string hashes once.
   */
  private readonly derived = {
    p: new Map<string, CompiledContext | typeof POISONED>(),
    t: new Map<string, CompiledContext | typeof POISONED>(),
    e: new Map<string, CompiledContext | typeof POISONED>(),
  };

  constructor(
    readonly active: JsonLdActiveContext,
    /** The context a type-scoped context reverts to, as jsonld's `previousContext`. */
    readonly previous: CompiledContext | undefined,
    /** The build-time snapshot of the contexts derived from this one, when it was restored from a snapshot. */
    private readonly snapshot?: DerivedSnapshotNode,
  ) {
    if ('@base' in active || '@language' in active || '@direction' in active) {
      throw new Unsupported('context sets @base, @language or @direction');
    }
    if (Boolean(active.previousContext) !== Boolean(previous)) throw new Unsupported('unexpected previous context');
  }

  /** IRI expansion of a key, a type or an `@vocab`-coerced value (vocab-relative; no document base applies). */
  expandVocab(value: string): string | null {
    let iri = this.vocabIris.get(value);
    if (iri === undefined) {
      iri = expandIri(this.active, value, true);
      if (this.vocabIris.size < MAX_MEMO_ENTRIES) this.vocabIris.set(value, iri);
    }
    return iri;
  }

  /** IRI expansion of an `@id` or `@id`-coerced value (document-relative; canonicalizeRdf has no base). */
  expandBase(value: string): string | null {
    let iri = this.baseIris.get(value);
    if (iri === undefined) {
      iri = expandIri(this.active, value, false);
      if (this.baseIris.size < MAX_MEMO_ENTRIES) this.baseIris.set(value, iri);
    }
    return iri;
  }

  /** The term's definition as far as values are concerned; `undefined` definition gives the defaults. */
  term(key: string): TermInfo {
    let info = this.terms.get(key);
    if (info === undefined) {
      info = describeTerm(this.active.mappings.get(key));
      if (this.terms.size < MAX_MEMO_ENTRIES) this.terms.set(key, info);
    }
    return info;
  }

  /** The scoped context a term (property or type) carries, as jsonld's `getContextValue(ctx, key, '@context')`. */
  scopedContextOf(key: string): unknown {
    const def = this.active.mappings.get(key);
    if (def === null) throw new Unsupported(`term ${key} is mapped to null`);
    return def !== undefined && Object.hasOwn(def, '@context') ? def['@context'] : undefined;
  }

  /** jsonld's `revertToPreviousContext`. */
  revert(): CompiledContext {
    return this.previous ?? this;
  }

  /** This context with a property-scoped context applied (propagating, may override protected terms). */
  withPropertyScope(raw: unknown): CompiledContext {
    return this.derive('p', raw);
  }

  /** This context with a type-scoped context applied (not propagated into nested nodes). */
  withTypeScope(raw: unknown): CompiledContext {
    return this.derive('t', raw);
  }

  /**
   * This context with an embedded `@context` of bundled URLs applied, as jsonld does for a nested node that carries
   * one (the `@context` an eddsa-jcs-2022 proof keeps): propagating, protected terms may be redefined only
   * identically. `urls` must have been vetted against the caller's loader (the converter allows only URLs of the
   * document's own top-level context).
   */
  withEmbedded(urls: readonly string[]): CompiledContext {
    return this.derive('e', urls);
  }

  private derive(kind: 'p' | 't' | 'e', raw: unknown): CompiledContext {
    const key = kind === 'e' ? (raw as string[]).join('\n') : scopedKey(raw);
    const derived = this.derived[kind];
    const found = derived.get(key);
    if (found === POISONED) throw new Unsupported('scoped context rejected by jsonld');
    if (found !== undefined) return found;
    const previous = kind === 't' ? (this.previous ?? this) : this.previous;
    const snapshot = this.snapshot && snapshotChildren(this.snapshot).get(`${kind}\n${key}`);
    if (snapshot !== undefined) {
      roomForOneMore();
      const restored = new CompiledContext(restoreDerivedContext(snapshot.context), previous, snapshot);
      derived.set(key, restored);
      compiledCount++;
      return restored;
    }
    throw new ContextMiss(async () => {
      if (derived.has(key)) return;
      roomForOneMore();
      try {
        const active = await processDerived(this.active, kind, raw);
        derived.set(key, new CompiledContext(active, previous));
        compiledCount++;
      } catch {
        // jsonld.js refuses or warns about this combination: let it do so itself, every time.
        derived.set(key, POISONED);
        compiledCount++;
      }
    });
  }

  /** The contexts derived from this one so far, by kind and cache key (for scripts/generate-derived-contexts.ts). */
  derivedContexts(): { kind: DerivedKind; key: string; context: CompiledContext }[] {
    const out: { kind: DerivedKind; key: string; context: CompiledContext }[] = [];
    for (const kind of ['p', 't', 'e'] as const)
      for (const [key, context] of this.derived[kind]) if (context !== POISONED) out.push({ kind, key, context });
    return out;
  }
}

/** How a context is derived: property-scoped (`p`), type-scoped (`t`) or an embedded list of context URLs (`e`). */
export type DerivedKind = 'p' | 't' | 'e';

/**
 * jsonld.js's processing of a scoped context (or an embedded URL list) on top of `active`, with the options the
 * converter uses. `raw` is the scoped context object, or the URL list for `e`.
 */
export async function processDerived(
  active: JsonLdActiveContext,
  kind: DerivedKind,
  raw: unknown,
): Promise<JsonLdActiveContext> {
  await loadContextProcessing();
  return contextApi.process({
    activeCtx: withJsonLdMethods(active),
    localCtx: kind === 'e' ? [...(raw as string[])] : raw,
    options: processOptions(kind === 'e' ? (raw as string[]) : []),
    propagate: kind !== 't',
    overrideProtected: kind === 'p',
  });
}

function describeTerm(def: JsonLdTermDefinition | null | undefined): TermInfo {
  if (def === null)
    return { coerce: null, list: false, graph: false, scoped: undefined, problem: 'term mapped to null' };
  if (def === undefined) return { coerce: null, list: false, graph: false, scoped: undefined, problem: undefined };
  const container = def['@container'] ?? [];
  const graph = container.includes('@graph');
  let problem: string | undefined;
  const languageMap = container.includes('@language');
  if (
    container.some((c) => c !== '@set' && c !== '@list' && c !== '@graph' && c !== '@language') ||
    (graph && container.includes('@list')) ||
    (languageMap && container.some((c) => c !== '@set' && c !== '@language'))
  ) {
    problem = `@container ${container.join(',')}`;
  } else if (def.reverse) problem = '@reverse term';
  else if (Object.hasOwn(def, '@language') || Object.hasOwn(def, '@direction'))
    problem = 'term with @language/@direction';
  else if (Object.hasOwn(def, '@nest') || Object.hasOwn(def, '@index')) problem = 'term with @nest/@index';
  const coerce = Object.hasOwn(def, '@type') ? (def['@type'] ?? null) : null;
  if (coerce === '@json' || coerce === '@none') problem ??= `@type ${coerce}`;
  return {
    coerce,
    list: container.includes('@list'),
    graph,
    scoped: Object.hasOwn(def, '@context') ? def['@context'] : undefined,
    problem,
    ...(languageMap ? { languageMap } : {}),
  };
}

const topLevel = new Map<string, CompiledContext | typeof POISONED>();

/** The active context for a document whose `@context` is this list of bundled context URLs. */
export function compiledTopLevel(urls: readonly string[]): CompiledContext {
  const key = urls.join('\n');
  const found = topLevel.get(key);
  if (found === POISONED) throw new Unsupported('top-level contexts rejected by jsonld');
  if (found !== undefined) return found;
  throw new ContextMiss(async () => {
    if (topLevel.has(key)) return;
    roomForOneMore();
    try {
      const snapshot =
        useSnapshots && Object.hasOwn(derivedSnapshotTree(), key) ? derivedSnapshotTree()[key] : undefined;
      let active: JsonLdActiveContext;
      if (snapshot !== undefined) {
        active = restoreDerivedContext(snapshot.context);
      } else {
        await loadContextProcessing();
        const options = processOptions(urls);
        active = await contextApi.process({
          activeCtx: contextApi.getInitialContext(options),
          localCtx: [...urls],
          options,
        });
      }
      topLevel.set(key, new CompiledContext(active, undefined, snapshot));
      compiledCount++;
    } catch {
      topLevel.set(key, POISONED);
      compiledCount++;
    }
  });
}

/**
 * The active context for any top-level `@context` value (inline term definitions, a caller's own context URLs),
 * processed by jsonld.js with the caller's loader and a resolver of its own (a caller's loader may serve anything
 * for a URL, so nothing it serves is cached for others). Not cached: only documents the fast path does not take
 * need it. Throws `Unsupported` for contexts the converter's tables cannot describe (`@base`, `@language`, ...);
 * any other processing error is jsonld.js's own.
 */
export async function compiledWithLoader(
  localCtx: unknown,
  documentLoader: (url: string) => Promise<unknown>,
): Promise<CompiledContext> {
  await loadContextProcessing();
  const options = {
    base: null,
    contextResolver: new ResolverClass({ sharedCache: new Map<string, unknown>() }),
    eventHandler: [passInfoEvents],
    documentLoader,
  };
  const active = await contextApi.process({ activeCtx: contextApi.getInitialContext(options), localCtx, options });
  return new CompiledContext(active, undefined);
}

/**
 * A snapshotted active context with jsonld.js's methods, as processing would have left it: it deep-equals what
 * jsonld.js computes (test/active-contexts.test.ts, test/derived-contexts.test.ts).
 */
export async function snapshotContextWithMethods(index: number): Promise<JsonLdActiveContext> {
  await loadContextProcessing();
  return withJsonLdMethods(restoreDerivedContext(index));
}

/**
 * A restored context (and the previous contexts it holds) completed with the methods every context jsonld.js
 * processes carries: those of its initial context, which processing copies from context to context. Needs the
 * context module loaded.
 */
export function withJsonLdMethods(active: JsonLdActiveContext): JsonLdActiveContext {
  const initial = contextApi.getInitialContext({}) as unknown as Record<string, unknown>;
  for (let ctx: JsonLdActiveContext | undefined = active; ctx; ctx = ctx.previousContext) {
    const record = ctx as unknown as Record<string, unknown>;
    if (typeof record.clone === 'function') continue;
    for (const method of ['getInverse', 'clone', 'revertToPreviousContext']) record[method] = initial[method];
  }
  return active;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.$undefined === true) return undefined;
  if (Array.isArray(record.$map)) return new Map((record.$map as [string, unknown][]).map(([k, v]) => [k, decode(v)]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decode(v);
  return out;
}

/**
 * Build-time snapshots are used unless turned off; scripts/generate-derived-contexts.ts turns them off so that what
 * it records is what jsonld.js computes, never an earlier snapshot.
 */
let useSnapshots = true;
export function useContextSnapshots(on: boolean): void {
  useSnapshots = on;
}

/** The top-level contexts compiled so far, by their URL list joined by newlines. */
export function compiledTopLevelContexts(): Map<string, CompiledContext> {
  const out = new Map<string, CompiledContext>();
  for (const [key, context] of topLevel) if (context !== POISONED) out.set(key, context);
  return out;
}

/**
 * Contexts processed by jsonld.js at build time (scripts/generate-derived-contexts.ts): the top-level `@context`
 * lists our builders emit, and the type- and property-scoped contexts our builders' credentials, their proofs and
 * their verification reach from them. Restoring one is a table lookup where processing the top-level lists took
 * ~20 ms and each scoped context cloned the whole term map (~20 of them for the first credential of a process).
 * test/active-contexts.test.ts and test/derived-contexts.test.ts hold each restored context deep-equal to what
 * jsonld.js computes now.
 */
export interface DerivedSnapshotNode {
  /** Index of the active context in the snapshot's context table. */
  readonly context: number;
  /**
   * Contexts derived from this one: how (`p`, `t`, `e`), what was applied (for `p` and `t`, the index of the term
   * definition whose `@context` it is; for `e`, the URLs joined by newlines) and the derived context's node.
   */
  readonly derived: readonly (readonly [DerivedKind, number | string, DerivedSnapshotNode])[];
}

interface DerivedSnapshot {
  /** Term names, each stored once. */
  readonly terms: string[];
  /** Term definitions, each stored once, encoded as the top-level snapshots are. */
  readonly defs: unknown[];
  /**
   * Active contexts: their fields, `mappings` as flat [term index, definition index or -1 for null] pairs,
   * `protected` ({ term: true, … }) as term indexes.
   */
  readonly contexts: Record<string, unknown>[];
  readonly tree: Record<string, DerivedSnapshotNode>;
}

const childMaps = new WeakMap<DerivedSnapshotNode, Map<string, DerivedSnapshotNode>>();
/**
 * A snapshot node's children by `derive`'s cache key (`kind\nkey`: the key of a scoped context is its JSON, as
 * `scopedKey` computes it from the same definition's `@context`), built once per node.
 */
export function snapshotChildren(node: DerivedSnapshotNode): Map<string, DerivedSnapshotNode> {
  let children = childMaps.get(node);
  if (children === undefined) {
    children = new Map();
    for (const [kind, applied, child] of node.derived) {
      const key =
        typeof applied === 'string'
          ? applied
          : JSON.stringify((decodedDef(applied) as Record<string, unknown> | null)?.['@context']);
      children.set(`${kind}\n${key}`, child);
    }
    childMaps.set(node, children);
  }
  return children;
}

let derivedSnapshot: DerivedSnapshot | undefined;
function derivedSnapshotTable(): DerivedSnapshot {
  return (derivedSnapshot ??= JSON.parse(DERIVED_CONTEXTS) as DerivedSnapshot);
}
/** The derived-context snapshot tree, by top-level list (URLs joined by newlines). */
export function derivedSnapshotTree(): Readonly<Record<string, DerivedSnapshotNode>> {
  return derivedSnapshotTable().tree;
}

const decodedDefs = new Map<number, unknown>();
function decodedDef(index: number): unknown {
  let decoded = decodedDefs.get(index);
  if (decoded === undefined) {
    const encoded = derivedSnapshotTable().defs[index];
    decodedDefs.set(index, (decoded = needsDecoding(encoded) ? decode(encoded) : encoded));
  }
  return decoded;
}

/**
 * Whether `decode` would give anything but an equal copy of this parsed JSON: it holds an `undefined` or `Map`
 * marker, or a `__proto__` key (which `decode`'s assignment would turn into a prototype). Term definitions hold
 * none today, so each is used as `JSON.parse` made it, once per process, instead of copied: the first credential of a
 * process restored ~48 KB of them, and the copies were most of what restoring its contexts allocated.
 */
export function needsDecoding(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(needsDecoding);
  const record = value as Record<string, unknown>;
  if (record.$undefined === true || Array.isArray(record.$map) || Object.hasOwn(record, '__proto__')) return true;
  for (const key in record) if (needsDecoding(record[key])) return true;
  return false;
}
const decodedContexts = new Map<number, JsonLdActiveContext>();

/**
 * An active context from the snapshot. Term definitions and previous contexts that are equal are one object, as
 * jsonld.js itself shares a type-scoped context's previous context with its parent; nothing reads them but to copy
 * them (jsonld.js clones a context before changing it). Without jsonld.js's three methods (`clone`, `getInverse`,
 * `revertToPreviousContext`), which only jsonld.js's own processing calls: `withJsonLdMethods` adds them before a
 * restored context is handed to it, so restoring needs no part of jsonld.js.
 */
export function restoreDerivedContext(index: number): JsonLdActiveContext {
  const found = decodedContexts.get(index);
  if (found !== undefined) return found;
  const { terms, contexts } = derivedSnapshotTable();
  const encoded = contexts[index];
  if (encoded === undefined) throw new Unsupported(`derived context snapshot ${index} is missing`);
  const active: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(encoded)) {
    const record = value as { $m?: number[]; $p?: number[]; $ctx?: number } | null;
    if (field === 'mappings' && Array.isArray(record?.$m)) {
      const mappings = new Map<string, unknown>();
      const pairs = record.$m;
      for (let i = 0; i < pairs.length; i += 2)
        mappings.set(terms[pairs[i]!]!, pairs[i + 1]! < 0 ? null : decodedDef(pairs[i + 1]!));
      active.mappings = mappings;
    } else if (field === 'protected' && Array.isArray(record?.$p)) {
      const protectedTerms: Record<string, true> = {};
      for (const term of record.$p) protectedTerms[terms[term]!] = true;
      active.protected = protectedTerms;
    } else if (typeof record?.$ctx === 'number') {
      active[field] = restoreDerivedContext(record.$ctx);
    } else {
      active[field] = decode(value);
    }
  }
  decodedContexts.set(index, active as unknown as JsonLdActiveContext);
  return active as unknown as JsonLdActiveContext;
}
