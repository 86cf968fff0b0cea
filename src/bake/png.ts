import { invalidImage } from './errors';
import type { FoundText } from './found';
import { inflateZlib } from './inflate';
import { PNG_SIGNATURE, concatBytes, encodePngChunk, readPngChunks, type PngChunk } from './png-chunks';

/** OB 3.0 §5.3.1: the credential sits in one `iTXt` chunk with this keyword, uncompressed. */
export const PNG_KEYWORD = 'openbadgecredential';
/** Open Badges 2.0 used this keyword, in iTXt or tEXt; such images are recognised but not read as OB 3.0. */
const OB2_KEYWORD = 'openbadges';

/** An iTXt chunk split into its fields (PNG spec §11.3.4.5). */
interface ITXt {
  keyword: string;
  compressionFlag: number;
  compressionMethod: number;
  /** The text field, still compressed when `compressionFlag` is 1. */
  text: Uint8Array;
}

/** The keyword of a tEXt/zTXt/iTXt chunk (1-79 Latin-1 bytes before a NUL), or undefined when malformed. */
function textKeyword(data: Uint8Array): { keyword: string; rest: number } | undefined {
  const limit = Math.min(data.length, 80);
  let keyword = '';
  for (let i = 0; i < limit; i++) {
    if (data[i] === 0) return i === 0 ? undefined : { keyword, rest: i + 1 };
    keyword += String.fromCharCode(data[i]!);
  }
  return undefined;
}

/** Parses an iTXt chunk; a string return is the reason it is malformed. */
function parseITXt(data: Uint8Array): ITXt | string {
  const head = textKeyword(data);
  if (!head) return 'its keyword is missing or longer than 79 bytes';
  let p = head.rest;
  if (p + 2 > data.length) return 'it ends before the compression fields';
  const compressionFlag = data[p]!;
  const compressionMethod = data[p + 1]!;
  p += 2;
  const languageEnd = data.indexOf(0, p);
  if (languageEnd < 0) return 'its language tag is not NUL-terminated';
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return 'its translated keyword is not NUL-terminated';
  return { keyword: head.keyword, compressionFlag, compressionMethod, text: data.subarray(translatedEnd + 1) };
}

/** The UTF-8 text of an iTXt chunk, inflated if it is compressed; malformed chunks are INVALID_IMAGE. */
async function iTXtText(chunk: PngChunk, itxt: ITXt): Promise<string> {
  const where = `iTXt chunk "${itxt.keyword}" at byte ${chunk.start}`;
  if (itxt.compressionFlag > 1)
    throw invalidImage(`Corrupt PNG: the ${where} has compression flag ${itxt.compressionFlag} (0 or 1 allowed)`);
  if (itxt.compressionFlag === 1 && itxt.compressionMethod !== 0) {
    throw invalidImage(`Corrupt PNG: the ${where} uses unknown compression method ${itxt.compressionMethod}`);
  }
  const raw = itxt.compressionFlag === 1 ? await inflateZlib(itxt.text, where) : itxt.text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (e) {
    throw invalidImage(`The text of the ${where} is not valid UTF-8`, e);
  }
}

/** Latin-1 decoding in slices, because spreading a large array into String.fromCharCode overflows the stack. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function isCredentialChunk(chunk: PngChunk): boolean {
  return chunk.type === 'iTXt' && textKeyword(chunk.data)?.keyword === PNG_KEYWORD;
}

/**
 * A text chunk of any kind (iTXt, tEXt, zTXt) under the credential keyword, in any case. Tools differ in which kind
 * (and which spelling) they read, so a second one would show another credential. (An OB 2.0 `openbadges` assertion
 * left over from an older badge is not a credential and may stay.)
 */
function isPayloadChunk(chunk: PngChunk): boolean {
  if (chunk.type !== 'iTXt' && chunk.type !== 'tEXt' && chunk.type !== 'zTXt') return false;
  return textKeyword(chunk.data)?.keyword.toLowerCase() === PNG_KEYWORD;
}

/**
 * Finds the baked credential of a PNG: exactly one iTXt `openbadgecredential` chunk. Two of them are an error (which
 * one would be the credential is ambiguous); an OB 2.0 `openbadges` chunk is reported as such.
 */
