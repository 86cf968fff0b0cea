import { crc32 } from './crc32';
import { invalidImage } from './errors';
import { concatBytes } from '../shared/bytes';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** PNG spec §5.3: a chunk length is at most 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** One chunk, as offsets into the file so callers can copy it verbatim. */
export interface PngChunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  /** The chunk's data (without length, type and CRC). */
  data: Uint8Array;
  /** Offset just past the CRC. */
  end: number;
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Splits a PNG into chunks up to and including IEND, checking every length and CRC. A damaged file is
 * INVALID_IMAGE naming the chunk and its byte offset, so the user can tell truncation from corruption.
 */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (!hasPngSignature(bytes)) throw invalidImage('Not a PNG file: the 8-byte PNG signature is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let pos = 8;
  for (;;) {
    if (pos === bytes.length)
      throw invalidImage(`Truncated PNG: the file ends after ${chunks.length} chunks without an IEND chunk`);
    if (pos + 12 > bytes.length) throw invalidImage(`Truncated PNG: the chunk header at byte ${pos} is cut off`);
    const length = view.getUint32(pos);
    const type = chunkType(bytes, pos + 4);
    if (type === undefined) throw invalidImage(`Corrupt PNG: the chunk at byte ${pos} has an invalid type code`);
    if (length > MAX_CHUNK_LENGTH)
      throw invalidImage(`Corrupt PNG: chunk ${type} at byte ${pos} declares an impossible length ${length}`);
    const dataEnd = pos + 8 + length;
    if (dataEnd + 4 > bytes.length) {
      throw invalidImage(
        `Truncated PNG: chunk ${type} at byte ${pos} declares ${length} bytes, past the end of the file (${bytes.length} bytes)`,
      );
    }
    if (crc32(bytes.subarray(pos + 4, dataEnd)) !== view.getUint32(dataEnd)) {
      throw invalidImage(`Corrupt PNG: CRC mismatch in chunk ${type} at byte ${pos}`);
    }
    chunks.push({ type, start: pos, data: bytes.subarray(pos + 8, dataEnd), end: dataEnd + 4 });
    if (chunks.length === 1 && type !== 'IHDR') throw invalidImage(`Corrupt PNG: the first chunk is ${type}, not IHDR`);
    pos = dataEnd + 4;
    // Bytes after IEND are not part of the image; some tools append junk there, so they are ignored.
    if (type === 'IEND') return chunks;
  }
}

/** The four ASCII letters of a chunk type, or undefined when they are not letters (PNG spec §5.4). */
function chunkType(bytes: Uint8Array, at: number): string | undefined {
  let type = '';
  for (let i = at; i < at + 4; i++) {
    const b = bytes[i]!;
    if (!((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) return undefined;
    type += String.fromCharCode(b);
  }
  return type;
}

/** Serialises one chunk: length, type, data, CRC over type and data. */
export function encodePngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export { concatBytes };
