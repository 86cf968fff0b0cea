import { MicrocredError } from '../../errors';
import { decodeBase64url, toBase64url } from '../../shared/base64url';
import { isRecord } from '../../shared/json';
import { refusedName } from '../../verify/duplicate-keys';
import { COMPACT_JWS, looksLikeSdJwt } from './shape';
import { SD_ALG, sdHasher } from './sign';

/** Most disclosures one SD-JWT may carry: far above any micro-credential (about 30), far below a DoS. */
export const MAX_DISCLOSURES = 256;
/** Longest SD-JWT (issuer JWT, disclosures and KB-JWT together) accepted, in characters. */
export const MAX_SD_JWT_CHARS = 1024 * 1024;
/**
 * Top-level claims an SD-JWT VC must not disclose selectively (draft-ietf-oauth-sd-jwt-vc §3.2.2): the verifier reads
 * them from the signed payload, so a disclosure naming one would make the claims say something the issuer did not.
 */
const NEVER_DISCLOSED = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', '_sd_alg']);
/** Deepest nesting of objects and arrays walked in the payload and in disclosed values. */
const MAX_DEPTH = 32;

/** The parts of a compact SD-JWT: `<issuer JWT>~<disclosure>~…~[<KB-JWT>]`. */
export interface SdJwtParts {
  issuerJwt: string;
  disclosures: string[];
  /** The Key Binding JWT, when the SD-JWT is a presentation with one. */
  kbJwt?: string;
  /** Everything up to and including the last `~`: what a KB-JWT's `sd_hash` is the hash of. */
  withoutKb: string;
}

const JWS = COMPACT_JWS;

export { looksLikeSdJwt };

/** Splits a compact SD-JWT into its parts (RFC 9901 §4). Throws INVALID_INPUT when it has not that shape. */
export function splitSdJwt(text: string): SdJwtParts {
  const t = text.trim();
  if (t.length > MAX_SD_JWT_CHARS)
    throw new MicrocredError('INVALID_INPUT', `The SD-JWT is longer than ${MAX_SD_JWT_CHARS} characters`, {
      path: '$',
    });
  const parts = t.split('~');
  const issuerJwt = parts[0]!;
  if (!JWS.test(issuerJwt))
    throw new MicrocredError('INVALID_INPUT', 'An SD-JWT starts with a compact JWS', { path: '$' });
  const last = parts[parts.length - 1]!;
  const kbJwt = last === '' ? undefined : last;
  if (kbJwt !== undefined && !JWS.test(kbJwt))
    throw new MicrocredError('INVALID_INPUT', 'An SD-JWT ends with "~" or with a Key Binding JWT', { path: '$' });
  const disclosures = parts.slice(1, -1);
  if (disclosures.length > MAX_DISCLOSURES)
    throw new MicrocredError(
      'INVALID_INPUT',
      `The SD-JWT carries ${disclosures.length} disclosures; at most ${MAX_DISCLOSURES} are read`,
      { path: '$' },
    );
  if (disclosures.some((d) => d === ''))
    throw new MicrocredError('DISCLOSURE_MALFORMED', 'The SD-JWT has an empty disclosure ("~~")', { path: '$' });
  return {
    issuerJwt,
    disclosures,
    ...(kbJwt !== undefined ? { kbJwt } : {}),
    withoutKb: t.slice(0, t.length - last.length),
  };
}

/** base64url(SHA-256(ASCII(text))): a disclosure's digest, or a KB-JWT's `sd_hash`. */
export function sdDigest(text: string): string {
  return toBase64url(sdHasher(text, SD_ALG));
}

interface Disclosure {
  encoded: string;
  digest: string;
  salt: string;
  name?: string;
  value: unknown;
}

