import { MicrocredError } from '../errors';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** OB 3.0 (spec §5.3.1): one iTXt chunk with this keyword, uncompressed. */
export const PNG_KEYWORD = 'openbadgecredential';
const OB2_KEYWORD = 'openbadges';

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** Offset of the chunk's length field in the file. */
  offset: number;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Splits a PNG into chunks, checking lengths and CRCs; a damaged file is INVALID_IMAGE naming the chunk. */
export function readChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new MicrocredError('INVALID_IMAGE', 'Not a PNG file (bad signature)', { path: '$' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) throw new MicrocredError('INVALID_IMAGE', `Truncated PNG: chunk header at byte ${pos} is cut off`, { path: '$' });
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MicrocredError('INVALID_IMAGE', `Corrupt PNG: bad chunk type at byte ${pos}`, { path: '$' });
    const end = pos + 12 + length;
    if (end > bytes.length) throw new MicrocredError('INVALID_IMAGE', `Truncated PNG: chunk ${type} at byte ${pos} claims ${length} bytes past the end of the file`, { path: '$' });
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    const crc = view.getUint32(pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== crc) throw new MicrocredError('INVALID_IMAGE', `Corrupt PNG: CRC mismatch in chunk ${type} at byte ${pos}`, { path: '$' });
    chunks.push({ type, data, offset: pos });
    pos = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new MicrocredError('INVALID_IMAGE', 'Corrupt PNG: the first chunk is not IHDR', { path: '$' });
  if (chunks[chunks.length - 1]?.type !== 'IEND') throw new MicrocredError('INVALID_IMAGE', 'Truncated PNG: no IEND chunk', { path: '$' });
  return chunks;
}

interface TextChunk {
  keyword: string;
  compressed: boolean;
  text: Uint8Array;
}

function parseITXt(data: Uint8Array): TextChunk | undefined {
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79 || nul + 2 >= data.length + 1) return undefined;
  const keyword = latin1(data.subarray(0, nul));
  const compressed = data[nul + 1] === 1;
  let p = nul + 3;
  const langEnd = data.indexOf(0, p);
  if (langEnd < 0) return undefined;
  const transEnd = data.indexOf(0, langEnd + 1);
  if (transEnd < 0) return undefined;
  p = transEnd + 1;
  return { keyword, compressed, text: data.subarray(p) };
}

function parseTEXt(data: Uint8Array): TextChunk | undefined {
  const nul = data.indexOf(0);
  if (nul < 1) return undefined;
  return { keyword: latin1(data.subarray(0, nul)), compressed: false, text: data.subarray(nul + 1) };
}

/** The baked text of a PNG, or 'ob2' for an Open Badges 2.0 assertion, or undefined when nothing is baked. */
export async function extractPngText(bytes: Uint8Array): Promise<string | 'ob2' | undefined> {
  const chunks = readChunks(bytes);
  const found: TextChunk[] = [];
  let ob2 = false;
  for (const chunk of chunks) {
    const t = chunk.type === 'iTXt' ? parseITXt(chunk.data) : chunk.type === 'tEXt' ? parseTEXt(chunk.data) : undefined;
    if (!t) continue;
    if (chunk.type === 'iTXt' && t.keyword === PNG_KEYWORD) found.push(t);
    else if (t.keyword === OB2_KEYWORD) ob2 = true;
  }
  if (found.length > 1) throw new MicrocredError('INVALID_IMAGE', `The PNG has ${found.length} ${PNG_KEYWORD} chunks; a baked badge has exactly one`, { path: '$' });
  const chunk = found[0];
  if (!chunk) return ob2 ? 'ob2' : undefined;
  const raw = chunk.compressed ? await inflate(chunk.text) : chunk.text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (e) {
    throw new MicrocredError('INVALID_IMAGE', 'The baked credential is not valid UTF-8', { path: '$', cause: e });
  }
}

/** A PNG with `text` in one uncompressed iTXt chunk before the first IDAT; an existing credential chunk is replaced only when asked. */
export function bakePng(bytes: Uint8Array, text: string, replace: boolean): Uint8Array {
  const chunks = readChunks(bytes);
  const existing = chunks.filter((c) => c.type === 'iTXt' && parseITXt(c.data)?.keyword === PNG_KEYWORD);
  if (existing.length && !replace) throw new MicrocredError('INVALID_IMAGE', 'The PNG already carries a credential; pass { replace: true } to overwrite it', { path: '$' });
  const enc = new TextEncoder();
  const keyword = enc.encode(PNG_KEYWORD);
  const body = enc.encode(text);
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
  const data = new Uint8Array(keyword.length + 5 + body.length);
  data.set(keyword, 0);
  data.set(body, keyword.length + 5);
  const kept = chunks.filter((c) => !existing.includes(c));
  const idat = kept.findIndex((c) => c.type === 'IDAT');
  const at = idat >= 0 ? idat : kept.length - 1;
  const parts: Uint8Array[] = [Uint8Array.from(SIGNATURE)];
  kept.forEach((c, i) => {
    if (i === at) parts.push(encodeChunk('iTXt', data));
    parts.push(encodeChunk(c.type, c.data));
  });
  return concatAll(parts);
}

function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inflates a zlib stream (a compressed iTXt, which OB 3.0 forbids but some tools write), capped against bombs. */
async function inflate(data: Uint8Array, max = 16 * 1024 * 1024): Promise<Uint8Array> {
  try {
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
    const reader = stream.getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel();
        throw new MicrocredError('INVALID_IMAGE', 'The compressed credential is too large', { path: '$' });
      }
      parts.push(value);
    }
    return concatAll(parts);
  } catch (e) {
    if (e instanceof MicrocredError) throw e;
    throw new MicrocredError('INVALID_IMAGE', 'The compressed iTXt chunk is not a valid zlib stream', { path: '$', cause: e });
  }
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
