import { MicrocredError } from '../errors';

/** OB 3.0 (spec §5.3.2): an `openbadges:credential` element in this namespace, right after the opening `<svg>` tag. */
export const OB_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';

interface StartTag {
  name: string;
  attrs: Map<string, string>;
  start: number;
  end: number;
  selfClosing: boolean;
}

interface Found {
  tag: StartTag;
  /** End offset of the whole element (after its end tag). */
  elementEnd: number;
  content: string;
}

/**
 * A small XML scanner, enough for badge SVGs: it skips comments, CDATA, processing instructions and the doctype,
 * tracks namespace declarations, and finds elements by namespace URI + local name, as 1EdTech's validator does
 * (the prefix may be anything).
 */
function scan(svg: string): { root: StartTag; credentials: Found[] } {
  let root: StartTag | undefined;
  const credentials: Found[] = [];
  const scopes: Map<string, string>[] = [new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])];
  const open: { name: string; tag: StartTag; isCredential: boolean }[] = [];
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    if (lt < 0) break;
    if (svg.startsWith('<!--', lt)) i = after(svg, '-->', lt + 4, 'comment');
    else if (svg.startsWith('<![CDATA[', lt)) i = after(svg, ']]>', lt + 9, 'CDATA section');
    else if (svg.startsWith('<?', lt)) i = after(svg, '?>', lt + 2, 'processing instruction');
    else if (svg.startsWith('<!', lt)) i = skipDoctype(svg, lt);
    else if (svg.startsWith('</', lt)) {
      const gt = svg.indexOf('>', lt);
      if (gt < 0) throw bad('unterminated end tag');
      const name = svg.slice(lt + 2, gt).trim();
      const top = open.pop();
      if (!top || top.name !== name) throw bad(`mismatched end tag </${name}>`);
      scopes.pop();
      if (top.isCredential) credentials.push({ tag: top.tag, elementEnd: gt + 1, content: textContent(svg.slice(top.tag.end, lt)) });
      i = gt + 1;
    } else {
      const tag = readStartTag(svg, lt);
      const scope = new Map(scopes[scopes.length - 1]);
      for (const [k, v] of tag.attrs) {
        if (k === 'xmlns') scope.set('', v);
        else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
      }
      const [prefix, local] = tag.name.includes(':') ? (tag.name.split(':', 2) as [string, string]) : ['', tag.name];
      const isCredential = local === 'credential' && scope.get(prefix) === OB_SVG_NAMESPACE;
      if (!root) {
        if (local !== 'svg') throw bad(`the root element is <${tag.name}>, not <svg>`);
        root = tag;
      }
      if (tag.selfClosing) {
        if (isCredential) credentials.push({ tag, elementEnd: tag.end, content: '' });
      } else {
        scopes.push(scope);
        open.push({ name: tag.name, tag, isCredential });
      }
      i = tag.end;
    }
  }
  if (!root) throw bad('no <svg> element');
  return { root, credentials };
}

function readStartTag(svg: string, lt: number): StartTag {
  const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(svg.slice(lt, lt + 256));
  if (!nameMatch) throw bad(`malformed tag at offset ${lt}`);
  const attrs = new Map<string, string>();
  let p = lt + nameMatch[0].length;
  for (;;) {
    while (/\s/.test(svg[p] ?? '')) p++;
    if (svg[p] === '>') return { name: nameMatch[1]!, attrs, start: lt, end: p + 1, selfClosing: false };
    if (svg.startsWith('/>', p)) return { name: nameMatch[1]!, attrs, start: lt, end: p + 2, selfClosing: true };
    const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*(["'])/.exec(svg.slice(p, p + 512));
    if (!attr) throw bad(`malformed attribute in <${nameMatch[1]}> at offset ${p}`);
    const quote = attr[2]!;
    const valueStart = p + attr[0].length;
    const valueEnd = svg.indexOf(quote, valueStart);
    if (valueEnd < 0) throw bad(`unterminated attribute value in <${nameMatch[1]}>`);
    attrs.set(attr[1]!, decodeEntities(svg.slice(valueStart, valueEnd)));
    p = valueEnd + 1;
  }
}

/** Text of an element: CDATA sections verbatim, other text with entities decoded, child markup ignored. */
function textContent(inner: string): string {
  let out = '';
  let i = 0;
  while (i < inner.length) {
    const lt = inner.indexOf('<', i);
    const chunk = lt < 0 ? inner.slice(i) : inner.slice(i, lt);
    out += decodeEntities(chunk);
    if (lt < 0) break;
    if (inner.startsWith('<![CDATA[', lt)) {
      const end = inner.indexOf(']]>', lt + 9);
      if (end < 0) throw bad('unterminated CDATA section');
      out += inner.slice(lt + 9, end);
      i = end + 3;
    } else if (inner.startsWith('<!--', lt)) i = after(inner, '-->', lt + 4, 'comment');
    else {
      const gt = inner.indexOf('>', lt);
      i = gt < 0 ? inner.length : gt + 1;
    }
  }
  return out.trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e as 'amp']!;
  });
}

