import type { CompiledContext, TermInfo } from './compiled-context';
import {
  DEFAULT_GRAPH,
  RDF_FIRST,
  RDF_LANGSTRING,
  RDF_NIL,
  RDF_REST,
  RDF_TYPE,
  isPlainIri,
  literalFor,
  type BlankNode,
  type DefaultGraph,
  type Literal,
  type NamedNode,
  type Quad,
  type RdfObject,
  type Subject,
} from './rdf-terms';
import { Unsupported } from './signals';

/**
 * JSON → RDF quads in one walk, for documents within the subset the bundled contexts need: node objects,
 * `id`/`type`, properties coerced to `@id`/`@vocab`/datatypes, `@set`, `@list` and `@graph` containers (the VC
 * `proof` property), property- and type-scoped contexts. It follows jsonld 9's expansion (lib/expand.js) and toRDF
 * (lib/toRdf.js) step by step, including which context each lookup uses; everything else throws `Unsupported` so that jsonld.js handles it
 * (and raises the safe-mode error where there is one). Blank node labels are arbitrary: RDFC-1.0 relabels them.
 */

/** Nesting beyond this goes to jsonld.js rather than risk the stack here. */
const MAX_DEPTH = 200;
/** Keys of one node object compared pairwise for a shared IRI (see `node`); wider objects skip the comparison. */
const MAX_KEYS_COMPARED = 32;

/**
 * graph → subject → property → the values kept there (see Kept). Keyed by the strings themselves (an IRI always
 * contains ':', a blank node label never does, so they cannot collide), which keeps V8's cached string hashes instead
 * of hashing a freshly built key on every quad.
 */
type Dedup = Map<DefaultGraph | BlankNode, Map<string, Map<string, Kept>>>;

/**
 * The values kept for one subject and property, each as its kind, its text and the datatype it was written with.
 * Nearly every property of a credential has one to a few values: those are listed flat, [kind, text, written, …],
 * and compared in turn, which costs less than two tables made per property. Past MAX_LISTED_VALUES (a long list a
 * holder can write) they move to a table, kind → text → written, so that no list is ever scanned at length. Either
 * way values are equal when their kinds and texts are equal strings, as the table's keys are.
 */
type Kept = string[] | Map<string, Map<string, string>>;
const MAX_LISTED_VALUES = 8;

/**
 * What jsonld's node map compares to merge equal values, in two parts: `kind` ('I' for an IRI, or a literal's
 * datatype, language and JavaScript type, see literalKey) and `text` (the IRI, or the value as a string). Null
 * means "never equal to anything" (lists, fresh blank nodes).
 */
interface ValueKey {
  readonly kind: string;
  readonly text: string;
}

/** What `value` gives in a walk without quads (`checkOnly`): the value was checked, nothing was built. */
const CHECKED: [RdfObject, null] = [namedNode(''), null];
/** The subject of every node in a walk without quads: no quad is kept, so no node needs a term of its own. */
const CHECKED_SUBJECT = CHECKED[0] as NamedNode;

/**
 * Checks that another walk of the same document makes with the contexts this walk computes anyway (the
 * compacted-form check, ../compacted-form.ts), run at the same places in a walk without quads so that one walk
 * answers both. Each method throws to stop the walk; the caller then runs the two walks separately, so the observer
 * only ever has to say "all of these pass", never which fails first or where. `FORM_WALK_UNSURE` marks what it
 * cannot answer for.
 */
