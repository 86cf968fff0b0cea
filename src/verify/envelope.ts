/**
 * Enveloped credentials (VC DM 2.0 §4.13, VC-JOSE-COSE): `{ type: "EnvelopedVerifiableCredential", id:
 * "data:application/vc+jwt,<compact JWS>" }`. The envelope itself is not signed; the JWS inside is the credential.
 */

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Media types of a JOSE-secured credential: the Recommendation's, and the name its drafts (and the W3C suite) used. */
const JWT_MEDIA_TYPES = new Set(['application/vc+jwt', 'application/vc-ld+jwt']);
/** A compact JWS of a credential is a few kilobytes; a data: URL of megabytes is not one. */
const MAX_ENVELOPE_LENGTH = 1_000_000;

export function isEnvelopedCredential(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'EnvelopedVerifiableCredential' || (Array.isArray(type) && type.includes('EnvelopedVerifiableCredential'));
}

/** The compact JWS inside an enveloped credential, or why there is none (plain words, for a report). */
export function openEnvelope(envelope: Record<string, unknown>): { jwt: string } | { error: string } {
  const id = envelope.id;
  if (typeof id !== 'string') return { error: 'An EnvelopedVerifiableCredential needs an id that is a data: URL' };
  if (id.length > MAX_ENVELOPE_LENGTH) return { error: `The enveloped credential is ${id.length} characters long; at most ${MAX_ENVELOPE_LENGTH} are accepted` };
  const m = /^data:([^,;]+)((?:;[^,;]*)*),(.*)$/s.exec(id);
  if (!m) return { error: 'The enveloped credential\'s id is not a data: URL' };
  const mediaType = m[1]!.trim().toLowerCase();
  if (!JWT_MEDIA_TYPES.has(mediaType)) return { error: `Enveloped credentials of media type ${mediaType} are not supported (application/vc+jwt is)` };
  // RFC 2397 allows ";base64"; a JWS is already base64url text, so only a plain body (what VC-JOSE-COSE shows) or a
  // body that is itself a compact JWS is read.
  if (m[2]!.split(';').includes('base64')) return { error: 'A base64-encoded data: URL is not a vc+jwt envelope (the compact JWS goes in as it is)' };
  let body: string;
  try {
    body = decodeURIComponent(m[3]!);
  } catch {
    return { error: 'The data: URL is not correctly percent-encoded' };
  }
  if (!COMPACT_JWS.test(body)) return { error: 'The data: URL does not hold a compact JWS' };
  return { jwt: body };
}