function decodeDisclosure(encoded: string, index: number): Disclosure {
  const path = `$.disclosures[${index}]`;
  const bytes = decodeBase64url(encoded);
  if (!bytes || toBase64url(bytes) !== encoded)
    throw new MicrocredError('DISCLOSURE_MALFORMED', `Disclosure ${index + 1} is not canonical base64url`, { path });
  let text: string;
  let parsed: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    throw new MicrocredError('DISCLOSURE_MALFORMED', `Disclosure ${index + 1} is not UTF-8 JSON`, { path });
  }
  // A member named `__proto__` in a disclosed value, like one in the payload, would become the unpacked object's
  // prototype: gone from the claims as JSON, yet read by every reader that asks for what it holds.
  const refused = refusedName(text, parsed);
  if (refused !== undefined)
    throw new MicrocredError(
      'DISCLOSURE_MALFORMED',
      `Disclosure ${index + 1} ${refused.kind === 'proto' ? 'has a member named "__proto__" at' : 'names twice'} ${refused.path}`,
      { path },
    );
  if (!Array.isArray(parsed) || (parsed.length !== 2 && parsed.length !== 3) || typeof parsed[0] !== 'string') {
    throw new MicrocredError(
      'DISCLOSURE_MALFORMED',
      `Disclosure ${index + 1} is not [salt, name, value] or [salt, value]`,
      { path },
    );
  }
  if (parsed.length === 3) {
    const name = parsed[1];
    if (typeof name !== 'string')
      throw new MicrocredError('DISCLOSURE_MALFORMED', `Disclosure ${index + 1}'s claim name is not a string`, {
        path,
      });
    // `__proto__` as a claim name would set the prototype of the object it is put back into (see above).
    if (name === '_sd' || name === '...' || name === '__proto__')
      throw new MicrocredError('DISCLOSURE_MALFORMED', `Disclosure ${index + 1} discloses the reserved name ${name}`, {
        path,
      });
    return { encoded, digest: sdDigest(encoded), salt: parsed[0], name, value: parsed[2] };
  }
  return { encoded, digest: sdDigest(encoded), salt: parsed[0], value: parsed[1] };
}

/** What `unpackSdJwt` found: the claims with the disclosures put back, and which were disclosed or withheld. */
export interface UnpackedClaims {
  /** The payload with every disclosed claim in place, `_sd`, `_sd_alg` and undisclosed array elements removed. */
  claims: Record<string, unknown>;
  /** JSON paths of the disclosed claims and array elements, in payload order (e.g. `$.grade`, `$.learner.identifiers[0]`). */
  disclosed: string[];
  /** Digests in the signed payload that no disclosure opened: withheld claims and decoys, which look the same. */
  undisclosedDigests: number;
}

/**
 * Puts an SD-JWT's disclosures back into its signed payload (RFC 9901 §7.1), refusing what the RFC refuses and what
 * would let one SD-JWT be read two ways: an `_sd_alg` other than sha-256 (SD_ALG_UNSUPPORTED); a disclosure that is
 * not canonical base64url JSON of the right shape, names a reserved claim or a claim already present
 * (DISCLOSURE_MALFORMED); the same disclosure twice, or a digest the payload names twice (DISCLOSURE_REPEATED); a
 * disclosure whose digest the payload does not contain, as an altered disclosure does (DISCLOSURE_UNREFERENCED).
 */
