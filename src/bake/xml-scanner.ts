import { invalidImage } from './errors';

/**
 * A small, namespace-aware XML scanner: enough to find and edit elements in badge SVGs without a DOM, so the same
 * code runs in Node and browsers. It checks the well-formedness rules that matter for finding elements reliably
 * (nesting, quoting, comments, CDATA, processing instructions, the doctype with its internal subset) and resolves
 * namespace prefixes, so elements are matched by namespace URI + local name, never by prefix. Everything wrong is
 * an INVALID_IMAGE MicrocredError.
 */

export interface XmlAttribute {
  qname: string;
  /** The value with entities decoded and attribute-value normalisation applied (XML 1.0 §3.3.3). */
  value: string;
}

export interface XmlElement {
  qname: string;
  prefix: string;
  local: string;
  /** Namespace URI the prefix (or the default namespace) resolves to here; undefined when unbound. */
  namespace: string | undefined;
  attributes: XmlAttribute[];
  /** Prefix → namespace URI bindings in scope on this element ('' is the default namespace). */
  scope: ReadonlyMap<string, string>;
  /** Offset of the `<` of the start tag. */
  start: number;
  /** Offset just past the start tag's `>`. */
  startTagEnd: number;
  selfClosing: boolean;
  /** Offset just past the end tag (or the self-closing start tag). */
  end: number;
  /** 0 for the root element. */
  depth: number;
  /** Character data of the element and its descendants (text with entities decoded, CDATA verbatim, line ends normalised); only filled for matched elements. */
  text: string;
}

