import { childPath } from '../errors';
import { isFrozenPlainData } from '../shared/frozen';
import { BUNDLED_CONTEXTS } from './contexts.generated';
import { defaultDocumentLoader, type DocumentLoader } from './loader';
import { compiledTopLevel, compiledWithLoader, type CompiledContext } from './fast/compiled-context';
import { ContextMiss, Unsupported } from './fast/signals';
import { EMBEDDED_DOCUMENTS, isPlainObject } from './fast/to-dataset';

/**
 * The compacted-form check: a credential must be written in the compacted form of its own contexts.
 *
 * An eddsa-rdfc-2022 signature covers the RDF graph, but the verifier's checks (type, validity dates, status, the EU
 * elements) read JSON keys. JSON-LD offers many spellings of one graph: `credentialStatus` under its absolute IRI,
 * `validUntil` as an expanded `{"@value", "@type"}` object, `@type` for `type`, an inline term that aliases a
 * defined one, a compact IRI... Each keeps the canonical N-Quads, so the signature still holds, while the checks
 * no longer see what they look for: a revoked credential "has no credentialStatus". So only the one spelling the
 * checks read is accepted: every key is a term of the active context (or an IRI no term names), every type and
 * `@vocab` value likewise, `@id` values are written out, and the only keyword keys are `@context` (top level, and the
 * proof's copy of it) and the `@value`/`@language`/`@direction` of a language-tagged string. Inline contexts may only
 * add plain new terms: no keyword aliases, no second name for an IRI that has a term, no `@base`, `@vocab`,
 * `@language`, `@import`, scoped contexts or null mappings.
 *
 * The walk follows the fast path's converter (./fast/to-dataset.ts) context for context: the same compiled tables,
 * the same reverting, property- and type-scoped contexts, so a term is judged in the context that gives it meaning.
 */

/** Where and why a document is not in its compacted form. */
export interface FormProblem {
  /** JSON path of the offending key or value. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
  /**
   * 'malformed-context': a context entry that is not a context at all (a context document `{"@context": {…}}` put
   * where its term definitions belong): a mistake of whoever wrote it, not a rewrite that hides what was signed.
   */
  kind?: 'malformed-context';
}

const MAX_DEPTH = 200;
/** The reason given for a document nested deeper than MAX_DEPTH: a limit, not a rewrite. */
export const TOO_DEEP = 'nesting too deep';
const MAX_COMPILES = 64;
export const SEC_PROOF = 'https://w3id.org/security#proof';
/**
 * Documents inside documents (a presentation of a CLR of credentials with endorsements is 4 deep). An embedded
 * credential (EMBEDDED_DOCUMENTS: OB endorsements, a CLR 2.0 subject's and a presentation's `verifiableCredential`)
 * is checked as a document of its own, in its own contexts (it is also verified on its own), never skipped: a
 * skipped subtree could carry, in an `@included` block or under an alias of its own making, the outer document's
 * `credentialStatus` or `validUntil` while the checks read the outer JSON and find none.
 */
const MAX_EMBEDDED_DEPTH = 4;
const ALLOWED_KEYWORD_ALIASES = new Set(['id', 'type']);
/**
 * The properties the checks find by their JSON key, by IRI. The `@context` list is not signed, so a context that gives
 * one of them a second name (a caller may vouch for any context) would let a holder move it there: the same graph, the
 * same signature, and a status, end date or issuer the checks no longer see. None of the bundled contexts does.
 */
const NAMED_BY_CHECKS = new Map(
  [
    'credentialStatus',
    'validFrom',
    'validUntil',
    'issuanceDate',
    'expirationDate',
    'issuer',
    'credentialSubject',
    'credentialSchema',
    'relatedResource',
    'evidence',
  ]
    .map((term): [string, string] => [`https://www.w3.org/2018/credentials#${term}`, term])
    .concat([
      ['https://w3id.org/security#proof', 'proof'],
      // A proof's end: read by name (a proof past it fails), so under another name an expired proof would hold.
      ['https://w3id.org/security#expiration', 'expires'],
    ]),
);
const INLINE_KEYWORDS_ALLOWED = new Set(['@version', '@protected']);
const INLINE_DEFINITION_KEYS = new Set(['@id', '@type', '@container', '@protected']);