export interface FormObserver {
  /**
   * A node's keys, read as the compacted-form walk reads them: its type key and types in `typeScoped` (the context
   * before type-scoped contexts), its other keys and its `@id` value in `active`. `idKey` is the one key that
   * expands to `@id` in `active` (its value a string), or null: this walk has already expanded every key there.
   */
  node(
    typeScoped: CompiledContext,
    active: CompiledContext,
    element: Record<string, unknown>,
    keys: readonly string[],
    typeKey: string | null,
    types: readonly string[],
    idKey: string | null,
  ): void;
  /** A string value of a term coerced to `@id` or `@vocab`, in the term's own context. */
  coerced(termCtx: CompiledContext, coerce: '@id' | '@vocab', value: string): void;
  /** The value of a language-map term. */
  languageMap(value: unknown): void;
  /** A value object, under a term with coercion `coerce`. */
  valueObject(coerce: string | null, item: Record<string, unknown>): void;
  /**
   * A nested `@context` of bundled `urls` on a node under the property that expands to `property`, applied to
   * `before`. The compacted-form walk reads that node's keys in `before` (it only checks that a proof's context
   * repeats the top level's), so the observer answers only where applying `urls` to `before` changes no term.
   */
  embeddedContext(property: string | null, urls: readonly string[], before: CompiledContext): void;
}

/** What the compacted-form walk does not share with this one: embedded documents, nesting past its bound. */
export const FORM_WALK_UNSURE = 'not answered for the compacted-form check';
/**
 * Properties whose values are whole credentials, each with its own `@context` (OB endorsements, a CLR 2.0 subject's
 * and a presentation's `verifiableCredential`): the compacted-form walk checks each as a document of its own.
 */
export const EMBEDDED_DOCUMENTS = new Set([
  'https://purl.imsglobal.org/spec/vc/ob/vocab.html#endorsement',
  'https://purl.imsglobal.org/spec/vc/clr/vocab.html#verifiableCredential',
  'https://www.w3.org/2018/credentials#verifiableCredential',
]);
/**
 * The compacted-form walk counts a level for every array as well as every node, against its own bound of 200; with
 * an observer this walk stops well before that could matter.
 */
const MAX_OBSERVED_DEPTH = 95;

class Converter {
  readonly quads: Quad[] = [];
  private readonly seen: Dedup = new Map();
  private blankCount = 0;
  constructor(
    /** The document's top-level context URLs: the only ones an embedded `@context` may name (the caller's loader was checked for these). */
    private readonly topUrls: readonly string[],
    /**
     * Walk and validate only (checkSafeMode): no quads are kept and no duplicates tracked. The duplicate check only
     * ever hands a valid document to jsonld.js (to learn which of two equal values it keeps), so skipping it cannot
     * change a safe-mode verdict.
     */
    private readonly checkOnly = false,
    /** With `checkOnly`: the compacted-form checks made in the same walk. */
    private readonly observer?: FormObserver,
  ) {}

