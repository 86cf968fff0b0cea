import { MicrocredError } from '../errors';
import { bakePng, extractPngText, isPng } from './png';
import { bakeSvg, extractSvgText, isSvg } from './svg';

export { crc32, PNG_KEYWORD } from './png';
export { OB_SVG_NAMESPACE } from './svg';

export type BakedPayload =
  | { format: 'json'; credential: Record<string, unknown>; text: string }
  | { format: 'jwt'; jwt: string; text: string };

export function detectImageType(image: Uint8Array | string): 'png' | 'svg' | undefined {
  if (typeof image === 'string') return isSvg(image) ? 'svg' : undefined;
  if (isPng(image)) return 'png';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(image.subarray(0, 2048));
  return isSvg(head) ? 'svg' : undefined;
}

/**
 * Bakes a credential into a badge image as Open Badges 3.0 specifies: a PNG gets one uncompressed `iTXt` chunk
 * (keyword `openbadgecredential`), an SVG an `openbadges:credential` element. A string credential is a compact JWS
 * (VC-JWT); an object is embedded as JSON.
 */
export function bake(image: Uint8Array, credential: object | string, options?: { replace?: boolean }): Uint8Array;
export function bake(image: string, credential: object | string, options?: { replace?: boolean }): string;
export function bake(image: Uint8Array | string, credential: object | string, options: { replace?: boolean } = {}): Uint8Array | string {
  const text = typeof credential === 'string' ? credential.trim() : JSON.stringify(credential);
  if (typeof credential === 'string' && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) {
    throw new MicrocredError('INVALID_INPUT', 'A string credential must be a compact JWS (VC-JWT)', { path: '$' });
  }
  const kind = detectImageType(image);
  if (kind === 'png' && image instanceof Uint8Array) return bakePng(image, text, options.replace === true);
  if (kind === 'svg') {
    const svg = typeof image === 'string' ? image : new TextDecoder().decode(image);
    const baked = bakeSvg(svg, typeof credential === 'string' ? { jwt: text } : { json: text }, options.replace === true);
    return typeof image === 'string' ? baked : new TextEncoder().encode(baked);
  }
  throw new MicrocredError('INVALID_IMAGE', 'Badges can be baked into PNG or SVG images only', { path: '$' });
}

/** Reads the credential baked into a PNG or SVG badge. */
export async function unbake(image: Uint8Array | string): Promise<BakedPayload> {
  const kind = detectImageType(image);
  let text: string | 'ob2' | undefined;
  if (kind === 'png' && image instanceof Uint8Array) text = await extractPngText(image);
  else if (kind === 'svg') {
    let svg: string;
    try {
      svg = typeof image === 'string' ? image : new TextDecoder('utf-8', { fatal: true }).decode(image);
    } catch (e) {
      throw new MicrocredError('INVALID_IMAGE', 'The SVG is not valid UTF-8', { path: '$', cause: e });
    }
    text = extractSvgText(svg);
  } else throw new MicrocredError('INVALID_IMAGE', 'Not a PNG or SVG image', { path: '$' });
  if (text === 'ob2') throw new MicrocredError('INVALID_IMAGE', 'The image carries an Open Badges 2.0 assertion, not an OB 3.0 credential', { path: '$' });
  if (text === undefined || text.trim() === '') throw new MicrocredError('INVALID_IMAGE', 'No credential is baked into this image', { path: '$' });
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const credential = JSON.parse(trimmed) as unknown;
      if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) throw new Error('not an object');
      return { format: 'json', credential: credential as Record<string, unknown>, text: trimmed };
    } catch (e) {
      throw new MicrocredError('INVALID_IMAGE', `The baked credential is not a JSON object: ${(e as Error).message}`, { path: '$', cause: e });
    }
  }
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed)) return { format: 'jwt', jwt: trimmed, text: trimmed };
  throw new MicrocredError('INVALID_IMAGE', 'The baked text is neither JSON nor a compact JWS', { path: '$' });
}