/** Per compiled context: IRI → the terms the context names it with (memoized; contexts are long-lived). */
const inverses = new WeakMap<CompiledContext, Map<string, string[]>>();
function termsFor(ctx: CompiledContext, iri: string): readonly string[] | undefined {
  let inverse = inverses.get(ctx);
  if (inverse === undefined) {
    inverse = new Map();
    for (const [term, def] of ctx.active.mappings) {
      const target = def?.['@id'];
      if (!def || def.reverse || typeof target !== 'string' || target.startsWith('@')) continue;
      const terms = inverse.get(target);
      if (terms) terms.push(term);
      else inverse.set(target, [term]);
    }
    inverses.set(ctx, inverse);
  }
  return inverse.get(iri);
}
function termFor(ctx: CompiledContext, iri: string): string | undefined {
  return termsFor(ctx, iri)?.[0];
}

class NotCompacted {
  constructor(readonly problem: FormProblem) {}
}

/**
 * A JSON path, built as the walk descends into containers and written out only for a refusal (most documents have
 * none). The path of a key or of a value that is not a container is not built at all unless it is refused: it is
 * passed as its parent's path and its own step (`Where`).
 */
interface PathStep {
  readonly parent: Path;
  readonly key: string | number;
}
type Path = PathStep | null;
function at(parent: Path, key: string | number): Path {
  return { parent, key };
}
function render(path: Path): string {
  const steps: (string | number)[] = [];
  for (let p = path; p !== null; p = p.parent) steps.push(p.key);
  return steps.reverse().reduce<string>((out, key) => childPath(out, key), '$');
}
/**
 * The path of `parent`'s member `step` (`parent` itself when `step` is null: a path already built), and of that
 * member's item `index` when `index` is not negative.
 */
function pathOf(parent: Path, step: string | number | null, index = -1): Path {
  const path = step === null ? parent : at(parent, step);
  return index < 0 ? path : at(path, index);
}

function refuse(path: Path | string, message: string, kind?: FormProblem['kind']): never {
  throw new NotCompacted({ path: typeof path === 'string' ? path : render(path), message, ...(kind ? { kind } : {}) });
}

/** A whole document embedded in the one being walked, to be checked in its own contexts. */
interface Embedded {
  readonly path: Path;
  readonly document: Record<string, unknown>;
}

/**
 * Frozen subtrees that a caller puts into many documents (a roster's achievement and issuer profile), and the places
 * where a walk of each was found clean, so that later walks skip them.
 *
 * Why skipping gives the same verdict. A node's walk reads nothing but its arguments — the active context it is read
 * in, its active property, its depth (for the nesting limit) and the node itself — and the walker's inline terms and
 * top-level `@context` (the latter only for an `@context` inside, which no root here holds); it changes nothing but
 * the embedded-document list. Compiled contexts are interned (a derived context is memoised by its parent), and a
 * context a walk once read without a miss stays as it was. So a root walked without a refusal, a miss or an embedded
 * document, in the same context object, under the same property, at the same depth, by a walker with no inline
 * terms, is walked the same way again, and leaves nothing a skip would lose. Only deep-frozen plain data with no
 * `@context` anywhere is taken as a root (checked once, here), so the node cannot have changed since; roots are the
 * caller's own objects, never found in a document, and each keeps at most MAX_PLACES places: holder input cannot grow it.
 */
export class CleanSubtrees {
  private readonly places = new Map<object, { ctx: CompiledContext; property: string | null; depth: number }[]>();
  /** How many node walks were skipped (for tests). */
  skipped = 0;

  constructor(roots: readonly unknown[]) {
    for (const root of roots) if (isPlainObject(root) && isFrozenPlainData(root, '@context')) this.places.set(root, []);
  }

  /** Roots being walked now (their own walk, made through `walked`, goes on into them). */
  private readonly walking = new Set<object>();

