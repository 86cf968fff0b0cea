import { MicrocredError } from '../errors';
import { detectImageType, unbake } from '../bake/index';

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
