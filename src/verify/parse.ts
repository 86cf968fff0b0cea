import { MicrocredError } from '../errors';
import { findDuplicateKey, nameRefusal, refusedName } from './duplicate-keys';
import type { CredentialFormat, InputSource } from './report';
import { decodeBase64url } from '../shared/base64url';
import { readOnce } from '../shared/read-once';

/** A credential as read from what the caller gave, before anything is checked. */
export interface ParsedInput {
  /** Where the credential came from: an object, JSON text, a JWT, or a baked PNG/SVG. */
  source: InputSource;
  /** The securing format: `json-ld` (embedded proofs) or `vc-jwt`. */
  format: CredentialFormat;
  /** The credential object (for a VC-JWT, its payload's credential). */
  credential: Record<string, unknown>;
  /** The compact JWS, for VC-JWT input. */
  jwt?: string;
  /** For VC 1.1 JWTs: the credential sat in a `vc` claim. */
  jwtClaims?: Record<string, unknown>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** What `verify` accepts: a credential object, its JSON text, a compact JWS, or a baked PNG/SVG badge. */
export type VerifiableInput = object | string | Uint8Array;

/**
 * Turns the caller's input into a credential object. Baked images are unbaked by `unbakeImage`, passed in so this
 * module does not depend on the image code. Throws MicrocredError (the verifier turns it into a failed `parse` check).
 */
export async function parseInput(
  input: unknown,
  unbakeImage?: (image: Uint8Array | string) => Promise<{ source: 'png' | 'svg'; text: string }>,
): Promise<ParsedInput> {
  if (input instanceof Uint8Array) {
    if (!unbakeImage) throw new MicrocredError('INVALID_INPUT', 'Binary input is not supported here', { path: '$' });
    const { source, text } = await unbakeImage(input);
    return { ...(await parseText(text)), source };
  }
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (trimmed.startsWith('<') && unbakeImage) {
      const { source, text } = await unbakeImage(trimmed);
      return { ...(await parseText(text)), source };
    }
    return parseText(trimmed);
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return { source: 'object', format: 'json-ld', credential: readOnce(input) };
  }
  throw new MicrocredError(
    'INVALID_INPUT',
    'Expected a credential object, JSON text, a compact JWS or a baked PNG/SVG',
    { path: '$' },
  );
}

async function parseText(text: string): Promise<ParsedInput> {
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new MicrocredError('INVALID_INPUT', `Not valid JSON: ${(e as Error).message}`, { path: '$', cause: e });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new MicrocredError('INVALID_INPUT', 'The JSON is not a credential object', { path: '$' });
    }
    refuseNames(text, 'The credential', parsed);
    return { source: 'json', format: 'json-ld', credential: parsed as Record<string, unknown> };
  }
  if (COMPACT_JWS.test(text)) return parseJwt(text);
  throw new MicrocredError('INVALID_INPUT', 'Input is neither JSON nor a compact JWS', { path: '$' });
}

/** Reads (without verifying) the credential inside a VC-JWT: the VC 2.0 flat payload, or a VC 1.1 `vc` claim. */
export function parseJwt(jwt: string): ParsedInput {
  const [headerPart, payloadPart] = jwt.split('.');
  let payload: unknown;
  let payloadText: string;
  try {
    payloadText = new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(payloadPart ?? ''));
    payload = JSON.parse(payloadText);
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', 'The JWT payload is not base64url-encoded JSON', { path: '$', cause: e });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new MicrocredError('INVALID_INPUT', 'The JWT payload is not a JSON object', { path: '$' });
  }
  refuseNames(payloadText, 'The JWT payload', payload);
  // The header decides the algorithm and key: two `alg` or `kid` members must not leave the choice to the reader.
  try {
    const headerText = new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(headerPart ?? ''));
    const duplicate = findDuplicateKey(headerText, JSON.parse(headerText));
    if (duplicate !== undefined) throw nameRefusal('The JWT header', { kind: 'duplicate', path: duplicate });
  } catch (e) {
    if ((e as MicrocredError).code === 'DUPLICATE_KEY') throw e;
    // An unreadable header is the proof step's to report.
  }
  const claims = payload as Record<string, unknown>;
  const vc = claims.vc;
  if (typeof vc === 'object' && vc !== null && !Array.isArray(vc)) {
    return { source: 'jwt', format: 'vc-jwt', credential: vc as Record<string, unknown>, jwt, jwtClaims: claims };
  }
  const { iss: _iss, jti: _jti, nbf: _nbf, sub: _sub, exp: _exp, iat: _iat, aud: _aud, ...credential } = claims;
  return { source: 'jwt', format: 'vc-jwt', credential, jwt, jwtClaims: claims };
}

/**
 * JSON text with a member name twice in one object is refused: JSON.parse keeps the last, other readers the first,
 * so the text would not say one thing. Then a member named `__proto__` is (../shared/proto-key.ts); both are found on
 * one walk of `parsed`, what JSON.parse made of `text` (the scan assumes valid JSON).
 */
function refuseNames(text: string, what: string, parsed: unknown): void {
  const refused = refusedName(text, parsed);
  if (refused === undefined) return;
  throw nameRefusal(what, refused);
}

function base64urlToBytes(text: string): Uint8Array {
  const bytes = decodeBase64url(text);
  if (!bytes) throw new MicrocredError('INVALID_INPUT', 'not base64url');
  return bytes;
}