  /**
   * Whether `walker` may leave `node` here: a root already found clean at this place, or one walked clean just now
   * (through the walker, which remembers the place); false for any other node, which the walker walks itself. A
   * refusal or a context miss in a root's walk propagates, and nothing is remembered.
   */
  walked(
    walker: FormWalker,
    ctx: CompiledContext,
    property: string | null,
    node: Record<string, unknown>,
    path: Path,
    depth: number,
  ): boolean {
    const places = this.places.get(node);
    if (places === undefined || this.walking.has(node)) return false;
    for (const p of places) {
      if (p.ctx === ctx && p.property === property && p.depth === depth) {
        this.skipped++;
        return true;
      }
    }
    const embedded = walker.embedded.length;
    this.walking.add(node);
    try {
      walker.node(ctx, property, node, path, depth);
    } finally {
      this.walking.delete(node);
    }
    if (walker.embedded.length === embedded && places.length < MAX_PLACES) places.push({ ctx, property, depth });
    return true;
  }

  /** Whether `node` is taken as a root (for tests). */
  isRoot(node: object): boolean {
    return this.places.has(node);
  }
}

/** Places remembered per root (a roster's credentials put theirs in one or two: with and without the extensions). */
const MAX_PLACES = 8;

export class FormWalker {
  /** Embedded documents met in the walk (reset when a walk is restarted after a context miss). */
  embedded: Embedded[] = [];
  /** Roots whose clean walks are skipped (only for a walker with no inline terms: see CleanSubtrees). */
  private readonly clean: CleanSubtrees | undefined;

  constructor(
    private readonly topContext: unknown,
    /** Terms the document's own inline contexts define: each may not be a second name for an IRI that has a term. */
    private readonly inlineTerms: ReadonlySet<string>,
    clean?: CleanSubtrees,
  ) {
    this.clean = inlineTerms.size === 0 ? clean : undefined;
  }

  /** An inline term that names the same IRI as another term of the context it is read in is an alias. */
  private notAnAlias(
    ctx: CompiledContext,
    term: string,
    iri: unknown,
    parent: Path,
    step: string | number | null,
    index: number,
  ): void {
    if (!this.inlineTerms.has(term) || typeof iri !== 'string') return;
    const other = termsFor(ctx, iri)?.find((t) => t !== term);
    if (other !== undefined)
      refuse(pathOf(parent, step, index), `the inline context makes "${term}" another name for "${other}"`);
  }

  node(
    ctx: CompiledContext,
    activeProperty: string | null,
    element: Record<string, unknown>,
    path: Path,
    depth: number,
  ): void {
    if (this.clean?.walked(this, ctx, activeProperty, element, path, depth)) return;
    if (depth > MAX_DEPTH) throw new Unsupported(TOO_DEEP);
    const top = activeProperty === null;
    const keys = Object.keys(element);

    // The context this node's keys are read in, exactly as the converter computes it.
    let active = ctx;
    let mustRevert = true;
    if (ctx.previous && keys.length <= 2 && !keys.includes('@context')) {
      if (keys.length === 1 && ctx.expandVocab(keys[0]!) === '@id') mustRevert = false;
    }
    if (mustRevert) active = active.revert();
    if (!top) {
      const propertyScoped = ctx.scopedContextOf(activeProperty);
      if (propertyScoped !== undefined) active = active.withPropertyScope(propertyScoped);
      if (Object.hasOwn(element, '@context')) {
        const iri = ctx.expandVocab(activeProperty);
        // An embedded credential is a document of its own, checked in its own contexts after this walk.
        if (iri !== null && EMBEDDED_DOCUMENTS.has(iri)) {
          this.embedded.push({ path, document: element });
          return;
        }
        if (iri !== SEC_PROOF || !this.repeatsTopContext(element['@context'])) {
          refuse(
            at(path, '@context'),
            'an @context inside the credential (only the top level, and a proof repeating it, may carry one)',
          );
        }
      }
    }

    // Types are read in the context before any type-scoped context; the other keys after all of them (the VC
    // context defines credentialStatus, validUntil... only in VerifiableCredential's type-scoped context).
    const typeScoped = active;
    let typeKey: string | null = null;
    for (const key of keys) {
      if (key !== '@context' && typeScoped.expandVocab(key) === '@type') {
        this.key(typeScoped, key, path);
        typeKey = key;
      }
    }
    if (typeKey !== null) {
      const value = element[typeKey];
      if (typeof value === 'string') {
        this.vocabValue(typeScoped, value, path, typeKey, -1, 'type');
        const scoped = typeScoped.scopedContextOf(value);
        if (scoped !== undefined) active = active.withTypeScope(scoped);
      } else if (Array.isArray(value)) {
        const types: string[] = [];
        // forEach's visit, without its closure: holes skipped.
        for (let i = 0, n = value.length; i < n; i++) {
          if (!(i in value)) continue;
          const type: unknown = value[i];
          if (typeof type !== 'string') continue; // not JSON-LD: safe mode refuses it
          this.vocabValue(typeScoped, type, path, typeKey, i, 'type');
          types.push(type);
        }
        if (types.length > 1) types.sort();
        for (const type of types) {
          const scoped = typeScoped.scopedContextOf(type);
          if (scoped !== undefined) active = active.withTypeScope(scoped);
        }
      }
    }

    for (const key of keys) {
      if (key !== '@context' && key !== typeKey) this.key(active, key, path);
    }
    for (const key of keys) {
      if (key === '@context' || key === typeKey) continue;
      const iri = active.expandVocab(key);
      if (iri === '@id') {
        const id = element[key];
        if (typeof id === 'string') this.idValue(active, id, path, key, -1);
        continue;
      }
      this.property(active, key, iri, element[key], path, depth);
    }
  }