export interface XmlScan {
  root: XmlElement;
  /** Elements the `match` predicate accepted, in document order, complete with `end` and `text`. */
  matches: XmlElement[];
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
// XML 1.0 (5th ed.) Name: a permissive pattern would let `<svg #xmlns:p="...">` pass as an attribute, and a
// misread declaration is exactly what makes a baked credential disappear or appear twice.
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`, 'uy');
const SPACE = /[ \t\r\n]*/y;
const EQUALS = /[ \t\r\n]*=[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function bad(message: string): never {
  throw invalidImage(`Not a well-formed SVG: ${message}`);
}

export function lineOf(xml: string, offset: number): number {
  let line = 1;
  for (let i = xml.indexOf('\n'); i >= 0 && i < offset; i = xml.indexOf('\n', i + 1)) line++;
  return line;
}

/** XML 1.0 `Char`: the code points a character reference may produce. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Entities declared in the doctype, and how much replacement text may still be expanded from them. */
interface EntityTable {
  values: Map<string, string>;
  /** Characters of replacement text left: repeated references to a large entity must not balloon memory. */
  budget: number;
}

const ENTITY_EXPANSION_LIMIT = 1_000_000;
/**
 * Namespace bindings copied into element scopes, across a document. An element that declares a namespace gets a copy
 * of its parent's bindings, so 50,000 nested elements declaring one prefix each need over a billion entries (the
 * process ran out of memory on a 2 MB SVG); real badges declare a handful.
 */
const SCOPE_ENTRY_LIMIT = 100_000;
const MAX_NESTED_MATCHES = 16;

function newEntityTable(): EntityTable {
  return { values: new Map(), budget: ENTITY_EXPANSION_LIMIT };
}

/**
 * Expands character references, the five predefined entities and simple entities declared in the doctype's
 * internal subset (Illustrator writes `xmlns:x="&ns_extend;"`). Unknown entities are left as written: they only
 * matter in values the badge code reads, and there they then fail to match rather than being guessed.
 */
function decodeEntities(text: string, entities: EntityTable): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[^\s&;<#]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(cp)) bad(`the character reference ${whole.slice(0, 20)} is not an XML character`);
      return String.fromCodePoint(cp);
    }
    const predefined = PREDEFINED[ref];
    if (predefined !== undefined) return predefined;
    const declared = entities.values.get(ref);
    if (declared === undefined) return whole;
    entities.budget -= declared.length;
    if (entities.budget < 0) bad(`entity references expand to more than ${ENTITY_EXPANSION_LIMIT} characters`);
    return declared;
  });
}

function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function skipPast(xml: string, marker: string, from: number, what: string): number {
  const end = xml.indexOf(marker, from);
  if (end < 0) bad(`unterminated ${what} starting on line ${lineOf(xml, from)}`);
  return end + marker.length;
}

/** Skips a quoted literal starting at `at` (which holds the quote); returns the offset past the closing quote. */
function skipQuoted(xml: string, at: number): number {
  const quote = xml[at]!;
  return skipPast(xml, quote, at + 1, 'quoted literal in the doctype');
}

/**
 * Skips `<!DOCTYPE ...>` at `lt`, including an internal subset, and collects the general entities it declares
 * with literal values (`<!ENTITY name "value">`); parameter and external entities are skipped, not resolved.
 */
function readDoctype(xml: string, lt: number, entities?: EntityTable): number {
  let p = lt + '<!DOCTYPE'.length;
  while (p < xml.length) {
    const c = xml[p]!;
    if (c === '"' || c === "'") p = skipQuoted(xml, p);
    else if (c === '>') return p + 1;
    else if (c === '[') p = readInternalSubset(xml, p + 1, entities);
    else p++;
  }
  bad('unterminated doctype');
}

function readInternalSubset(xml: string, from: number, entities?: EntityTable): number {
  let p = from;
  while (p < xml.length) {
    const c = xml[p]!;
    if (c === ']') return p + 1;
    if (xml.startsWith('<!--', p)) p = skipPast(xml, '-->', p + 4, 'comment');
    else if (xml.startsWith('<?', p)) p = skipPast(xml, '?>', p + 2, 'processing instruction');
    else if (xml.startsWith('<!ENTITY', p)) p = readEntityDeclaration(xml, p, entities);
    else if (xml.startsWith('<!', p)) {
      // ELEMENT, ATTLIST, NOTATION: skip to the closing '>' outside quoted literals.
      p += 2;
      while (p < xml.length && xml[p] !== '>') p = xml[p] === '"' || xml[p] === "'" ? skipQuoted(xml, p) : p + 1;
      p++;
    } else p++;
  }
  bad('unterminated internal subset in the doctype');
}

function readEntityDeclaration(xml: string, lt: number, entities?: EntityTable): number {
  const m = /<!ENTITY[ \t\r\n]+(%[ \t\r\n]+)?([^\s%;&"'<>]+)[ \t\r\n]+(["'])/y;
  m.lastIndex = lt;
  const head = m.exec(xml);
  let p = lt + 2;
  if (head) {
    const valueStart = m.lastIndex;
    const valueEnd = skipQuoted(xml, valueStart - 1) - 1;
    if (!head[1] && entities && !entities.values.has(head[2]!)) {
      // Character references are expanded at declaration time (XML 1.0 §4.5); nested entities are not, on purpose:
      // no recursion means no "billion laughs".
      entities.values.set(head[2]!, decodeEntities(xml.slice(valueStart, valueEnd), newEntityTable()));
    }
    p = valueEnd + 1;
  }
  while (p < xml.length && xml[p] !== '>') p = xml[p] === '"' || xml[p] === "'" ? skipQuoted(xml, p) : p + 1;
  if (p >= xml.length) bad('unterminated entity declaration in the doctype');
  return p + 1;
}

/**
 * The qualified name of the document element, skipping a BOM, the XML declaration, comments, processing
 * instructions and the doctype; undefined when the text does not start like an XML document. Cheap and
 * forgiving: it is used to sniff the image type, not to validate.
 */
export function documentElementName(xml: string): string | undefined {
  let p = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    for (;;) {
      SPACE.lastIndex = p;
      SPACE.exec(xml);
      p = SPACE.lastIndex;
      if (xml[p] !== '<') return undefined;
      if (xml.startsWith('<?', p)) p = skipPast(xml, '?>', p + 2, 'processing instruction');
      else if (xml.startsWith('<!--', p)) p = skipPast(xml, '-->', p + 4, 'comment');
      else if (xml.startsWith('<!DOCTYPE', p)) p = readDoctype(xml, p);
      else {
        NAME.lastIndex = p + 1;
        return NAME.exec(xml)?.[0];
      }
    }
  } catch {
    return undefined;
  }
}

function splitQName(qname: string): { prefix: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { prefix: '', local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (!prefix || !local || local.includes(':')) bad(`"${qname}" is not a valid qualified name`);
  return { prefix, local };
}

/** Reads a start tag at `lt` (which holds `<` followed by a name character). */
function readStartTag(
  xml: string,
  lt: number,
  parentScope: ReadonlyMap<string, string>,
  entities: EntityTable,
  depth: number,
  limits: { scopeEntries: number },
): XmlElement {
  NAME.lastIndex = lt + 1;
  const qname = NAME.exec(xml)?.[0];
  if (!qname) bad(`malformed tag on line ${lineOf(xml, lt)}`);
  const attributes: XmlAttribute[] = [];
  const seen = new Set<string>();
  let p = lt + 1 + qname.length;
  let selfClosing = false;
  for (;;) {
    SPACE.lastIndex = p;
    SPACE.exec(xml);
    const spaced = SPACE.lastIndex > p;
    p = SPACE.lastIndex;
    if (xml[p] === '>') {
      p++;
      break;
    }
    if (xml.startsWith('/>', p)) {
      p += 2;
      selfClosing = true;
      break;
    }
    if (p >= xml.length) bad(`the tag <${qname}> on line ${lineOf(xml, lt)} is not closed`);
    NAME.lastIndex = p;
    const name = spaced ? NAME.exec(xml)?.[0] : undefined;
    if (!name) bad(`malformed attribute in <${qname}> on line ${lineOf(xml, p)}`);
    EQUALS.lastIndex = p + name.length;
    if (!EQUALS.exec(xml)) bad(`attribute ${name} in <${qname}> on line ${lineOf(xml, p)} has no value`);
    const quote = xml[EQUALS.lastIndex];
    if (quote !== '"' && quote !== "'") bad(`attribute ${name} in <${qname}> on line ${lineOf(xml, p)} is not quoted`);
    const valueStart = EQUALS.lastIndex + 1;
    const valueEnd = xml.indexOf(quote, valueStart);
    if (valueEnd < 0) bad(`the value of attribute ${name} in <${qname}> is not closed`);
    const raw = xml.slice(valueStart, valueEnd);
    if (raw.includes('<')) bad(`attribute ${name} in <${qname}> on line ${lineOf(xml, p)} contains "<"`);
    if (seen.has(name)) bad(`attribute ${name} appears twice in <${qname}> on line ${lineOf(xml, p)}`);
    seen.add(name);
    // Literal tabs and newlines become spaces; ones written as character references survive (XML 1.0 §3.3.3).
    attributes.push({ qname: name, value: decodeEntities(raw.replace(/\r\n|[\t\n\r]/g, ' '), entities) });
    p = valueEnd + 1;
  }
  let scope = parentScope;
  for (const a of attributes) {
    if (a.qname !== 'xmlns' && !a.qname.startsWith('xmlns:')) continue;
    if (scope === parentScope) {
      limits.scopeEntries -= parentScope.size + 1;
      if (limits.scopeEntries < 0) bad(`too many namespace declarations (line ${lineOf(xml, lt)})`);
      scope = new Map(parentScope);
    }
    const declared = a.qname === 'xmlns' ? '' : a.qname.slice(6);
    // An empty value undeclares the binding (the default namespace in XML 1.0, any prefix in 1.1).
    if (a.value === '') (scope as Map<string, string>).delete(declared);
    else (scope as Map<string, string>).set(declared, a.value);
  }
  const { prefix, local } = splitQName(qname);
  // Namespace well-formedness: an undeclared element prefix is an error (browsers refuse such SVG files too).
  // Tolerating it would let the namespace declaration that bake adds to <svg> capture the element later.
  if (prefix !== '' && !scope.has(prefix))
    bad(`the prefix "${prefix}" of <${qname}> on line ${lineOf(xml, lt)} is not declared`);
  return {
    qname,
    prefix,
    local,
    namespace: scope.get(prefix),
    attributes,
    scope,
    start: lt,
    startTagEnd: p,
    selfClosing,
    end: p,
    depth,
    text: '',
  };
}

/**
 * Scans a whole document. `match` is asked about every element once its start tag is read; matched elements get
 * their character data collected and are returned once closed.
 */
export function scanXml(xml: string, match: (element: XmlElement) => boolean): XmlScan {
  const entities = newEntityTable();
  const limits = { scopeEntries: SCOPE_ENTRY_LIMIT };
  const open: { element: XmlElement; matched: boolean; firstPiece: number }[] = [];
  const matches: XmlElement[] = [];
  const topScope: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]);
  // Character data inside matched elements, in order; each matched element joins the pieces since its start tag.
  // One shared list keeps collection linear however deep the document is.
  const pieces: string[] = [];
  let root: XmlElement | undefined;
  let collecting = 0;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  const close = (element: XmlElement, end: number, matched: boolean, firstPiece: number) => {
    element.end = end;
    if (!matched) return;
    element.text = pieces.slice(firstPiece).join('');
    matches.push(element);
    collecting--;
    if (collecting === 0) pieces.length = 0;
  };

  for (;;) {
    const lt = xml.indexOf('<', i);
    const segmentEnd = lt < 0 ? xml.length : lt;
    if (segmentEnd > i) {
      if (open.length === 0) {
        if (xml.slice(i, segmentEnd).trim() !== '') bad(`text outside the root element on line ${lineOf(xml, i)}`);
      } else if (collecting > 0) pieces.push(decodeEntities(normaliseNewlines(xml.slice(i, segmentEnd)), entities));
    }
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) i = skipPast(xml, '-->', lt + 4, 'comment');
    else if (xml.startsWith('<![CDATA[', lt)) {
      if (open.length === 0) bad(`CDATA section outside the root element on line ${lineOf(xml, lt)}`);
      i = skipPast(xml, ']]>', lt + 9, 'CDATA section');
      if (collecting > 0) pieces.push(normaliseNewlines(xml.slice(lt + 9, i - 3)));
    } else if (xml.startsWith('<?', lt)) i = skipPast(xml, '?>', lt + 2, 'processing instruction');
    else if (xml.startsWith('<!DOCTYPE', lt)) {
      if (root) bad(`a doctype after the root element, on line ${lineOf(xml, lt)}`);
      i = readDoctype(xml, lt, entities);
    } else if (xml.startsWith('</', lt)) {
      NAME.lastIndex = lt + 2;
      const name = NAME.exec(xml)?.[0];
      SPACE.lastIndex = lt + 2 + (name?.length ?? 0);
      SPACE.exec(xml);
      if (!name || xml[SPACE.lastIndex] !== '>') bad(`malformed end tag on line ${lineOf(xml, lt)}`);
      const top = open.pop();
      if (!top) bad(`end tag </${name}> without a start tag on line ${lineOf(xml, lt)}`);
      if (top.element.qname !== name)
        bad(
          `<${top.element.qname}> (line ${lineOf(xml, top.element.start)}) is closed by </${name}> on line ${lineOf(xml, lt)}`,
        );
      i = SPACE.lastIndex + 1;
      close(top.element, i, top.matched, top.firstPiece);
    } else {
      if (root && open.length === 0) bad(`a second root element on line ${lineOf(xml, lt)}`);
      const parentScope = open[open.length - 1]?.element.scope ?? topScope;
      const element = readStartTag(xml, lt, parentScope, entities, open.length, limits);
      root ??= element;
      const matched = match(element);
      if (matched) {
        // Each matched element copies the text of its content, so nested matches cost (depth x size): bound the depth.
        if (collecting >= MAX_NESTED_MATCHES)
          bad(`more than ${MAX_NESTED_MATCHES} nested <${element.qname}>-like elements, on line ${lineOf(xml, lt)}`);
        collecting++;
      }
      i = element.startTagEnd;
      if (element.selfClosing) close(element, i, matched, pieces.length);
      else open.push({ element, matched, firstPiece: pieces.length });
    }
  }
  if (open.length > 0)
    bad(
      `<${open[open.length - 1]!.element.qname}> (line ${lineOf(xml, open[open.length - 1]!.element.start)}) is never closed`,
    );
  if (!root) bad('there is no root element');
  return { root, matches };
}

/** The value of the attribute with this local name in this namespace (undefined = no namespace, i.e. unprefixed). */
export function attributeValue(element: XmlElement, local: string, namespace?: string): string | undefined {
  for (const a of element.attributes) {
    const colon = a.qname.indexOf(':');
    if (colon < 0) {
      if (namespace === undefined && a.qname === local) return a.value;
    } else if (
      namespace !== undefined &&
      a.qname.slice(colon + 1) === local &&
      element.scope.get(a.qname.slice(0, colon)) === namespace
    ) {
      return a.value;
    }
  }
  return undefined;
}
