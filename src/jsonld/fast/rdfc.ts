import { nodeCrypto, sha256Hex } from '../../platform/node-crypto';
import { RDF_LANGSTRING, XSD_STRING, type Quad } from './rdf-terms';

/**
 * RDFC-1.0 (https://www.w3.org/TR/rdf-canon/), ported from rdf-canonize 5 (lib/RDFC10.js, IdentifierIssuer.js,
 * Permuter.js, NQuads.js) step by step — its escaping, its one-pass reading of step 5, its permutation order and
 * its unescaped predicate in Hash Related Blank Node — but run synchronously over N-Quads pieces made once per
 * quad. rdf-canonize builds throwaway term objects and awaits a promise per hash; this does the same work about 1.4×
 * faster on a seed credential's quads (measured in one process).
 *
 * It declines (returns undefined) whenever rdf-canonize would do something other than return a result quickly:
 * when the poison-graph limit (`maxWorkFactor`) would be reached, when an abort `signal` could matter (N-degree
 * hashing is needed), when permutations grow beyond a small budget, or for labels that already look canonical.
 * The caller then hands the same dataset to rdf-canonize, which raises its own error or does the long work
 * interruptibly. The differential tests compare both on every fixture, builder output and thousands of generated
 * documents and datasets, many with indistinguishable ("twin") blank nodes.
 */

export interface RdfcOptions {
  /** As rdf-canonize's: deep iterations allowed are (number of non-unique blank nodes) ** maxWorkFactor. */
  maxWorkFactor?: number;
  signal?: AbortSignal;
  /**
   * First-degree hashes already known, by blank node label: valid only for nodes whose quads (every quad that
   * mentions them) are the same in this dataset as where the hash was taken (see firstDegreeHashes).
   */
  firstDegree?: ReadonlyMap<string, string>;
}

/**
 * Each blank node's Hash First Degree Quads (RDFC-1.0 4.6) in `quads`: a function of the quads that mention the node
 * alone, so it holds in any dataset that adds quads not mentioning it (src/roster reuses them so).
 */
export function firstDegreeHashes(quads: readonly Quad[]): Map<string, string> {
  return new Canonicalizer(quads, {}).firstDegreeHashes();
}

/** A quad's N-Quads text split around its blank nodes, made once and reused for hashing and output. */
interface Pieces {
  /** `<iri>` or null for a blank subject. */
  readonly subject: string | null;
  readonly subjectBlank: string | null;
  /** ` <predicate> ` (always an IRI in JSON-LD output). */
  readonly predicate: string;
  /** The predicate IRI unescaped, as Hash Related Blank Node uses it. */
  readonly predicateIri: string;
  /** The serialized object, or null for a blank object. */
  readonly object: string | null;
  readonly objectBlank: string | null;
  /** The graph blank node, or null for the default graph (named graphs never come from the fast path). */
  readonly graphBlank: string | null;
}

/** Thrown inside to give the dataset to rdf-canonize. */
class Decline extends Error {}

/** Permutations tried across one canonicalization before the work is left to (interruptible) rdf-canonize. */
const MAX_PERMUTATIONS = 4096;