  /** A proof's `@context` (eddsa-jcs-2022 keeps one) may only repeat the document's own. */
  private repeatsTopContext(value: unknown): boolean {
    if (JSON.stringify(value) === JSON.stringify(this.topContext)) return true;
    const top = Array.isArray(this.topContext) ? this.topContext : [this.topContext];
    const list = Array.isArray(value) ? value : [value];
    return list.length > 0 && list.every((url) => typeof url === 'string' && top.includes(url));
  }

  /** A key of the node at `parent`. */
  key(ctx: CompiledContext, key: string, parent: Path): void {
    if (key.startsWith('@')) {
      const alias = key === '@type' ? ' (write "type")' : key === '@id' ? ' (write "id")' : '';
      refuse(at(parent, key), `the JSON-LD keyword ${key} is used as a key${alias}`);
    }
    const def = ctx.active.mappings.get(key);
    if (def === null) return; // a null-mapped term: safe mode refuses it
    if (def !== undefined) {
      const iri = def['@id'];
      if (typeof iri === 'string' && iri.startsWith('@') && !ALLOWED_KEYWORD_ALIASES.has(key))
        refuse(at(parent, key), `"${key}" is another name for the keyword ${iri}`);
      const named = typeof iri === 'string' ? NAMED_BY_CHECKS.get(iri) : undefined;
      if (named !== undefined && named !== key) refuse(at(parent, key), `"${key}" is another name for "${named}"`);
      this.notAnAlias(ctx, key, iri, parent, key, -1);
      return;
    }
    const iri = ctx.expandVocab(key);
    if (iri === null) return;
    if (iri.startsWith('@')) refuse(at(parent, key), `"${key}" stands for the keyword ${iri}`);
    const term = termFor(ctx, iri);
    if (term !== undefined) refuse(at(parent, key), `"${key}" is "${term}" written as an IRI`);
  }

  /** A type or `@vocab`-coerced value (at `pathOf(parent, step, index)`): a term, or an IRI that no term names. */
  vocabValue(
    ctx: CompiledContext,
    value: string,
    parent: Path,
    step: string | number | null,
    index: number,
    what: string,
  ): void {
    const def = ctx.active.mappings.get(value);
    if (def !== undefined && def !== null) {
      const iri = def['@id'];
      if (typeof iri === 'string' && iri.startsWith('@'))
        refuse(pathOf(parent, step, index), `the ${what} "${value}" is a keyword`);
      this.notAnAlias(ctx, value, iri, parent, step, index);
      return;
    }
    const iri = ctx.expandVocab(value);
    if (iri === null) return;
    if (iri.startsWith('@'))
      refuse(pathOf(parent, step, index), `the ${what} "${value}" stands for the keyword ${iri}`);
    const term = termFor(ctx, iri);
    if (term !== undefined)
      refuse(pathOf(parent, step, index), `the ${what} "${value}" is "${term}" written as an IRI`);
  }