export function unpackSdJwt(payload: Record<string, unknown>, encodedDisclosures: readonly string[]): UnpackedClaims {
  const alg = payload._sd_alg;
  if (alg !== undefined && alg !== SD_ALG)
    throw new MicrocredError('SD_ALG_UNSUPPORTED', `_sd_alg ${JSON.stringify(alg)} is not supported (sha-256 only)`, {
      path: '$._sd_alg',
    });
  const byDigest = new Map<string, Disclosure>();
  encodedDisclosures.forEach((encoded, i) => {
    const d = decodeDisclosure(encoded, i);
    if (byDigest.has(d.digest))
      throw new MicrocredError('DISCLOSURE_REPEATED', `Disclosure ${i + 1} is given twice`, {
        path: `$.disclosures[${i}]`,
      });
    byDigest.set(d.digest, d);
  });
  const seen = new Set<string>();
  const used = new Set<string>();
  const disclosed: string[] = [];
  let undisclosed = 0;
  const reference = (digest: unknown, path: string): Disclosure | undefined => {
    if (typeof digest !== 'string')
      throw new MicrocredError('DISCLOSURE_MALFORMED', `A digest at ${path} is not a string`, { path });
    if (seen.has(digest))
      throw new MicrocredError('DISCLOSURE_REPEATED', `The digest ${digest} appears twice in the SD-JWT`, { path });
    seen.add(digest);
    const d = byDigest.get(digest);
    if (d) used.add(digest);
    else undisclosed++;
    return d;
  };
  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH)
      throw new MicrocredError('INVALID_INPUT', `The SD-JWT nests deeper than ${MAX_DEPTH} levels`, { path });
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [i, item] of value.entries()) {
        if (isRecord(item) && '...' in item) {
          if (Object.keys(item).length !== 1)
            throw new MicrocredError(
              'DISCLOSURE_MALFORMED',
              `An array element digest at ${path}[${i}] has other members beside "..."`,
              { path: `${path}[${i}]` },
            );
          const d = reference(item['...'], `${path}[${i}]`);
          if (!d) continue;
          if (d.name !== undefined)
            throw new MicrocredError(
              'DISCLOSURE_MALFORMED',
              `The disclosure for the array element ${path}[${i}] is an object property's`,
              { path: `${path}[${i}]` },
            );
          const at = `${path}[${out.length}]`;
          disclosed.push(at);
          out.push(walk(d.value, at, depth + 1));
        } else out.push(walk(item, `${path}[${out.length}]`, depth + 1));
      }
      return out;
    }
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    // Digests first, so that a digest named twice is reported as repeated wherever the second one sits.
    const sd = value._sd;
    if (sd !== undefined) {
      if (!Array.isArray(sd))
        throw new MicrocredError('DISCLOSURE_MALFORMED', `_sd at ${path} is not an array`, { path: `${path}._sd` });
      const opened: Disclosure[] = [];
      for (const digest of sd) {
        const d = reference(digest, `${path}._sd`);
        if (d) opened.push(d);
      }
      for (const d of opened) {
        if (d.name === undefined)
          throw new MicrocredError(
            'DISCLOSURE_MALFORMED',
            `The disclosure for a property of ${path} is an array element's`,
            { path },
          );
        if (depth === 0 && NEVER_DISCLOSED.has(d.name))
          throw new MicrocredError(
            'DISCLOSURE_MALFORMED',
            `${d.name} must not be selectively disclosed: a verifier reads it from the signed payload`,
            { path: `$.${d.name}` },
          );
        if (Object.hasOwn(value, d.name) || Object.hasOwn(out, d.name))
          throw new MicrocredError(
            'DISCLOSURE_MALFORMED',
            `The disclosure of ${path}.${d.name} names a claim that is already there`,
            { path: `${path}.${d.name}` },
          );
        const at = `${path}.${d.name}`;
        disclosed.push(at);
        out[d.name] = walk(d.value, at, depth + 1);
      }
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd' || (k === '_sd_alg' && depth === 0)) continue;
      if (k === '...')
        throw new MicrocredError('DISCLOSURE_MALFORMED', `"..." is only allowed in array elements (at ${path})`, {
          path,
        });
      out[k] = walk(v, `${path}.${k}`, depth + 1);
    }
    return out;
  };
  const claims = walk(payload, '$', 0) as Record<string, unknown>;
  const unused = [...byDigest.values()].filter((d) => !used.has(d.digest));
  if (unused.length) {
    const index = encodedDisclosures.indexOf(unused[0]!.encoded);
    throw new MicrocredError(
      'DISCLOSURE_UNREFERENCED',
      `Disclosure ${index + 1}${unused[0]!.name ? ` (${unused[0]!.name})` : ''} is not one the issuer signed: its digest is not in the SD-JWT (altered, or taken from another credential)`,
      { path: `$.disclosures[${index}]` },
    );
  }
  return { claims, disclosed, undisclosedDigests: undisclosed };
}
