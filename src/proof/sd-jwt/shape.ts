/** A compact JWS: three base64url parts. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Whether a string has the shape of a compact SD-JWT (a JWS followed by `~`), without reading it. A module of its own
 * so that `verify` can tell an SD-JWT apart without loading the SD-JWT code, which it loads on demand.
 */
export function looksLikeSdJwt(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const t = text.trim();
  const tilde = t.indexOf('~');
  return tilde > 0 && COMPACT_JWS.test(t.slice(0, tilde));
}
