import { MAX_DOCUMENT_BYTES, type CanonizeOptions } from '../jsonld/canonize';
import { BUNDLED_CONTEXTS } from '../jsonld/contexts.generated';
import { contextLimitProblem } from '../jsonld/context-limits';
import { compiledTopLevel } from '../jsonld/fast/compiled-context';
import { fastCanonize, jsonLengthBound } from '../jsonld/fast/index';
import { canonizeRdfc, firstDegreeHashes } from '../jsonld/fast/rdfc';
import type { BlankNode, Quad } from '../jsonld/fast/rdf-terms';
import { ContextMiss } from '../jsonld/fast/signals';
import { documentToQuads, isPlainObject } from '../jsonld/fast/to-dataset';
import { defaultDocumentLoader } from '../jsonld/loader';

/**
 * An RDFC-1.0 canonicalizer for the credentials of one roster, giving `fastCanonize`'s bytes with the roster's fixed
 * part walked once: the issuer profile and the achievement, frozen objects the roster put into every credential.
 *
 * Why the result is the same. A JSON-LD document's RDF dataset is the union of what each node occurrence states:
 * jsonld's node map merges two copies of a node only by their `@id`, and merges equal values only within one subject
 * and property. So the dataset of a credential is the union of (a) the quads stated inside the issuer and
 * achievement objects and (b) the quads of a skeleton — the credential with the issuer replaced by its id and the
 * achievement by `{ id }` — provided (1) both are walked under the same active contexts as in the credential, (2) no
 * subject IRI of the skeleton is a subject in (a), so that no node or value of one part merges with the other's, and
 * (3) their blank nodes are distinct (fresh nodes, renamed apart). (1) holds because (a) is taken from a wrapper
 * document with the credential's own `@context` list and the node types on the path to the two objects (the
 * credential's and the subject's types, checked equal for every document), and neither fixed object may carry an
 * `@context`; (2) is checked for every credential. RDFC-1.0's output does not depend on the order of the quads or
 * their blank node labels.
 *
 * Anything else — another context list or type, a subject that overlaps, a document over the size or context limits,
 * anything the fast path hands to jsonld.js, a dataset the RDFC-1.0 port declines — is canonicalized by
 * `fastCanonize` whole, as `issue` would. `test/roster.test.ts` holds the roster's credentials byte for byte to
 * `award` + `issue`, hostile learner fields included.
 */
export class SplitCanonicalizer {
  /** The fixed part's quads per context list (a roster sees one or two lists: with and without the 1EdTech extensions). */
  private readonly fixed = new Map<string, Promise<FixedPart | undefined>>();

  constructor(
    private readonly issuer: Readonly<Record<string, unknown>>,
    private readonly achievement: Readonly<Record<string, unknown>>,
  ) {}

  /** The `Canonicalizer` a proof step takes. */
  readonly canonize = async (document: object, options: CanonizeOptions): Promise<string> => {
    if (isPlainObject(document) && document.issuer !== this.issuer) return this.canonizeOther(document, options);
    const split = await this.dataset(document, options).catch(() => undefined);
    const canonical =
      split === undefined
        ? undefined
        : canonizeRdfc(split.quads, { maxWorkFactor: options.maxWorkFactor ?? 1, firstDegree: split.firstDegree });
    if (canonical === undefined) return fastCanonize(document, options);
    return mergeLines(canonical, split!.groundLines);
  };

  /** The last small document canonicalized whole (a roster's proof configuration is the same for a second or more). */
  private last: { text: string; canonical: string } | undefined;

  /**
   * `fastCanonize` of anything but the roster's credentials, remembering one small document's result: the same JSON
   * text is the same document, whose canonical form depends on nothing else under the default loader.
   */
  private async canonizeOther(document: Record<string, unknown>, options: CanonizeOptions): Promise<string> {
    const loader = options.documentLoader;
    if (options.signal !== undefined || (loader !== undefined && loader !== defaultDocumentLoader))
      return fastCanonize(document, options);
    let text: string | undefined;
    try {
      text = JSON.stringify(document);
    } catch {
      return fastCanonize(document, options);
    }
    if (text === undefined || text.length > MAX_REMEMBERED) return fastCanonize(document, options);
    if (this.last?.text === text && options.maxWorkFactor === undefined) return this.last.canonical;
    const canonical = await fastCanonize(document, options);
    if (options.maxWorkFactor === undefined) this.last = { text, canonical };
    return canonical;
  }