function after(text: string, marker: string, from: number, what: string): number {
  const end = text.indexOf(marker, from);
  if (end < 0) throw bad(`unterminated ${what}`);
  return end + marker.length;
}

function skipDoctype(svg: string, lt: number): number {
  let depth = 0;
  for (let p = lt + 2; p < svg.length; p++) {
    if (svg[p] === '[') depth++;
    else if (svg[p] === ']') depth--;
    else if (svg[p] === '>' && depth <= 0) return p + 1;
  }
  throw bad('unterminated doctype');
}

function bad(message: string): MicrocredError {
  return new MicrocredError('INVALID_IMAGE', `Not a usable SVG: ${message}`, { path: '$' });
}

export function isSvg(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') && /<svg[\s>]/.test(head);
}

/** The baked text (a JWT from `verify`, or the JSON in the element) of an SVG badge, or undefined when none. */
export function extractSvgText(svg: string): string | undefined {
  const { credentials } = scan(svg);
  if (credentials.length > 1) throw new MicrocredError('INVALID_IMAGE', `The SVG has ${credentials.length} credential elements; a baked badge has exactly one`, { path: '$' });
  const found = credentials[0];
  if (!found) return undefined;
  return found.tag.attrs.get('verify') ?? found.content;
}

/** An SVG with the credential element directly after the opening `<svg>` tag. */
export function bakeSvg(svg: string, payload: { jwt: string } | { json: string }, replace: boolean): string {
  const { root, credentials } = scan(svg);
  if (credentials.length && !replace) throw new MicrocredError('INVALID_IMAGE', 'The SVG already carries a credential; pass { replace: true } to overwrite it', { path: '$' });
  let text = svg;
  for (const c of [...credentials].sort((a, b) => b.tag.start - a.tag.start)) text = text.slice(0, c.tag.start) + text.slice(c.elementEnd);
  const declared = [...root.attrs].find(([k, v]) => k.startsWith('xmlns:') && v === OB_SVG_NAMESPACE);
  const prefix = declared ? declared[0].slice(6) : 'openbadges';
  let rootTag = text.slice(root.start, root.end);
  if (!declared) {
    if (root.attrs.has('xmlns:openbadges')) throw new MicrocredError('INVALID_IMAGE', 'The prefix "openbadges" is bound to another namespace', { path: '$' });
    rootTag = rootTag.replace(/^<([A-Za-z_][\w.:-]*)/, `<$1 xmlns:${prefix}="${OB_SVG_NAMESPACE}"`);
  }
  const element =
    'jwt' in payload
      ? `<${prefix}:credential verify="${payload.jwt.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></${prefix}:credential>`
      : `<${prefix}:credential><![CDATA[${payload.json.split(']]>').join(']]]]><![CDATA[>')}]]></${prefix}:credential>`;
  if (root.selfClosing) return `${text.slice(0, root.start)}${rootTag.replace(/\/>$/, '>')}${element}</${root.name}>${text.slice(root.end)}`;
  return `${text.slice(0, root.start)}${rootTag}${element}${text.slice(root.end)}`;
}