  /** An `@id` or `@id`-coerced value is written out in full, never as a compact IRI over a prefix term. */
  idValue(ctx: CompiledContext, value: string, parent: Path, step: string | number | null, index: number): void {
    const iri = ctx.expandBase(value);
    if (iri !== null && iri !== value) refuse(pathOf(parent, step, index), `"${value}" is a shortened form of ${iri}`);
  }

  /** The member `key` of the node at `parent`, whose IRI (in `active`) is `iri`. */
  private property(
    active: CompiledContext,
    key: string,
    iri: string | null,
    value: unknown,
    parent: Path,
    depth: number,
  ): void {
    const term = active.term(key);
    if (iri !== null && EMBEDDED_DOCUMENTS.has(iri)) {
      // Before the term's scoped context is applied: the VC context gives a presentation's verifiableCredential
      // `"@context": null` (each credential brings its own), which the compiled tables do not describe.
      this.embeddedValues(active, key, term.scoped, value, at(parent, key), depth);
      return;
    }
    const termCtx = term.scoped !== undefined ? active.withPropertyScope(term.scoped) : active;
    this.values(termCtx, key, value, parent, key, depth);
  }

  /** The value of a property holding whole credentials: each with an `@context` is a document of its own. */
  private embeddedValues(
    active: CompiledContext,
    key: string,
    scoped: unknown,
    value: unknown,
    path: Path,
    depth: number,
  ): void {
    const items = Array.isArray(value)
      ? value.map((item, i) => [item, at(path, i)] as const)
      : [[value, path] as const];
    for (const [item, itemPath] of items) {
      if (isPlainObject(item) && Object.hasOwn(item, '@context')) {
        this.embedded.push({ path: itemPath, document: item });
      } else if (scoped === undefined) {
        this.values(active, key, item, itemPath, null, depth + 1);
      } else if (typeof item === 'string') {
        if (active.term(key).coerce === '@id') this.idValue(active, item, itemPath, null, -1);
      } else if (item !== null) {
        refuse(itemPath, 'a credential without its own @context where each credential brings its own');
      }
    }
  }