export function canonizeRdfc(quads: readonly Quad[], options: RdfcOptions = {}): string | undefined {
  try {
    return new Canonicalizer(quads, options).run();
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

/**
 * {@link canonizeRdfc} with the first-degree hashes (4.6: nearly all the hashing a credential needs; a seed
 * credential's 27 texts, 14 KB) taken by `digestHex` in one batch. Where hashing is native but asynchronous
 * (WebCrypto in a browser) one batch costs one round trip, where pure-JS SHA-256 of the same texts runs in an
 * interpreter that has not optimized it yet (a third of a fresh page's first verify). The texts are exactly those
 * canonizeRdfc hashes and the memo is read and filled under the same bounds, so the result is canonizeRdfc's
 * (tested); `digestHex` must return the lowercase hex SHA-256 of each text's UTF-8 bytes, in order.
 */
export async function canonizeRdfcBatched(
  quads: readonly Quad[],
  options: RdfcOptions,
  digestHex: (texts: readonly string[]) => Promise<readonly string[]>,
): Promise<string | undefined> {
  if (options.firstDegree !== undefined) return canonizeRdfc(quads, options);
  try {
    const canonicalizer = new Canonicalizer(quads, options);
    const firstDegree = new Map<string, string>();
    const pendingLabels: string[] = [];
    const pendingTexts: string[] = [];
    for (const label of canonicalizer.labels()) {
      const text = canonicalizer.firstDegreeText(label);
      const known = text.length > MEMO_MAX_KEY ? undefined : memo.get(text);
      if (known !== undefined) firstDegree.set(label, known);
      else {
        pendingLabels.push(label);
        pendingTexts.push(text);
      }
    }
    if (pendingTexts.length > 0) {
      const hashes = await digestHex(pendingTexts);
      // Never expected; rdf-canonize, hashing for itself, is always right.
      if (hashes.length !== pendingTexts.length) throw new Decline();
      for (let i = 0; i < pendingTexts.length; i++) {
        firstDegree.set(pendingLabels[i]!, hashes[i]!);
        remember(pendingTexts[i]!, hashes[i]!);
      }
    }
    return canonicalizer.run(firstDegree);
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

class Canonicalizer {
  private readonly pieces: Pieces[];
  /** Blank node → indexes of the quads that mention it, each quad once (rdf-canonize keeps a Set of quads). */
  private readonly mentions = new Map<string, number[]>();
  private readonly firstDegree = new Map<string, string>();
  private readonly canonical = new Issuer('c14n');
  private remainingDeepIterations = 0;
  private permutations = 0;

  constructor(
    quads: readonly Quad[],
    private readonly options: RdfcOptions,
  ) {
    this.pieces = new Array<Pieces>(quads.length);
    for (let i = 0; i < quads.length; i++) {
      const { subject, predicate, object, graph } = quads[i]!;
      if (graph.termType !== 'DefaultGraph' && graph.termType !== 'BlankNode') throw new Decline();
      const subjectBlank = subject.termType === 'BlankNode' ? subject.value : null;
      const objectBlank = object.termType === 'BlankNode' ? object.value : null;
      const graphBlank = graph.termType === 'BlankNode' ? graph.value : null;
      if (looksCanonical(subjectBlank) || looksCanonical(objectBlank) || looksCanonical(graphBlank))
        throw new Decline();
      const subjectText = subjectBlank === null ? iriText(subject.value) : null;
      const predicateText = predicateTextOf(predicate.value);
      const objectText =
        objectBlank === null ? serializeObject(object as Exclude<Quad['object'], { termType: 'BlankNode' }>) : null;
      this.pieces[i] = {
        subject: subjectText,
        subjectBlank,
        predicate: predicateText,
        predicateIri: predicate.value,
        object: objectText,
        objectBlank,
        graphBlank,
      };
      if (subjectBlank !== null) this.mention(subjectBlank, i);
      if (objectBlank !== null) this.mention(objectBlank, i);
      if (graphBlank !== null) this.mention(graphBlank, i);
    }
  }

  private mention(label: string, index: number): void {
    const list = this.mentions.get(label);
    if (list === undefined) this.mentions.set(label, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  }

  run(known: ReadonlyMap<string, string> | undefined = this.options.firstDegree): string {
    // 4.4 step 5: Hash First Degree Quads once per blank node; unique hashes get canonical labels in hash order. A
    // lone blank node (a proof configuration's) gets the first label whatever its hash: it is not hashed.
    const byHash = new Map<string, string[]>();
    const lone = this.mentions.size === 1;
    for (const label of this.mentions.keys()) {
      const hash = known?.get(label) ?? (lone ? '' : this.hashFirstDegreeQuads(label));
      this.firstDegree.set(label, hash);
      const list = byHash.get(hash);
      if (list === undefined) byHash.set(hash, [label]);
      else list.push(label);
    }
    const nonUnique: string[][] = [];
    for (const hash of [...byHash.keys()].sort()) {
      const labels = byHash.get(hash)!;
      if (labels.length > 1) nonUnique.push(labels);
      else this.canonical.getId(labels[0]!);
    }

    // Step 6: blank nodes that share a first-degree hash, told apart by Hash N-Degree Quads.
    if (nonUnique.length > 0) {
      if (this.options.signal) throw new Decline();
      const factor = this.options.maxWorkFactor ?? 1;
      const count = nonUnique.reduce((n, labels) => n + labels.length, 0);
      const deep = factor === 0 ? 0 : factor === Infinity ? Infinity : count ** factor;
      this.remainingDeepIterations = deep > Number.MAX_SAFE_INTEGER ? Infinity : deep;
      for (const labels of nonUnique) {
        const results: { hash: string; issuer: Issuer }[] = [];
        for (const label of labels) {
          if (this.canonical.has(label)) continue;
          const issuer = new Issuer('b');
          issuer.getId(label);
          results.push(this.hashNDegreeQuads(label, issuer));
        }
        results.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
        for (const result of results) for (const old of result.issuer.oldIds()) this.canonical.getId(old);
      }
    }

    // Step 7: every quad relabeled, serialized, sorted, joined.
    return sortedLines(this.pieces, this.canonical.names());
  }

  firstDegreeHashes(): Map<string, string> {
    const hashes = new Map<string, string>();
    for (const label of this.mentions.keys()) hashes.set(label, this.hashFirstDegreeQuads(label));
    return hashes;
  }

  /**
   * 4.6: the sorted N-Quads of the node's quads with itself as _:a and every other blank node as _:z. Sorted as
   * four-part lines, in the order of whole lines (see sortedLines; `_:a` and `_:z` are one length).
   */
  private hashFirstDegreeQuads(label: string): string {
    return memoSha256Hex(this.firstDegreeText(label));
  }

  /** The blank nodes of the dataset, in the order step 5 takes them. */
  labels(): IterableIterator<string> {
    return this.mentions.keys();
  }

  /** The text Hash First Degree Quads hashes for `label`. */
  firstDegreeText(label: string): string {
    const indexes = this.mentions.get(label)!;
    const lines = new Array<Line>(indexes.length);
    for (let i = 0; i < indexes.length; i++) lines[i] = firstDegreeLine(this.pieces[indexes[i]!]!, label);
    if (lines.length > 1) sortLines(lines);
    let text = '';
    for (const line of lines) text += line[0] + line[1] + line[2] + line[3];
    return text;
  }

  /** 4.7 */
  private hashRelatedBlankNode(related: string, p: Pieces, issuer: Issuer, position: 's' | 'o' | 'g'): string {
    const id = this.canonical.has(related)
      ? `_:${this.canonical.getId(related)}`
      : issuer.has(related)
        ? `_:${issuer.getId(related)}`
        : this.firstDegree.get(related)!;
    return sha256Hex(position === 'g' ? `${position}${id}` : `${position}<${p.predicateIri}>${id}`);
  }

  /** 4.8 step 3: a related blank node of `label` in quad `p`, grouped by its Hash Related Blank Node. */
  private addRelated(
    hashToRelated: Map<string, string[]>,
    label: string,
    blank: string | null,
    p: Pieces,
    issuer: Issuer,
    position: 's' | 'o' | 'g',
  ): void {
    if (blank === null || blank === label) return;
    const hash = this.hashRelatedBlankNode(blank, p, issuer, position);
    const list = hashToRelated.get(hash);
    if (list === undefined) hashToRelated.set(hash, [blank]);
    else list.push(blank);
  }

  /** 4.8 */
  private hashNDegreeQuads(label: string, issuer: Issuer): { hash: string; issuer: Issuer } {
    // Where rdf-canonize would throw "Maximum deep iterations exceeded", let it.
    if (this.remainingDeepIterations === 0) throw new Decline();
    this.remainingDeepIterations--;

    const hashToRelated = new Map<string, string[]>();
    for (const i of this.mentions.get(label)!) {
      const p = this.pieces[i]!;
      this.addRelated(hashToRelated, label, p.subjectBlank, p, issuer, 's');
      this.addRelated(hashToRelated, label, p.objectBlank, p, issuer, 'o');
      this.addRelated(hashToRelated, label, p.graphBlank, p, issuer, 'g');
    }

    let data = '';
    for (const hash of [...hashToRelated.keys()].sort()) {
      data += hash;
      let chosenPath = '';
      let chosenIssuer: Issuer | undefined;
      const permuter = new Permuter(hashToRelated.get(hash)!);
      while (permuter.hasNext()) {
        const permutation = permuter.next();
        if (++this.permutations > MAX_PERMUTATIONS) throw new Decline();
        let issuerCopy = issuer.clone();
        let path = '';
        const recursionList: string[] = [];
        let skip = false;
        for (const related of permutation) {
          if (this.canonical.has(related)) path += `_:${this.canonical.getId(related)}`;
          else {
            if (!issuerCopy.has(related)) recursionList.push(related);
            path += `_:${issuerCopy.getId(related)}`;
          }
          if (chosenPath.length !== 0 && path > chosenPath) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        for (const related of recursionList) {
          const result = this.hashNDegreeQuads(related, issuerCopy);
          path += `_:${issuerCopy.getId(related)}`;
          path += `<${result.hash}>`;
          issuerCopy = result.issuer;
          if (chosenPath.length !== 0 && path > chosenPath) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (chosenPath.length === 0 || path < chosenPath) {
          chosenPath = path;
          chosenIssuer = issuerCopy;
        }
      }
      data += chosenPath;
      issuer = chosenIssuer!;
    }
    // A node with no related blank node (a twin leaf, e.g. an address in each of two copies of an issuer) hashes
    // nothing: the hash of the empty text, the same every time.
    return { hash: data === '' ? (emptyTextHash ??= sha256Hex('')) : sha256Hex(data), issuer };
  }
}

let emptyTextHash: string | undefined;

/**
 * SHA-256 (hex) of first-degree N-Quads, remembered where hashing is not native. In a browser RDFC-1.0's many small
 * hashes run in JavaScript (noble), and the same blank-node neighbourhoods recur across credentials (an achievement's
 * criteria, alignments and result descriptions in every learner's credential of a roster, an issuer's address, the
 * same credential verified again): a lookup costs a fraction of a hash there. With node:crypto a native one-shot hash
 * costs less than the lookup itself (hashing the key string for the Map, then comparing it), so nothing is kept. The
 * key is the hashed text itself, so a hit returns exactly what hashing would. Holder input reaches this table, so it
 * is bounded twice: keys longer than MEMO_MAX_KEY are hashed without being kept, and the table is emptied when it
 * holds MEMO_MAX_ENTRIES (at most ~4 MB of keys).
 */
const memo = new Map<string, string>();
export const MEMO_MAX_ENTRIES = 2048;
export const MEMO_MAX_KEY = 1024;
let hashesAreNative: boolean | undefined;
function memoSha256Hex(text: string): string {
  hashesAreNative ??= nodeCrypto() !== undefined;
  if (hashesAreNative || text.length > MEMO_MAX_KEY) return sha256Hex(text);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const hash = sha256Hex(text);
  remember(text, hash);
  return hash;
}

function remember(text: string, hash: string): void {
  if (text.length > MEMO_MAX_KEY) return;
  if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
  memo.set(text, hash);
}

/** How many first-degree hashes the memo holds (for tests of its bound). */
export function firstDegreeMemoSize(): number {
  return memo.size;
}

/** rdf-canonize's IdentifierIssuer: labels issued in order, remembered by old label. */
class Issuer {
  constructor(
    private readonly prefix: string,
    private readonly existing = new Map<string, string>(),
    private counter = 0,
  ) {}

  clone(): Issuer {
    return new Issuer(this.prefix, new Map(this.existing), this.counter);
  }

  getId(old: string): string {
    const existing = this.existing.get(old);
    if (existing !== undefined) return existing;
    const id = `${this.prefix}${this.counter++}`;
    this.existing.set(old, id);
    return id;
  }

  has(old: string): boolean {
    return this.existing.has(old);
  }

  /** Every old label → `_:` and its issued label, as N-Quads writes it. */
  names(): Map<string, string> {
    const names = new Map<string, string>();
    for (const [old, id] of this.existing) names.set(old, `_:${id}`);
    return names;
  }

  oldIds(): string[] {
    return [...this.existing.keys()];
  }
}

/** rdf-canonize's Permuter (Steinhaus–Johnson–Trotter over the sorted list), same order of permutations. */
class Permuter {
  private readonly current: string[];
  private done = false;
  private readonly left = new Map<string, boolean>();

  constructor(list: string[]) {
    this.current = list.slice().sort();
    for (const element of this.current) this.left.set(element, true);
  }

  hasNext(): boolean {
    return !this.done;
  }

  next(): string[] {
    const { current, left } = this;
    const result = current.slice();
    let k: string | null = null;
    let pos = 0;
    const length = current.length;
    for (let i = 0; i < length; ++i) {
      const element = current[i]!;
      const isLeft = left.get(element);
      if (
        (k === null || element > k) &&
        ((isLeft && i > 0 && element > current[i - 1]!) || (!isLeft && i < length - 1 && element > current[i + 1]!))
      ) {
        k = element;
        pos = i;
      }
    }
    if (k === null) this.done = true;
    else {
      const swap = left.get(k) ? pos - 1 : pos + 1;
      current[pos] = current[swap]!;
      current[swap] = k;
      for (const element of current) if (element > k) left.set(element, !left.get(element));
    }
    return result;
  }
}

/**
 * The quads' N-Quads lines in code-unit order, joined. Sorted as (subject, predicate, object, tail) tuples, which is
 * the same order as comparing whole lines:
 * - a subject is `<iri>` (no '>' inside: it is escaped) or `_:label`, and is always followed by a space, so no
 *   subject's text is a prefix of another's except a shorter blank label, whose following space (0x20) sorts before
 *   any label character, exactly as comparing the two shorter-first does;
 * - a predicate is ` <iri> ` with no '>' inside, so two different predicates differ within both texts;
 * - an object's text is a prefix of another's only as `"v"` of `"v"@…`/`"v"^^<…>` or `_:c14n1` of `_:c14n10`, where
 *   the shorter line goes on with a space (0x20) and the longer with '@', '^' or a digit: shorter first, as compared;
 * - the tail (` .\n`, or ` _:graph .\n`) decides only between equal objects.
 * Comparing whole lines would first copy every line (built by concatenation) into a flat string and then walk the
 * long IRIs that lines share; here lines are grouped by subject, and equal predicates are one string, compared by
 * identity. The output is concatenated rather than joined: the SHA-256 that reads it flattens it once, which costs
 * less than an array join that walks every line's pieces.
 */
function sortedLines(pieces: readonly Pieces[], names: ReadonlyMap<string, string>): string {
  const bySubject = new Map<string, Line[]>();
  for (const p of pieces) {
    const subject = p.subject ?? names.get(p.subjectBlank!)!;
    const line: Line = [
      subject,
      p.predicate,
      p.object ?? names.get(p.objectBlank!)!,
      p.graphBlank === null ? ' .\n' : ` ${names.get(p.graphBlank)!} .\n`,
    ];
    const lines = bySubject.get(subject);
    if (lines === undefined) bySubject.set(subject, [line]);
    else lines.push(line);
  }
  let out = '';
  for (const subject of [...bySubject.keys()].sort()) {
    const lines = bySubject.get(subject)!;
    if (lines.length > 1) sortLines(lines);
    for (const line of lines) out += line[0] + line[1] + line[2] + line[3];
  }
  return out;
}

/**
 * rdf-canonize leaves labels that already start with its canonical prefix alone in the output; ours never do, and
 * reproducing that quirk is not worth it.
 */
function looksCanonical(label: string | null): boolean {
  return label !== null && (label === '' || label.startsWith('c14n'));
}

/** A quad's N-Quads line with `label` as _:a and every other blank node as _:z (Hash First Degree Quads). */
function firstDegreeLine(p: Pieces, label: string): Line {
  return [
    p.subjectBlank === null ? p.subject! : p.subjectBlank === label ? '_:a' : '_:z',
    p.predicate,
    p.objectBlank === null ? p.object! : p.objectBlank === label ? '_:a' : '_:z',
    p.graphBlank === null ? ' .\n' : p.graphBlank === label ? ' _:a .\n' : ' _:z .\n',
  ];
}

/** A line in four parts: subject, predicate, object, tail. */
type Line = [string, string, string, string];

/**
 * Sorts lines in place by compareLines: by insertion for the few lines of one subject or one blank node (a call of
 * Array.prototype.sort with a comparator costs more than the handful of comparisons), by the built-in sort beyond.
 * Equal lines are equal texts, so any correct sort writes the same output.
 */
function sortLines(lines: Line[]): void {
  if (lines.length > 16) {
    lines.sort(compareLines);
    return;
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    let j = i - 1;
    while (j >= 0 && compareLines(lines[j]!, line) > 0) {
      lines[j + 1] = lines[j]!;
      j--;
    }
    lines[j + 1] = line;
  }
}

function compareLines(a: Line, b: Line): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * ` <predicate> ` for a predicate IRI, one string per IRI across canonicalizations: the same few dozen predicates
 * recur in every credential, and sorting compares equal ones by identity. Bounded, emptied when full (holder
 * input reaches it).
 */
const predicateTexts = new Map<string, string>();
function predicateTextOf(iri: string): string {
  let text = predicateTexts.get(iri);
  if (text === undefined) {
    if (predicateTexts.size >= 4096) predicateTexts.clear();
    text = ` <${escapeIri(iri)}> `;
    predicateTexts.set(iri, text);
  }
  return text;
}

/**
 * `<iri>` for a subject or object IRI, one string per IRI across canonicalizations: issuer, achievement and concept
 * IRIs recur in every credential, and one string is escaped once, flattened once when first compared and hashed once
 * as a key. Bounded, emptied when full (holder input reaches it).
 */
const iriTexts = new Map<string, string>();
export const IRI_TEXTS_MAX = 4096;
function iriText(iri: string): string {
  let text = iriTexts.get(iri);
  if (text === undefined) {
    if (iriTexts.size >= IRI_TEXTS_MAX) iriTexts.clear();
    text = `<${escapeIri(iri)}>`;
    iriTexts.set(iri, text);
  }
  return text;
}

/** How many `<iri>` texts are kept (for tests of the bound). */
export function iriTextsSize(): number {
  return iriTexts.size;
}

function serializeObject(object: Exclude<Quad['object'], { termType: 'BlankNode' }>): string {
  if (object.termType === 'NamedNode') return iriText(object.value);
  const text = `"${escapeLiteral(object.value)}"`;
  const datatype = object.datatype.value;
  if (datatype === RDF_LANGSTRING) return object.language ? `${text}@${object.language}` : text;
  return datatype === XSD_STRING ? text : `${text}^^<${escapeIri(datatype)}>`;
}

// The escapes of rdf-canonize's NQuads.js: ECHAR for \b \t \n \f \r " \\, UCHAR (\u00XX) for other controls and DEL.
const LITERAL_ESCAPE = /[\u0000-\u001F\u007F"\\]/g;
const LITERAL_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};
function escapeLiteral(value: string): string {
  LITERAL_ESCAPE.lastIndex = 0;
  if (!LITERAL_ESCAPE.test(value)) return value;
  return value.replace(LITERAL_ESCAPE, (c) => LITERAL_ESCAPES[c] ?? uchar(c));
}

// IRIs: UCHAR for controls, space and <>"{}|^`\\ (rdf-canonize's _iriEscape).
const IRI_ESCAPE = /[\u0000-\u0020<>"{}|^`\\]/g;
/** IRIs that need no escaping: predicates, types and issuer ids recur in every quad set. Bounded, refilled when full. */
const plainIris = new Set<string>();
function escapeIri(value: string): string {
  if (plainIris.has(value)) return value;
  IRI_ESCAPE.lastIndex = 0;
  if (IRI_ESCAPE.test(value)) return value.replace(IRI_ESCAPE, uchar);
  if (plainIris.size >= 8192) plainIris.clear();
  plainIris.add(value);
  return value;
}

function uchar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
