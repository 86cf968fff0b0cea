import { MicrocredError } from '../errors';
import { invalidImage } from './errors';
import { concatBytes } from './png-chunks';

/** Baked credentials are a few kB; anything that inflates past this is a zip bomb, not a badge. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/**
 * Inflates a zlib stream (PNG iTXt compression method 0). OB 3.0 forbids compressing the credential chunk, but
 * Java ImageIO (which 1EdTech's validator uses) decompresses transparently, so a reader should too.
 * Uses DecompressionStream so it works in browsers and Node alike.
 */
export async function inflateZlib(data: Uint8Array, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_INFLATED_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw invalidImage(`The compressed ${what} inflates to more than ${MAX_INFLATED_BYTES} bytes`);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof MicrocredError) throw e;
    throw invalidImage(`The compressed ${what} is not a valid zlib stream`, e);
  }
  return concatBytes(parts);
}