  /** An embedded `@context` the fast path handles: a URL or list of URLs, all from the document's own context. */
  private embeddedUrls(value: unknown): readonly string[] {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!list || list.length === 0 || !list.every((url) => typeof url === 'string' && this.topUrls.includes(url))) {
      throw new Unsupported('embedded @context');
    }
    return list as string[];
  }

  /** The graph quads go to: the default graph, or the blank node naming a `@graph` container's value. */
  private graph: DefaultGraph | BlankNode = DEFAULT_GRAPH;

  newBlank(): BlankNode {
    return { termType: 'BlankNode', value: `b${this.blankCount++}` };
  }

  /**
   * Adds a quad unless jsonld's node map would have merged it away: within one subject and property, jsonld
   * keeps one copy of equal values (same `@id`, or same `@value` — by ===, so 5 and "5" differ — and `@type`).
   * `valueKey` null means "never equal to anything" (lists, fresh blank nodes).
   */
  emit(
    subject: Subject,
    predicate: string,
    object: RdfObject,
    valueKey: ValueKey | null,
    dedupKey: string = predicate,
  ): void {
    if (this.checkOnly) return;
    if (valueKey !== null) {
      // jsonld keeps a node map per graph: equal values merge within a graph, never across graphs.
      let bySubject = this.seen.get(this.graph);
      if (!bySubject) this.seen.set(this.graph, (bySubject = new Map()));
      let byPredicate = bySubject.get(subject.value);
      if (!byPredicate) bySubject.set(subject.value, (byPredicate = new Map()));
      const written = object.termType === 'Literal' ? object.datatype.value : '';
      const kept = byPredicate.get(dedupKey);
      if (kept === undefined) byPredicate.set(dedupKey, [valueKey.kind, valueKey.text, written]);
      else if (Array.isArray(kept)) {
        for (let i = 0; i < kept.length; i += 3) {
          if (kept[i] === valueKey.kind && kept[i + 1] === valueKey.text) {
            keptAs(kept[i + 2]!, written);
            return;
          }
        }
        kept.push(valueKey.kind, valueKey.text, written);
        if (kept.length > 3 * MAX_LISTED_VALUES) byPredicate.set(dedupKey, tableOf(kept));
      } else {
        let values = kept.get(valueKey.kind);
        if (!values) kept.set(valueKey.kind, (values = new Map()));
        const previous = values.get(valueKey.text);
        if (previous !== undefined) {
          keptAs(previous, written);
          return;
        }
        values.set(valueKey.text, written);
      }
    }
    this.quads.push({ subject, predicate: namedNode(predicate), object, graph: this.graph });
  }

  /**
   * A node object (jsonld `api.expand` for an object, then `_expandObject`, then the node map).
   * `ctx` is the context the caller expands this value with; `activeProperty` the key it sits under.
   */
  node(
    ctx: CompiledContext,
    activeProperty: string | null,
    element: Record<string, unknown>,
    depth: number,
    graphRoot = false,
  ): Subject {
    if (depth > MAX_DEPTH) throw new Unsupported('nesting too deep');
    if (this.observer && depth > MAX_OBSERVED_DEPTH) throw new Unsupported(FORM_WALK_UNSURE);
    const top = activeProperty === null;
    const keys = Object.keys(element);

    // Revert a type-scoped context unless this is a value object or a lone subject reference.
    let active = ctx;
    let mustRevert = true;
    if (ctx.previous && keys.length <= 2 && !keys.includes('@context')) {
      // The keys in sorted order, as jsonld reads them, without copying and sorting a list of at most two.
      const swap = keys.length === 2 && keys[0]! > keys[1]!;
      for (let i = 0; i < keys.length; i++) {
        const iri = ctx.expandVocab(keys[swap ? 1 - i : i]!);
        if (iri === '@value') throw new Unsupported('value object');
        if (iri === '@id' && keys.length === 1) {
          mustRevert = false;
          break;
        }
      }
    }
    if (mustRevert) active = active.revert();

    // The property-scoped context of the incoming context's term, applied after reverting.
    if (!top) {
      const propertyScoped = ctx.scopedContextOf(activeProperty);
      if (propertyScoped !== undefined) active = active.withPropertyScope(propertyScoped);
    } else if (!('@context' in element)) {
      throw new Unsupported('top-level object without @context');
    }
    if (!top && '@context' in element) {
      const urls = this.embeddedUrls(element['@context']);
      this.observer?.embeddedContext(ctx.expandVocab(activeProperty), urls, active);
      active = active.withEmbedded(urls);
    }

    // Type-scoped contexts: looked up in the context as it is before any of them, applied in sorted order.
    const typeScoped = active;
    let typeKey: string | null = null;
    for (const key of keys) {
      if (key === '@context') continue;
      if (typeScoped.expandVocab(key) === '@type') {
        if (typeKey !== null) throw new Unsupported('several keys expand to @type');
        typeKey = key;
      }
    }
    let types: readonly string[] = [];
    if (typeKey !== null) {
      types = stringList(element[typeKey]);
      const sorted = types.length > 1 ? types.slice().sort() : types;
      for (const type of sorted) {
        const scoped = typeScoped.scopedContextOf(type);
        if (scoped !== undefined) active = active.withTypeScope(scoped);
      }
    }

    // Subject: `@id` expanded against the final context, else a fresh blank node.
    let subject: Subject | null = null;
    let idKey: string | null = null;
    // The keys that are properties, and their IRIs at the same index.
    const propertyKeys: string[] = [];
    const propertyIris: string[] = [];
    for (const key of keys) {
      if (key === '@context') continue;
      const iri = active.expandVocab(key);
      if (iri === '@type') {
        if (key !== typeKey) throw new Unsupported('@type alias changed by a type-scoped context');
        continue;
      }
      if (key === typeKey) throw new Unsupported('@type alias changed by a type-scoped context');
      if (iri === '@id') {
        if (subject !== null) throw new Unsupported('several keys expand to @id');
        const value = element[key];
        if (typeof value !== 'string') throw new Unsupported('non-string @id');
        const id = active.expandBase(value);
        if (!isPlainIri(id)) throw new Unsupported('relative or blank node @id');
        subject = this.checkOnly ? CHECKED_SUBJECT : namedNode(id);
        idKey = key;
        continue;
      }
      if (!isPlainIri(iri))
        throw new Unsupported(String(iri).startsWith('@') ? 'keyword key' : 'key not expanding to an absolute IRI');
      propertyKeys.push(key);
      propertyIris.push(iri);
    }
    const hasId = subject !== null;
    subject ??= this.checkOnly ? CHECKED_SUBJECT : this.newBlank();
    this.observer?.node(typeScoped, active, element, keys, typeKey, types, idKey);

    let count = hasId ? 1 : 0;
    if (types.length > 0) count++;
    for (const type of types) {
      const iri = typeScoped.expandVocab(type);
      if (!isPlainIri(iri)) throw new Unsupported('type not expanding to an absolute IRI');
      // Kept apart from a property that is literally rdf:type: jsonld's node map does not merge the two.
      if (!this.checkOnly) this.emit(subject, RDF_TYPE, namedNode(iri), iriKey(iri), '@type');
    }

    // A node without an `@id` is a fresh blank node: every quad about it comes from this object. A property whose
    // IRI no other key of the object has then gets its one value (when it has one) without consulting the
    // node-map table, since there is nothing it could be equal to. Wide objects are left to the table.
    const fresh = !hasId && propertyIris.length <= MAX_KEYS_COMPARED;
    for (let i = 0; i < propertyKeys.length; i++) {
      const key = propertyKeys[i]!;
      const iri = propertyIris[i]!;
      const alone = fresh && propertyIris.indexOf(iri) === i && propertyIris.indexOf(iri, i + 1) === -1;
      if (this.property(active, subject, key, iri, element[key], depth, alone)) count++;
    }

    // jsonld drops (and safe mode rejects) an empty top-level or graph-contained node, or one with only an @id.
    if ((top || graphRoot) && (count === 0 || (count === 1 && hasId)))
      throw new Unsupported('top-level node without properties');
    return subject;
  }

  /** One property of a node; returns whether jsonld's expanded node would have the property (for the count). */
  private property(
    active: CompiledContext,
    subject: Subject,
    key: string,
    predicate: string,
    value: unknown,
    depth: number,
    /** Nothing else about `subject` can have `predicate`: a single value needs no node-map check. */
    alone = false,
  ): boolean {
    const term = active.term(key);
    if (term.problem) throw new Unsupported(term.problem);
    const termCtx = term.scoped !== undefined ? active.withPropertyScope(term.scoped) : active;
    if (termCtx !== active && termCtx.term(key).list !== term.list)
      throw new Unsupported('scoped context changes the container');
    if (this.observer && (EMBEDDED_DOCUMENTS.has(predicate) || termCtx.term(key).languageMap !== term.languageMap))
      throw new Unsupported(FORM_WALK_UNSURE);
    if (value === null) return false;

    if (term.graph) {
      // jsonld skips the property altogether when no graph value is left (e.g. `proof: []`).
      return this.graphValues(termCtx, subject, key, predicate, Array.isArray(value) ? value : [value], depth) > 0;
    }

    if (term.languageMap) {
      this.observer?.languageMap(value);
      this.languageMap(term.scoped, subject, predicate, value);
      return true;
    }

    // In the node's own context the key has just been expanded to `predicate`, an absolute IRI, and its term has no
    // problem: a scalar value need not look them up again. A scoped context may redefine the key: then it must.
    const checked = termCtx === active ? term : undefined;
    if (term.list) {
      const items: RdfObject[] = [];
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null) continue;
        if (Array.isArray(item)) throw new Unsupported('list of lists');
        items.push(this.value(termCtx, key, item, depth, checked)[0]);
      }
      this.emit(subject, predicate, this.list(items), null);
      return true;
    }

    if (Array.isArray(value)) {
      this.values(termCtx, subject, key, predicate, value, depth, checked);
    } else {
      const [object, valueKey] = this.value(termCtx, key, value, depth, checked);
      this.emit(subject, predicate, object, alone ? null : valueKey);
    }
    return true;
  }

  /**
   * A language map (`@container: @language`), as jsonld's `_expandLanguageMap`: each key a language tag (lower-cased),
   * each value a string or an array of strings. Anything unusual (a scoped context, `@none`, a key that is not a plain
   * BCP 47 tag, non-string values, an empty map) goes to jsonld.
   */
  private languageMap(scoped: unknown, subject: Subject, predicate: string, value: unknown): void {
    if (scoped !== undefined) throw new Unsupported('language map with a scoped context');
    if (!isPlainObject(value)) throw new Unsupported('language map that is not an object');
    let count = 0;
    for (const key of Object.keys(value).sort()) {
      if (!BCP47.test(key)) throw new Unsupported('language map key that is not a language tag');
      const items = (Array.isArray(value[key]) ? value[key] : [value[key]]) as unknown[];
      for (const item of items) {
        if (item === null) continue;
        if (typeof item !== 'string') throw new Unsupported('language map value that is not a string');
        count++;
        // A string under a BCP 47 tag is always a language-tagged literal: nothing left to check without quads.
        if (this.checkOnly) continue;
        const [object, valueKey] = valueObject({ '@value': item, '@language': key });
        this.emit(subject, predicate, object, valueKey);
      }
    }
    if (count === 0) throw new Unsupported('empty language map');
  }

  /**
   * Values of a `@graph` container (jsonld: expand each value, wrap it as `{"@graph": [value]}`; the node map gives
   * the graph object a fresh blank node that names the graph holding the value's own quads). Only node objects;
   * strings (`@id` references), value objects and graph objects go to jsonld.
   */
  private graphValues(
    termCtx: CompiledContext,
    subject: Subject,
    key: string,
    predicate: string,
    array: unknown[],
    depth: number,
  ): number {
    let count = 0;
    this.eachItem(array, depth, (item, itemDepth) => {
      if (!isPlainObject(item) || Object.hasOwn(item, '@value'))
        throw new Unsupported('@graph container value that is not a node object');
      const name = this.newBlank();
      this.emit(subject, predicate, name, null);
      const outer = this.graph;
      this.graph = name;
      try {
        this.node(termCtx, key, item, itemDepth + 1, true);
      } finally {
        this.graph = outer;
      }
      count++;
    });
    return count;
  }

  private values(
    termCtx: CompiledContext,
    subject: Subject,
    key: string,
    predicate: string,
    array: unknown[],
    depth: number,
    checked: TermInfo | undefined,
  ): void {
    this.eachItem(array, depth, (item, itemDepth) => {
      const [object, valueKey] = this.value(termCtx, key, item, itemDepth, checked);
      this.emit(subject, predicate, object, valueKey);
    });
  }

  /**
   * Array values are flattened (nested arrays too) and nulls dropped, as jsonld's expansion does. `visit` gets the
   * depth the item sits at, so that nesting through arrays and through nodes counts against one limit.
   */
  private eachItem(array: unknown[], depth: number, visit: (item: unknown, depth: number) => void): void {
    if (depth > MAX_DEPTH) throw new Unsupported('nesting too deep');
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) throw new Unsupported('sparse array');
      const item = array[i];
      if (item === null) continue;
      if (Array.isArray(item)) this.eachItem(item, depth + 1, visit);
      else visit(item, depth);
    }
  }

  /** A single non-null, non-array value: a node object or a scalar (jsonld `_expandValue` + `_objectToRDF`). */
  private value(
    termCtx: CompiledContext,
    key: string,
    item: unknown,
    depth: number,
    /** `termCtx.term(key)` when the key is known to expand to an absolute IRI there and its term has no problem. */
    checked?: TermInfo,
  ): [RdfObject, ValueKey | null] {
    if (typeof item === 'object' && item !== null) {
      if (!isPlainObject(item)) throw new Unsupported('non-plain object');
      if (Object.hasOwn(item, '@value')) {
        // jsonld still processes the property-scoped context on the way (reverting first unless ≤ 2 keys);
        // doing the same surfaces any failure of that context exactly where jsonld would meet it.
        const scoped = termCtx.scopedContextOf(key);
        if (scoped !== undefined)
          (Object.keys(item).length <= 2 ? termCtx : termCtx.revert()).withPropertyScope(scoped);
        this.observer?.valueObject(termCtx.term(key).coerce, item);
        return valueObject(item);
      }
      const node = this.node(termCtx, key, item, depth + 1);
      if (this.checkOnly) return CHECKED;
      return [node, node.termType === 'NamedNode' ? iriKey(node.value) : null];
    }
    if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) {
      throw new Unsupported('value that is not JSON');
    }
    // Scalars are expanded with the term as (re)defined in its own property-scoped context.
    const term = checked ?? termOfScalar(termCtx, key);
    if (typeof item === 'string' && (term.coerce === '@id' || term.coerce === '@vocab')) {
      this.observer?.coerced(termCtx, term.coerce, item);
      const iri = term.coerce === '@id' ? termCtx.expandBase(item) : termCtx.expandVocab(item);
      if (!isPlainIri(iri)) throw new Unsupported('relative or blank node IRI value');
      if (!this.checkOnly) return [namedNode(iri), iriKey(iri)];
    }
    // The value is an absolute IRI or a scalar, which always has a literal: nothing left to check without quads.
    if (this.checkOnly) return CHECKED;
    const datatype = term.coerce !== null && term.coerce !== '@id' && term.coerce !== '@vocab' ? term.coerce : null;
    return [literalFor(item, datatype), literalKey(item, datatype, undefined)];
  }

  /** An RDF collection, as jsonld's `_listToRDF`: rdf:nil when empty. */
  private list(items: RdfObject[]): NamedNode | BlankNode {
    if (items.length === 0) return namedNode(RDF_NIL);
    const head = this.newBlank();
    let subject = head;
    items.forEach((object, i) => {
      this.emit(subject, RDF_FIRST, object, null);
      const next = i === items.length - 1 ? namedNode(RDF_NIL) : this.newBlank();
      this.emit(subject, RDF_REST, next, null);
      if (next.termType === 'BlankNode') subject = next;
    });
    return head;
  }
}

