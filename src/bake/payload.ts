import { MicrocredError } from '../errors';
import { invalidImage } from './errors';

/** What a badge image carries: an embedded-proof credential as JSON, or a VC-JWT. `text` is the baked text, trimmed. */
export type BakedPayload =
  | { format: 'json'; credential: Record<string, unknown>; text: string }
  | { format: 'jwt'; jwt: string; text: string };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Interprets baked text the way 1EdTech's validator does: text starting with `{` is JSON, anything else must be a
 * compact JWS. Bad JSON or text that is neither is INVALID_IMAGE naming where it came from.
 */
export function interpretBakedText(raw: string, where: string): BakedPayload {
  const text = raw.trim();
  if (text === '') throw invalidImage(`The ${where} is empty`);
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw invalidImage(`The ${where} is not valid JSON: ${(e as Error).message}`, e);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw invalidImage(`The ${where} is not a JSON object`);
    return { format: 'json', credential: parsed as Record<string, unknown>, text };
  }
  if (COMPACT_JWS.test(text)) return { format: 'jwt', jwt: text, text };
  throw invalidImage(
    `The ${where} is neither a JSON credential nor a compact JWS (it starts with ${JSON.stringify(text.slice(0, 20))})`,
  );
}

/** The text to bake: a compact JWS as given (trimmed), or the credential object as compact JSON. */
export function serialiseCredential(credential: unknown): { format: 'jwt' | 'json'; text: string } {
  if (typeof credential === 'string') {
    const text = credential.trim();
    if (COMPACT_JWS.test(text)) return { format: 'jwt', text };
    const hint = text.startsWith('{') ? '; pass a JSON credential as an object, not as text' : '';
    throw new MicrocredError('INVALID_INPUT', `A string credential must be a compact JWS (VC-JWT)${hint}`, {
      path: '$',
    });
  }
  if (
    typeof credential !== 'object' ||
    credential === null ||
    Object.prototype.toString.call(credential) !== '[object Object]'
  ) {
    throw new MicrocredError('INVALID_INPUT', 'The credential to bake must be a JSON object or a compact JWS string', {
      path: '$',
    });
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(credential);
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `The credential cannot be serialised as JSON: ${(e as Error).message}`, {
      path: '$',
      cause: e,
    });
  }
  if (typeof text !== 'string' || !text.startsWith('{')) {
    throw new MicrocredError('INVALID_INPUT', 'The credential does not serialise to a JSON object', { path: '$' });
  }
  // U+FFFE and U+FFFF are legal in JSON strings but not in XML; escaping them keeps the same JSON value bakeable in SVG.
  return { format: 'json', text: text.replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`) };
}
