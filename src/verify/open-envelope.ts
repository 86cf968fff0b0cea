/**
 * What is inside an enveloped credential or presentation (./envelope.ts). A module of its own, loaded on demand by
 * `verify`: a page that verifies embedded-proof credentials never downloads it.
 */

const VC2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Media types of a JOSE-secured credential / presentation: the Recommendation's, and the names its drafts (and the W3C suite) used. */
const JWT_MEDIA_TYPES = {
  vc: new Set(['application/vc+jwt', 'application/vc-ld+jwt']),
  vp: new Set(['application/vp+jwt', 'application/vp-ld+jwt']),
};
/** A compact JWS of a credential is a few kilobytes; a data: URL of megabytes is not one. */
const MAX_ENVELOPE_LENGTH = 1_000_000;

/** The compact JWS inside an enveloped credential (`kind` 'vp': presentation), or why there is none (plain words, for a report). */
export function openEnvelope(
  envelope: Record<string, unknown>,
  kind: 'vc' | 'vp' = 'vc',
): { jwt: string } | { error: string } {
  const id = envelope.id;
  const what = kind === 'vc' ? 'credential' : 'presentation';
  // VC DM 2.0 §4.13: the envelope MUST carry an @context, the VC 2.0 base context first (as every VC 2.0 document).
  const context = envelope['@context'];
  const first = Array.isArray(context) ? context[0] : context;
  if (first !== VC2_CONTEXT) {
    return {
      error: `An enveloped ${what} must carry an @context whose first entry is ${VC2_CONTEXT} (VC Data Model 2.0 §4.13); this one has ${context === undefined ? 'none' : Array.isArray(context) && context.length === 0 ? 'an empty one' : `${JSON.stringify(first)} first`}`,
    };
  }
  if (typeof id !== 'string')
    return {
      error: `An Enveloped${kind === 'vc' ? 'VerifiableCredential' : 'VerifiablePresentation'} needs an id that is a data: URL`,
    };
  if (id.length > MAX_ENVELOPE_LENGTH)
    return {
      error: `The enveloped ${what} is ${id.length} characters long; at most ${MAX_ENVELOPE_LENGTH} are accepted`,
    };
  const m = /^data:([^,;]+)((?:;[^,;]*)*),(.*)$/s.exec(id);
  if (!m) return { error: `The enveloped ${what}'s id is not a data: URL` };
  const mediaType = m[1]!.trim().toLowerCase();
  if (!JWT_MEDIA_TYPES[kind].has(mediaType))
    return { error: `Enveloped ${what}s of media type ${mediaType} are not supported (application/${kind}+jwt is)` };
  // RFC 2397 allows ";base64"; a JWS is already base64url text, so only a plain body (what VC-JOSE-COSE shows) or a
  // body that is itself a compact JWS is read.
  if (m[2]!.split(';').includes('base64'))
    return { error: 'A base64-encoded data: URL is not a vc+jwt envelope (the compact JWS goes in as it is)' };
  let body: string;
  try {
    body = decodeURIComponent(m[3]!);
  } catch {
    return { error: 'The data: URL is not correctly percent-encoded' };
  }
  if (!COMPACT_JWS.test(body)) return { error: 'The data: URL does not hold a compact JWS' };
  return { jwt: body };
}