export async function findPngText(bytes: Uint8Array): Promise<FoundText> {
  const chunks = readPngChunks(bytes);
  const credentials = chunks.filter(isCredentialChunk);
  if (credentials.length > 1) {
    const at = credentials.map((c) => c.start).join(', ');
    throw invalidImage(
      `The PNG has ${credentials.length} iTXt ${PNG_KEYWORD} chunks (at bytes ${at}); a baked badge has exactly one`,
    );
  }
  const payloads = chunks.filter(isPayloadChunk);
  if (payloads.length > 1) {
    const list = payloads.map((c) => `${c.type} "${textKeyword(c.data)?.keyword ?? ''}" at byte ${c.start}`).join(', ');
    throw invalidImage(
      `The PNG carries ${payloads.length} credential payloads (${list}); a baked badge has exactly one, since tools that read another chunk kind would show another credential`,
    );
  }
  const credential = credentials[0];
  if (credential) {
    const itxt = parseITXt(credential.data);
    if (typeof itxt === 'string')
      throw invalidImage(
        `Corrupt PNG: the iTXt ${PNG_KEYWORD} chunk at byte ${credential.start} is malformed: ${itxt}`,
      );
    return { kind: 'ob3', text: await iTXtText(credential, itxt) };
  }
  for (const chunk of chunks) {
    if (chunk.type !== 'iTXt' && chunk.type !== 'tEXt') continue;
    if (textKeyword(chunk.data)?.keyword !== OB2_KEYWORD) continue;
    if (chunk.type === 'tEXt') return { kind: 'ob2', text: latin1(chunk.data.subarray(OB2_KEYWORD.length + 1)) };
    const itxt = parseITXt(chunk.data);
    if (typeof itxt === 'string')
      throw invalidImage(`Corrupt PNG: the iTXt ${OB2_KEYWORD} chunk at byte ${chunk.start} is malformed: ${itxt}`);
    return { kind: 'ob2', text: await iTXtText(chunk, itxt) };
  }
  const wrongType = chunks.find(
    (c) =>
      c.type !== 'iTXt' && (c.type === 'tEXt' || c.type === 'zTXt') && textKeyword(c.data)?.keyword === PNG_KEYWORD,
  );
  return wrongType
    ? {
        kind: 'none',
        hint: `a ${wrongType.type} chunk has the keyword ${PNG_KEYWORD}, but OB 3.0 requires an iTXt chunk`,
      }
    : { kind: 'none' };
}

/** The data of the credential chunk: keyword, NUL, flag 0, method 0, empty language tag, empty translated keyword, text. */
function credentialChunkData(text: string): Uint8Array {
  const keyword = new TextEncoder().encode(PNG_KEYWORD);
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(keyword.length + 5 + body.length);
  data.set(keyword, 0);
  // The five bytes after the keyword stay 0: NUL, compression flag, compression method, and the two empty strings' NULs.
  data.set(body, keyword.length + 5);
  return data;
}

/**
 * A copy of the PNG with `text` in one uncompressed iTXt chunk inserted before the first IDAT (after IHDR and the
 * other ancillary chunks, where readers that stop at image data still see it). All other chunks are copied byte for
 * byte. An existing credential chunk is an error unless `replace` is set, in which case every one is removed.
 */
export function bakePng(bytes: Uint8Array, text: string, replace: boolean): Uint8Array {
  const chunks = readPngChunks(bytes);
  // Every payload of any chunk kind: baking beside a tEXt copy would leave a badge that reads two ways.
  const existing = chunks.filter(isPayloadChunk);
  if (existing.length > 0 && !replace)
    throw invalidImage('The PNG already carries a baked credential; pass { replace: true } to overwrite it');
  const firstIdat = chunks.findIndex((c) => c.type === 'IDAT');
  if (firstIdat < 0) throw invalidImage('Corrupt PNG: there is no IDAT (image data) chunk');
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  chunks.forEach((chunk, i) => {
    if (i === firstIdat) parts.push(encodePngChunk('iTXt', credentialChunkData(text)));
    if (!existing.includes(chunk)) parts.push(bytes.subarray(chunk.start, chunk.end));
  });
  return concatBytes(parts);
}
