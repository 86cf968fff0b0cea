import { MicrocredError } from '../errors';
import { detectImageType, unbake } from '../bake/index';
import { parseInput, type ParsedInput, type VerifiableInput } from './parse';

/**
 * Unbakes a PNG or SVG badge for the verifier.
 *
 * A static import: this used to be `await import('../bake/index')` so that a JSON-only verifier would not load the
 * image code, but the bundle defeats it. The main entry exports bake() itself, so the image code is in every
 * consumer's graph; the ESM build's `bake-*.js` chunk was a 126-byte facade re-exporting a chunk the core chunk
 * already imports statically (measured with `npm run build`, dist/). The dynamic import bought only an extra await.
 */
export async function unbakeForVerify(image: Uint8Array | string): Promise<{ source: 'png' | 'svg'; text: string }> {
  const kind = detectImageType(image);
  if (!kind) throw new MicrocredError('INVALID_IMAGE', 'The input is neither a PNG nor an SVG image', { path: '$' });
  const payload = await unbake(image);
  return { source: kind, text: payload.text };
}

/**
 * Reads what `verify()` takes (a credential object, JSON text, a compact JWS, or a baked PNG/SVG badge) into the
 * credential object, checking nothing but that it can be read (JSON, no duplicate keys, one baked payload). For
 * tools that look at a credential before or instead of verifying it (schema validation, sorting a stack's files);
 * never a reason to trust it. Throws MicrocredError (`INVALID_INPUT`, `DUPLICATE_KEY`, `INVALID_IMAGE`, …).
 */
export function parseCredential(input: VerifiableInput): Promise<ParsedInput> {
  return parseInput(input, unbakeForVerify);
}
