import { MicrocredError } from '../errors';
import { parseInput, type ParsedInput, type VerifiableInput } from './parse';
import { onDemand } from '../shared/on-demand';

const loadBake = onDemand(() => import('../bake/index'));

/**
 * Unbakes a PNG or SVG badge for the verifier. The image code loads on demand: a page that imports `verify` (and not
 * `bake`) and verifies JSON never downloads it.
 */
export async function unbakeForVerify(image: Uint8Array | string): Promise<{ source: 'png' | 'svg'; text: string }> {
  const { detectImageType, unbake } = await loadBake();
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