/**
 * An equal value is kept already. One written differently (only @direction does that) survives in jsonld depending on
 * the order of its node map walk: not worth reproducing, so jsonld decides.
 */
function keptAs(written: string, again: string): void {
  if (written !== again) throw new Unsupported('equal values written differently');
}

/** A listed Kept (distinct values) as a table. */
function tableOf(listed: readonly string[]): Map<string, Map<string, string>> {
  const table = new Map<string, Map<string, string>>();
  for (let i = 0; i < listed.length; i += 3) {
    let values = table.get(listed[i]!);
    if (!values) table.set(listed[i]!, (values = new Map()));
    values.set(listed[i + 1]!, listed[i + 2]!);
  }
  return table;
}

/**
 * jsonld's `compareValues` for value objects: same `@value` (===), `@type` and `@language`. `@direction` is not
 * compared, so "x"@ar and "x"@ar rtl are one value to jsonld's node map: the first one seen stays. The kind keeps
 * the JavaScript type, so 5 and "5" differ; neither a datatype IRI nor a language tag contains U+0000.
 */
function literalKey(value: string | number | boolean, datatype: string | null, language: string | undefined): ValueKey {
  // The kind is short: building and hashing it costs little beside hashing the text, which V8 does once per string.
  return { kind: `L${datatype ?? ''}\u0000${language ?? ''}\u0000${typeof value}`, text: String(value) };
}