  /**
   * The value of `key` at `pathOf(parent, step)`, or at `parent` itself when `step` is null (an embedded document's
   * item, whose path is already built).
   */
  private values(
    termCtx: CompiledContext,
    key: string,
    value: unknown,
    parent: Path,
    step: string | number | null,
    depth: number,
  ): void {
    if (value === null) return;
    const term = termCtx.term(key);
    if (term.languageMap) {
      this.languageMap(value, parent, step);
      return;
    }
    if (Array.isArray(value)) {
      if (depth > MAX_DEPTH) throw new Unsupported(TOO_DEEP);
      const path = pathOf(parent, step);
      // forEach's visit, without its closure: holes skipped.
      for (let i = 0, n = value.length; i < n; i++)
        if (i in value) this.values(termCtx, key, value[i], path, i, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      if (!isPlainObject(value)) return; // not JSON: safe mode refuses it
      if (Object.hasOwn(value, '@value')) {
        this.valueObject(term.coerce, value, parent, step);
        return;
      }
      this.node(termCtx, key, value, pathOf(parent, step), depth + 1);
      return;
    }
    if (typeof value !== 'string') return;
    const coerce = term.coerce;
    if (coerce === '@id') this.idValue(termCtx, value, parent, step, -1);
    else if (coerce === '@vocab') this.vocabValue(termCtx, value, parent, step, -1, 'value');
  }

  /**
   * A language map (ELM's prefLabel): `{ "en": "…", "et": ["…", "…"] }`, its keys languages, not properties (a key
   * `id` is Indonesian). Its compacted form writes each language in lower case (jsonld.js lowercases them, so "EN"
   * and "en" are one graph) and never as `{"@value", "@language"}` objects, which a list would carry just the same.
   * A plain text (no language) is accepted as the map's `@none` is.
   */
  languageMap(value: unknown, parent: Path, step: string | number | null): void {
    if (texts(value)) return;
    const path = pathOf(parent, step);
    if (!isPlainObject(value) || Object.hasOwn(value, '@value')) {
      refuse(
        path,
        'a language-tagged text is written as a JSON-LD value object where the context makes it a language map ({ "en": "…" })',
      );
    }
    for (const [language, text] of Object.entries(value)) {
      if (language.startsWith('@') && language !== '@none')
        refuse(at(path, language), `the JSON-LD keyword ${language} is used as a language`);
      if (language !== language.toLowerCase())
        refuse(
          at(path, language),
          `the language "${language}" is written with capitals (its compacted form is "${language.toLowerCase()}")`,
        );
      if (!texts(text)) refuse(at(path, language), 'a language map holds something other than texts');
    }
  }

  /**
   * Only a language-tagged string (multilingual names) is written as a value object: anything else has a plain
   * form, and a `{"@value", "@type"}` object would hide a date from the checks that read `validUntil`.
   */
  valueObject(coerce: string | null, item: Record<string, unknown>, parent: Path, step: string | number | null): void {
    const keys = Object.keys(item);
    const tagged = keys.every((k) => k === '@value' || k === '@language' || k === '@direction') && keys.length >= 2;
    if (!tagged || typeof item['@value'] !== 'string' || coerce !== null) {
      refuse(
        pathOf(parent, step),
        'a value is written as an expanded JSON-LD value object (only a text with @language or @direction may be)',
      );
    }
  }
}

/** A plain text, no text, or a list of them: what a language map may hold without a language. */
function texts(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((t) => t === null || typeof t === 'string'))
  );
}

/** The inline term definitions of a top-level context, checked by shape before jsonld.js processes them. */
function checkInlineShape(definitions: Record<string, unknown>, path: string): string[] {
  const terms: string[] = [];
  for (const [term, def] of Object.entries(definitions)) {
    const at = childPath(path, term);
    if (term === '@context') {
      refuse(
        at,
        'the entry is a context document ({"@context": {…}}) where a context entry belongs: write its term definitions (or its URL) as the entry itself',
        'malformed-context',
      );
    }
    if (term.startsWith('@')) {
      if (!INLINE_KEYWORDS_ALLOWED.has(term))
        refuse(at, `the inline context sets ${term}, which changes how every key is read`);
      continue;
    }
    terms.push(term);
    if (typeof def === 'string') {
      if (def.startsWith('@')) refuse(at, `the inline context makes "${term}" another name for the keyword ${def}`);
      continue;
    }
    if (!isPlainObject(def))
      refuse(at, `the inline context maps "${term}" to nothing (its values would be left out of what is signed)`);
    for (const k of Object.keys(def)) {
      if (!INLINE_DEFINITION_KEYS.has(k))
        refuse(
          childPath(at, k),
          `the inline definition of "${term}" uses ${k}; inline contexts may only add plain terms`,
        );
    }
    const id = def['@id'];
    if (typeof id === 'string' && id.startsWith('@'))
      refuse(at, `the inline context makes "${term}" another name for the keyword ${id}`);
    const type = def['@type'];
    if (type !== undefined && (typeof type !== 'string' || type === '@json' || type === '@none'))
      refuse(childPath(at, '@type'), `the inline definition of "${term}" has an unusual @type`);
  }
  return terms;
}

function bundledUrls(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0) return undefined;
  for (const url of list) if (typeof url !== 'string' || !Object.hasOwn(BUNDLED_CONTEXTS, url)) return undefined;
  return list as string[];
}

async function loaderServesBundled(urls: readonly string[], loader: DocumentLoader): Promise<boolean> {
  if (loader === defaultDocumentLoader) return true;
  try {
    for (const url of urls) if ((await loader(url)).document !== BUNDLED_CONTEXTS[url]) return false;
    return true;
  } catch {
    return false;
  }
}