  /**
   * The credential's dataset from its skeleton and the fixed part, or undefined when the split may not apply; the
   * fixed part's quads without blank nodes are left out, as their canonical lines (see mergeLines).
   */
  private async dataset(
    document: object,
    options: CanonizeOptions,
  ): Promise<{ quads: Quad[]; groundLines: readonly string[]; firstDegree: ReadonlyMap<string, string> } | undefined> {
    if (options.signal !== undefined) return undefined;
    const loader = options.documentLoader;
    if (loader !== undefined && loader !== defaultDocumentLoader) return undefined;
    if (!isPlainObject(document) || document.issuer !== this.issuer) return undefined;
    const subject = document.credentialSubject;
    if (!isPlainObject(subject) || subject.achievement !== this.achievement) return undefined;
    if (!sameStrings(document.type, CREDENTIAL_TYPES) || !sameStrings(subject.type, SUBJECT_TYPES)) return undefined;
    const urls = bundledUrls(document['@context']);
    if (urls === undefined) return undefined;
    const key = urls.join('\n');
    let fixed = this.fixed.get(key);
    if (fixed === undefined) {
      if (this.fixed.size >= MAX_CONTEXT_LISTS) return undefined;
      fixed = this.fixedPart(urls).catch(() => undefined);
      this.fixed.set(key, fixed);
    }
    const part = await fixed;
    if (part === undefined) return undefined;

    const skeleton = {
      ...document,
      issuer: this.issuer.id,
      credentialSubject: { ...subject, achievement: { id: this.achievement.id } },
    };
    // fastCanonize's guards on the whole document: its size bound and its context limits (the fixed part has no @context).
    if (jsonLengthBound(skeleton) + part.lengthBound > MAX_DOCUMENT_BYTES) return undefined;
    if (contextLimitProblem(skeleton) !== undefined) return undefined;
    const own = await walk(skeleton, urls);
    if (own === undefined) return undefined;
    for (const quad of own) {
      if (quad.graph.termType !== 'DefaultGraph') return undefined;
      if (quad.subject.termType === 'NamedNode' && part.subjects.has(quad.subject.value)) return undefined;
    }
    return { quads: own.concat(part.quads), groundLines: part.groundLines, firstDegree: part.firstDegree };
  }

  /** The quads stated inside the issuer and achievement objects, walked in a wrapper with the credential's contexts and types. */
  private async fixedPart(urls: readonly string[]): Promise<FixedPart | undefined> {
    const { issuer, achievement } = this;
    if (typeof issuer.id !== 'string' || typeof achievement.id !== 'string') return undefined;
    if (hasContext(issuer) || hasContext(achievement)) return undefined;
    const lengthBound = jsonLengthBound(issuer) + jsonLengthBound(achievement);
    if (!Number.isFinite(lengthBound)) return undefined;
    // The wrapper's own two nodes are named by IRIs neither object mentions, so that their quads can be told apart.
    const text = JSON.stringify([issuer, achievement]);
    let wrapperId: string;
    let subjectId: string;
    do {
      wrapperId = `urn:uuid:${globalThis.crypto.randomUUID()}`;
      subjectId = `urn:uuid:${globalThis.crypto.randomUUID()}`;
    } while (text.includes(wrapperId) || text.includes(subjectId));
    const wrapper = {
      '@context': [...urls],
      id: wrapperId,
      type: [...CREDENTIAL_TYPES],
      issuer,
      credentialSubject: { id: subjectId, type: [...SUBJECT_TYPES], achievement },
    };
    const all = await walk(wrapper, urls);
    if (all === undefined) return undefined;
    const quads: Quad[] = [];
    const subjects = new Set<string>();
    const renamed = new Map<string, BlankNode>();
    const rename = <T extends Quad[keyof Quad]>(term: T): T => {
      if (term.termType !== 'BlankNode') return term;
      let node = renamed.get(term.value);
      if (node === undefined) renamed.set(term.value, (node = { termType: 'BlankNode', value: `f${term.value}` }));
      return node as T;
    };
    for (const quad of all) {
      if (quad.graph.termType !== 'DefaultGraph') return undefined;
      const s = quad.subject;
      if (s.termType === 'NamedNode' && (s.value === wrapperId || s.value === subjectId)) continue;
      if (s.termType === 'NamedNode') subjects.add(s.value);
      quads.push(
        Object.freeze({
          subject: rename(quad.subject),
          predicate: quad.predicate,
          object: rename(quad.object),
          graph: quad.graph,
        }),
      );
    }
    // Quads without blank nodes take no part in RDFC-1.0's labelling: their lines are canonical already.
    const ground = quads.filter((q) => q.subject.termType !== 'BlankNode' && q.object.termType !== 'BlankNode');
    const groundLines = ground.length === 0 ? [] : linesOf(canonizeRdfc(ground, {}));
    if (groundLines === undefined) return undefined;
    const withBlanks = quads.filter((q) => !ground.includes(q));
    return {
      quads: withBlanks,
      groundLines,
      // Every quad that mentions a fixed blank node is a fixed quad (no skeleton quad can name one: they are renamed
      // apart), so its first-degree hash in any credential's dataset is its hash here.
      firstDegree: firstDegreeHashes(withBlanks),
      subjects,
      lengthBound,
    };
  }
}