function iriKey(iri: string): ValueKey {
  return { kind: 'I', text: iri };
}

/** BCP 47 as jsonld checks it; anything else is a safe-mode error that jsonld must raise. */
const BCP47 = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

/**
 * A value object written with the literal keywords `@value`, `@language` and `@direction` (how multilingual
 * names are written): a language-tagged string, or with a direction the i18n datatype
 * `https://www.w3.org/ns/i18n#{lang}_{dir}` (canonize's rdfDirection 'i18n-datatype'). Term coercion does not
 * apply to value objects, so the context plays no part. `@type`, `@index`, aliases and null values go to jsonld.
 */
function valueObject(item: Record<string, unknown>): [RdfObject, ValueKey] {
  const value = item['@value'];
  let language: string | undefined;
  let direction: string | undefined;
  for (const key of Object.keys(item)) {
    if (key === '@value') continue;
    const v = item[key];
    if (key === '@language' && typeof v === 'string' && BCP47.test(v)) language = v.toLowerCase();
    else if (key === '@direction' && (v === 'ltr' || v === 'rtl')) direction = v;
    else throw new Unsupported('value object beyond @value/@language/@direction');
  }
  if (typeof value === 'string') {
    if (direction !== undefined) {
      const literal: Literal = {
        termType: 'Literal',
        value,
        datatype: namedNode(`https://www.w3.org/ns/i18n#${language ?? ''}_${direction}`),
      };
      return [literal, literalKey(value, null, language)];
    }
    if (language !== undefined) {
      return [
        { termType: 'Literal', value, datatype: namedNode(RDF_LANGSTRING), language },
        literalKey(value, null, language),
      ];
    }
    return [literalFor(value, null), literalKey(value, null, undefined)];
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    if (language !== undefined || direction !== undefined)
      throw new Unsupported('non-string value with @language/@direction');
    return [literalFor(value, null), literalKey(value, null, undefined)];
  }
  throw new Unsupported('@value that is not a string, number or boolean');
}

function namedNode(value: string): NamedNode {
  return { termType: 'NamedNode', value };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** `@type` values: a string or an array of strings (jsonld rejects anything else; let it). */
function stringList(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every(isString)) return value as string[];
  throw new Unsupported('@type value that is not a string or an array of strings');
}

/** The term of a scalar's key in the context it is expanded in, which must still make the key a property. */
function termOfScalar(termCtx: CompiledContext, key: string): TermInfo {
  const property = termCtx.expandVocab(key);
  if (!isPlainIri(property)) throw new Unsupported('scoped context redefines the property');
  const term = termCtx.term(key);
  if (term.problem) throw new Unsupported(term.problem);
  return term;
}

/** The RDF dataset of a top-level node object whose `@context` has been compiled into `context` (empty with `checkOnly`: the walk alone). */
export function documentToQuads(
  document: Record<string, unknown>,
  context: CompiledContext,
  topUrls: readonly string[],
  checkOnly = false,
  observer?: FormObserver,
): Quad[] {
  const converter = new Converter(topUrls, checkOnly, checkOnly ? observer : undefined);
  converter.node(context, null, document, 0);
  return converter.quads;
}
