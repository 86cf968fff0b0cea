import { MicrocredError } from '../errors';

/**
 * Unbakes a PNG or SVG badge for the verifier. The image code is loaded on demand, so a verifier that only ever
 * sees JSON does not pay for it.
 */
export async function unbakeForVerify(image: Uint8Array | string): Promise<{ source: 'png' | 'svg'; text: string }> {
  const bake = await import('../bake/index');
  const kind = bake.detectImageType(image);
  if (!kind) throw new MicrocredError('INVALID_IMAGE', 'The input is neither a PNG nor an SVG image', { path: '$' });
  const payload = await bake.unbake(image);
  return { source: kind, text: payload.text };
}
