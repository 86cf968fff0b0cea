import { invalidImage } from './errors';
import type { FoundText } from './found';
import { attributeValue, lineOf, scanXml, type XmlElement, type XmlScan } from './xml-scanner';

/** OB 3.0 §5.3.2: the credential is an element `{https://purl.imsglobal.org/ob/v3p0}credential`. */
export const OB_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
/** Open Badges 2.0 baked `{http://openbadges.org}assertion`; recognised, not read as OB 3.0. */
const OB2_SVG_NAMESPACE = 'http://openbadges.org';
const PREFERRED_PREFIX = 'openbadges';

const isCredential = (e: XmlElement) => e.local === 'credential' && e.namespace === OB_SVG_NAMESPACE;
const isOb2Assertion = (e: XmlElement) => e.local === 'assertion' && e.namespace === OB2_SVG_NAMESPACE;
/** `<openbadges:credential>` whose prefix is bound to another namespace: worth a hint when nothing else is found. */
const isNearMiss = (e: XmlElement) =>
  e.local === 'credential' && e.prefix === PREFERRED_PREFIX && e.namespace !== OB_SVG_NAMESPACE;

function scanBadgeSvg(svg: string): XmlScan & { credentials: XmlElement[] } {
  const scan = scanXml(svg, (e) => isCredential(e) || isOb2Assertion(e) || isNearMiss(e));
  if (scan.root.local !== 'svg') throw invalidImage(`Not an SVG: the root element is <${scan.root.qname}>`);
  return { ...scan, credentials: scan.matches.filter(isCredential) };
}

/** The text an element carries: its `verify` attribute (a JWS) when set, else its character data. */
function elementPayload(element: XmlElement, namespace: string): string {
  const verify = attributeValue(element, 'verify') ?? attributeValue(element, 'verify', namespace);
  return verify !== undefined && verify.trim() !== '' ? verify : element.text;
}

/** Finds the baked credential of an SVG: exactly one OB 3.0 credential element, matched by namespace URI. */
export function findSvgText(svg: string): FoundText {
  const { credentials, matches } = scanBadgeSvg(svg);
  if (credentials.length > 1) {
    const lines = credentials.map((c) => lineOf(svg, c.start)).join(', ');
    throw invalidImage(
      `The SVG has ${credentials.length} OB 3.0 credential elements (lines ${lines}); a baked badge has exactly one`,
    );
  }
  const credential = credentials[0];
  if (credential) {
    // One payload only: a JWS in `verify` and other text in the body would read as another credential in tools that
    // look at the body first.
    const verify = attributeValue(credential, 'verify') ?? attributeValue(credential, 'verify', OB_SVG_NAMESPACE);
    if (verify !== undefined && verify.trim() !== '' && credential.text.trim() !== '') {
      throw invalidImage(
        `The SVG's credential element (line ${lineOf(svg, credential.start)}) carries a JWS in its verify attribute and other text in its body; a baked badge has exactly one payload`,
      );
    }
    return { kind: 'ob3', text: elementPayload(credential, OB_SVG_NAMESPACE) };
  }
  const ob2 = matches.find(isOb2Assertion);
  if (ob2) return { kind: 'ob2', text: elementPayload(ob2, OB2_SVG_NAMESPACE) };
  const nearMiss = matches.find(isNearMiss);
  if (nearMiss) {
    const where = `<${nearMiss.qname}> on line ${lineOf(svg, nearMiss.start)}`;
    return {
      kind: 'none',
      hint: `${where} looks like a credential, but its prefix is bound to ${nearMiss.namespace ?? '(nothing)'}, not ${OB_SVG_NAMESPACE}`,
    };
  }
  return { kind: 'none' };
}

/** What to bake: a compact JWS goes in the `verify` attribute, JSON in the element body. */
export type SvgPayload = { jwt: string } | { json: string };

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** A CDATA section holding `text` verbatim; a `]]>` inside is split across two sections so it cannot end the first early. */
function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** The prefix to write: one the root already binds to the OB namespace, else `openbadges` (or a free variant) plus a declaration. */
function choosePrefix(root: XmlElement): { prefix: string; declare: boolean } {
  if (root.scope.get(PREFERRED_PREFIX) === OB_SVG_NAMESPACE) return { prefix: PREFERRED_PREFIX, declare: false };
  for (const [prefix, uri] of root.scope)
    if (prefix !== '' && uri === OB_SVG_NAMESPACE) return { prefix, declare: false };
  let prefix = PREFERRED_PREFIX;
  for (let n = 2; root.scope.has(prefix); n++) prefix = `${PREFERRED_PREFIX}${n}`;
  return { prefix, declare: true };
}

/** `text` without the given [start, end) ranges (sorted, possibly nested), offsets relative to `base`. */
function withoutRanges(text: string, base: number, ranges: readonly { start: number; end: number }[]): string {
  let out = '';
  let cursor = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const start = r.start - base;
    if (start < cursor) continue; // nested inside a range already removed
    out += text.slice(cursor, start);
    cursor = r.end - base;
  }
  return out + text.slice(cursor);
}

/**
 * A copy of the SVG with one credential element directly after the root's start tag and the namespace declared on
 * the root. Everything else is kept byte for byte. An existing credential is an error unless `replace` is set.
 */
export function bakeSvg(svg: string, payload: SvgPayload, replace: boolean): string {
  const { root, credentials } = scanBadgeSvg(svg);
  if (credentials.length > 0 && !replace)
    throw invalidImage('The SVG already carries a baked credential; pass { replace: true } to overwrite it');
  const { prefix, declare } = choosePrefix(root);
  const name = `${prefix}:credential`;
  const element =
    'jwt' in payload
      ? `<${name} verify="${escapeAttribute(payload.jwt)}"></${name}>`
      : `<${name}>${cdata(payload.json)}</${name}>`;
  let startTag = svg.slice(root.start, root.startTagEnd);
  if (declare) {
    const afterName = 1 + root.qname.length;
    startTag = `${startTag.slice(0, afterName)} xmlns:${prefix}="${OB_SVG_NAMESPACE}"${startTag.slice(afterName)}`;
  }
  const before = svg.slice(0, root.start);
  if (root.selfClosing) return `${before}${startTag.slice(0, -2)}>${element}</${root.qname}>${svg.slice(root.end)}`;
  return `${before}${startTag}${element}${withoutRanges(svg.slice(root.startTagEnd), root.startTagEnd, credentials)}`;
}
