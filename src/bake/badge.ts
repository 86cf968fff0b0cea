/** Baking a credential into a PNG or SVG badge, and reading it back (Open Badges 3.0 §5.3). */
import { MicrocredError } from '../errors';
import { invalidImage } from './errors';
import type { FoundText } from './found';
import { interpretBakedText, serialiseCredential, type BakedPayload } from './payload';
import { bakePng, findPngText } from './png';
import { hasPngSignature } from './png-chunks';
import { bakeSvg, findSvgText } from './svg';
import { documentElementName } from './xml-scanner';

/** An Open Badges 2.0 assertion found in an image: reported so callers can say so, never read as an OB 3.0 credential. */
export interface Ob2Assertion {
  kind: 'ob2';
  image: 'png' | 'svg';
  /** What OB 2.0 baked: usually the assertion URL, sometimes its JSON or a JWS. */
  text: string;
}

type SvgEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function svgEncoding(bytes: Uint8Array): SvgEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function decodeSvg(bytes: Uint8Array): string {
  const encoding = svgEncoding(bytes);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (e) {
    throw invalidImage(`The SVG is not valid ${encoding.toUpperCase()} text`, e);
  }
}

function isSvgText(text: string): boolean {
  const name = documentElementName(text);
  return name !== undefined && (name === 'svg' || name.endsWith(':svg'));
}

/**
 * Last line of defence for hostile input: the parsers are written to throw only MicrocredError, but should one of
 * them slip, the caller still gets INVALID_IMAGE rather than a TypeError. The message says "internal" so tests
 * that fuzz the parsers can tell such a slip from a deliberate error.
 */
function asImageError(e: unknown): MicrocredError {
  if (e instanceof MicrocredError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return invalidImage(`The image could not be processed (unexpected internal error: ${detail})`, e);
}

/** 'png' or 'svg' by content (PNG signature, or an XML document whose root element is `svg`); undefined otherwise. */
export function detectImageType(image: Uint8Array | string): 'png' | 'svg' | undefined {
  if (typeof image === 'string') return isSvgText(image) ? 'svg' : undefined;
  if (!(image instanceof Uint8Array)) return undefined;
  if (hasPngSignature(image)) return 'png';
  // Only decode what could be XML: text starting with '<' after whitespace, or a UTF-8/UTF-16 byte-order mark.
  const first = image.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first < 0 || (image[first] !== 0x3c && image[first] !== 0xef && image[first] !== 0xff && image[first] !== 0xfe))
    return undefined;
  return isSvgText(new TextDecoder(svgEncoding(image)).decode(image)) ? 'svg' : undefined;
}

/**
 * Bakes a credential into a badge image as Open Badges 3.0 §5.3 specifies. A PNG gets one uncompressed `iTXt`
 * chunk with keyword `openbadgecredential` before its first IDAT; an SVG gets an `openbadges:credential` element
 * right after its `<svg>` start tag (a JWT in `verify`, JSON in CDATA). A string credential is a compact JWS
 * (VC-JWT); an object is baked as JSON. An image that already carries a credential is an INVALID_IMAGE error
 * unless `replace` is true. SVG given as bytes is returned as UTF-8 bytes.
 */
export function bake(image: Uint8Array, credential: object | string, options?: { replace?: boolean }): Uint8Array;
export function bake(image: string, credential: object | string, options?: { replace?: boolean }): string;
export function bake(
  image: Uint8Array | string,
  credential: object | string,
  options: { replace?: boolean } = {},
): Uint8Array | string {
  try {
    return bakeImage(image, credential, options.replace === true);
  } catch (e) {
    throw asImageError(e);
  }
}

function bakeImage(image: Uint8Array | string, credential: object | string, replace: boolean): Uint8Array | string {
  const type = detectImageType(image);
  if (type === undefined) throw invalidImage('Badges can be baked into PNG or SVG images only, and this is neither');
  const payload = serialiseCredential(credential);
  if (type === 'png') return bakePng(image as Uint8Array, payload.text, replace);
  const svgPayload = payload.format === 'jwt' ? { jwt: payload.text } : { json: payload.text };
  if (typeof image === 'string') return bakeSvg(image, svgPayload, replace);
  if (svgEncoding(image) !== 'utf-8')
    throw invalidImage('A UTF-16 SVG cannot be baked as bytes; decode it and pass the SVG as a string');
  return new TextEncoder().encode(bakeSvg(decodeSvg(image), svgPayload, replace));
}

async function findText(image: Uint8Array | string): Promise<{ type: 'png' | 'svg'; found: FoundText }> {
  const type = detectImageType(image);
  if (type === 'png') return { type, found: await findPngText(image as Uint8Array) };
  if (type === 'svg') return { type, found: findSvgText(typeof image === 'string' ? image : decodeSvg(image)) };
  throw invalidImage('Not a PNG or SVG image');
}

const WHERE = { png: 'iTXt openbadgecredential chunk of the PNG', svg: 'credential element of the SVG' } as const;

/**
 * Reads what a badge image carries: the OB 3.0 credential, or an Open Badges 2.0 assertion reported as
 * `{ kind: 'ob2' }`. Anything else (no credential, two of them, a damaged image, bad JSON) is INVALID_IMAGE.
 */
export async function inspectBadgeImage(image: Uint8Array | string): Promise<BakedPayload | Ob2Assertion> {
  try {
    return await inspect(image);
  } catch (e) {
    throw asImageError(e);
  }
}

async function inspect(image: Uint8Array | string): Promise<BakedPayload | Ob2Assertion> {
  const { type, found } = await findText(image);
  if (found.kind === 'ob2') return { kind: 'ob2', image: type, text: found.text.trim() };
  if (found.kind === 'none')
    throw invalidImage(`No credential is baked into this ${type.toUpperCase()}${found.hint ? `: ${found.hint}` : ''}`);
  return interpretBakedText(found.text, WHERE[type]);
}

/**
 * Extracts the OB 3.0 credential baked into a PNG or SVG badge (given as bytes, or SVG as text). Throws
 * INVALID_IMAGE for anything that is not exactly one readable credential, including an OB 2.0 badge.
 */
export async function unbake(image: Uint8Array | string): Promise<BakedPayload> {
  const result = await inspectBadgeImage(image);
  if ('kind' in result) {
    throw invalidImage(
      `This ${result.image.toUpperCase()} is an Open Badges 2.0 badge (it carries an OB 2.0 assertion, not an OB 3.0 credential)`,
    );
  }
  return result;
}
