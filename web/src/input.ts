/**
 * What a dropped, picked, pasted or linked file is, decided from its bytes before the library is loaded: a baked
 * image, a presentation (checked on its own), or a credential (JSON, a JWT, an enveloped credential). The library
 * decides everything else; this only picks which of its verifiers to call and whether the file can show as an image.
 */
export interface LoadedFile {
  name: string;
  bytes: Uint8Array;
}

export type FileKind = 'png' | 'svg' | 'presentation' | 'credential';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const ENVELOPED_JWT = 'data:application/vc+jwt,';

/**
 * The file as the library's verify() takes it: bytes for a PNG, text for everything else. An enveloped credential
 * (VC DM 2.0 `EnvelopedVerifiableCredential` holding a `data:application/vc+jwt,` URL) is handed over as the JWT it
 * envelops: verify() takes enveloped credentials only inside presentations, and the envelope itself is unsigned, so
 * the JWT is all there is to check.
 */
export function asVerifiable(file: LoadedFile): string | Uint8Array {
  if (isPng(file.bytes)) return file.bytes;
  const text = new TextDecoder().decode(file.bytes);
  return envelopedJwt(text) ?? text;
}

function envelopedJwt(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!hasType(value, ['EnvelopedVerifiableCredential'])) return undefined;
    const id = (value as Record<string, unknown>).id;
    return typeof id === 'string' && id.startsWith(ENVELOPED_JWT) ? id.slice(ENVELOPED_JWT.length) : undefined;
  } catch {
    return undefined;
  }
}

export function kindOf(file: LoadedFile): FileKind {
  if (isPng(file.bytes)) return 'png';
  const text = new TextDecoder().decode(file.bytes).trim();
  if (text.startsWith('<')) return 'svg';
  return namesPresentation(text) ? 'presentation' : 'credential';
}

function hasType(value: unknown, wanted: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as Record<string, unknown>).type;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && wanted.includes(t));
}

const PRESENTATION_TYPES = ['VerifiablePresentation', 'EnvelopedVerifiablePresentation'];

/** A JSON presentation, or a JWT whose payload carries one (a `vp` claim or a presentation type). */
function namesPresentation(text: string): boolean {
  if (COMPACT_JWS.test(text)) {
    try {
      const payload = JSON.parse(new TextDecoder().decode(base64UrlBytes(text.split('.')[1]!))) as unknown;
      return typeof payload === 'object' && payload !== null && ('vp' in payload || hasType(payload, PRESENTATION_TYPES));
    } catch {
      return false; // not readable here: verify() says why
    }
  }
  try {
    return hasType(JSON.parse(text), PRESENTATION_TYPES);
  } catch {
    return false;
  }
}

function base64UrlBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The media type an image file is shown with (an <img> never runs an SVG's scripts). */
export function imageType(kind: FileKind): string | undefined {
  return kind === 'png' ? 'image/png' : kind === 'svg' ? 'image/svg+xml' : undefined;
}