/** Outcome of {@link checkCompactedForm}. */
export type CompactedFormVerdict =
  | { status: 'compacted' }
  | { status: 'not-compacted'; problem: FormProblem }
  /** The contexts could not be processed (unknown, or refused by jsonld.js): the contexts step reports that. */
  | { status: 'unprocessable'; reason: string };

/**
 * Checks that a JSON-LD document is written in the compacted form of its own contexts (see the module comment).
 * Never throws for a bad document. `documentLoader` serves the document's context URLs (default: bundled only).
 */
export async function checkCompactedForm(
  document: Record<string, unknown>,
  options: { documentLoader?: DocumentLoader; cleanSubtrees?: CleanSubtrees } = {},
): Promise<CompactedFormVerdict> {
  return checkDocument(document, options.documentLoader ?? defaultDocumentLoader, 0, options.cleanSubtrees);
}

async function checkDocument(
  document: Record<string, unknown>,
  loader: DocumentLoader,
  embeddedDepth: number,
  clean?: CleanSubtrees,
): Promise<CompactedFormVerdict> {
  const topContext = document['@context'];
  try {
    const list = Array.isArray(topContext) ? topContext : [topContext];
    const inlineTerms: string[] = [];
    list.forEach((entry, i) => {
      if (isPlainObject(entry))
        inlineTerms.push(
          ...checkInlineShape(entry, Array.isArray(topContext) ? `$["@context"][${i}]` : '$["@context"]'),
        );
    });
    let context: CompiledContext;
    const urls = bundledUrls(topContext);
    if (urls !== undefined && (await loaderServesBundled(urls, loader))) {
      context = await compiled(() => compiledTopLevel(urls));
    } else {
      try {
        context = await compiledWithLoader(topContext, loader);
      } catch (e) {
        if (e instanceof NotCompacted) throw e;
        return {
          status: 'unprocessable',
          reason: e instanceof Unsupported ? e.reason : ((e as Error)?.message ?? String(e)),
        };
      }
    }
    const walker = new FormWalker(topContext, new Set(inlineTerms), clean);
    for (let compiles = 0; ; compiles++) {
      try {
        walker.embedded = [];
        walker.node(context, null, document, null, 0);
        break;
      } catch (e) {
        if (e instanceof ContextMiss && compiles < MAX_COMPILES) {
          await e.fill();
          continue;
        }
        throw e;
      }
    }
    if (walker.embedded.length > 0 && embeddedDepth >= MAX_EMBEDDED_DEPTH) {
      refuse(walker.embedded[0]!.path, `credentials embedded more than ${MAX_EMBEDDED_DEPTH} deep`);
    }
    for (const { path, document: inner } of walker.embedded) {
      const verdict = await checkDocument(inner, loader, embeddedDepth + 1);
      const prefix = render(path);
      if (verdict.status === 'not-compacted')
        return {
          status: 'not-compacted',
          problem: { ...verdict.problem, path: prefix + verdict.problem.path.slice(1) },
        };
      if (verdict.status === 'unprocessable')
        return { status: 'unprocessable', reason: `${prefix}: ${verdict.reason}` };
    }
    return { status: 'compacted' };
  } catch (e) {
    if (e instanceof NotCompacted) return { status: 'not-compacted', problem: e.problem };
    if (e instanceof Unsupported) return { status: 'unprocessable', reason: e.reason };
    if (e instanceof ContextMiss) return { status: 'unprocessable', reason: 'too many context compilations' };
    return { status: 'unprocessable', reason: (e as Error)?.message ?? String(e) };
  }
}

async function compiled(get: () => CompiledContext): Promise<CompiledContext> {
  for (let compiles = 0; compiles <= MAX_COMPILES; compiles++) {
    try {
      return get();
    } catch (e) {
      if (e instanceof ContextMiss) {
        await e.fill();
        continue;
      }
      throw e;
    }
  }
  throw new Unsupported('too many context compilations');
}