interface FixedPart {
  /** The fixed part's quads with a blank node in them (renamed apart from any skeleton's). */
  readonly quads: readonly Quad[];
  /** The canonical N-Quads lines (each with its newline) of the fixed part's other quads, in order. */
  readonly groundLines: readonly string[];
  /** The first-degree hash of each of the fixed part's blank nodes. */
  readonly firstDegree: ReadonlyMap<string, string>;
  /** The subject IRIs of `quads`: a skeleton stating anything about one of them is not split. */
  readonly subjects: ReadonlySet<string>;
  /** jsonLengthBound of the two fixed objects. */
  readonly lengthBound: number;
}

/** The types `award` gives a credential and its subject; the fixed part is walked under exactly these. */
const CREDENTIAL_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'] as const;
const SUBJECT_TYPES = ['AchievementSubject'] as const;
/** The longest JSON text of a document whose canonical form is remembered (a proof configuration is ~300 characters). */
const MAX_REMEMBERED = 2048;
/** Context lists one roster's fixed part is kept for. */
const MAX_CONTEXT_LISTS = 4;
/** Context compilations one walk may ask for, as fastCanonize allows. */
const MAX_COMPILES = 64;

/** The fast path's dataset of a document whose context list is `urls`, or undefined where it would hand it to jsonld.js. */
async function walk(document: Record<string, unknown>, urls: readonly string[]): Promise<Quad[] | undefined> {
  for (let compiles = 0; compiles <= MAX_COMPILES; compiles++) {
    try {
      return documentToQuads(document, compiledTopLevel(urls), urls);
    } catch (e) {
      if (!(e instanceof ContextMiss)) return undefined;
      try {
        await e.fill();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function bundledUrls(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  for (const url of value) if (typeof url !== 'string' || !Object.hasOwn(BUNDLED_CONTEXTS, url)) return undefined;
  return value as string[];
}

function sameStrings(value: unknown, expected: readonly string[]): boolean {
  return Array.isArray(value) && value.length === expected.length && value.every((v, i) => v === expected[i]);
}

/** Whether an `@context` key appears anywhere in the value (iterative: the value may be deep). */
function hasContext(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) pending.push(...item);
    else {
      if (Object.hasOwn(item, '@context')) return true;
      pending.push(...Object.values(item));
    }
  }
  return false;
}

/** The lines of canonical N-Quads, each with its newline (a literal's or IRI's own newlines are escaped). */
function linesOf(canonical: string | undefined): string[] | undefined {
  if (canonical === undefined) return undefined;
  const lines: string[] = [];
  for (let at = 0; at < canonical.length; ) {
    const end = canonical.indexOf('\n', at) + 1;
    lines.push(canonical.slice(at, end));
    at = end;
  }
  return lines;
}

/**
 * RDFC-1.0 of a dataset is its quads' lines under the canonical labels, sorted by code unit and joined. Labels come
 * from the quads that mention blank nodes only, so the canonical form of the whole dataset is that of its quads with
 * blank nodes merged, line by line in the same order, with the lines of its quads without (which no other line can
 * equal: every line of the first kind names a blank node).
 */
export function mergeLines(canonical: string, groundLines: readonly string[]): string {
  if (groundLines.length === 0) return canonical;
  let out = '';
  let g = 0;
  for (let at = 0; at < canonical.length; ) {
    const end = canonical.indexOf('\n', at) + 1;
    const line = canonical.slice(at, end);
    while (g < groundLines.length && groundLines[g]! < line) out += groundLines[g++]!;
    out += line;
    at = end;
  }
  while (g < groundLines.length) out += groundLines[g++]!;
  return out;
}
