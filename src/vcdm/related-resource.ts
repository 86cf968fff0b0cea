import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import { MicrocredError, type Problem } from '../errors';
import { base58Decode } from '../platform/base58';
import { equalBytes } from '../shared/bytes';
import { MAX_FETCHED_RELATED_RESOURCES } from './related-resource-limits';

/**
 * `relatedResource` (VC Data Model 2.0 §5.3 "Integrity of Related Resources"): a list of objects, each with an `id`
 * (a URL, unique within the list) and at least one digest of the resource's bytes — `digestSRI` (a Subresource
 * Integrity string, `sha384-<base64>`) and/or `digestMultibase` (a multibase-encoded multihash, Data Integrity §2.6).
 */

type Hash = (data: Uint8Array) => Uint8Array;

/** SRI algorithms (W3C SRI §3.2 names sha256/384/512) with their digest lengths. */
const SRI: Record<string, { hash: Hash; length: number }> = {
  sha256: { hash: sha256, length: 32 },
  sha384: { hash: sha384, length: 48 },
  sha512: { hash: sha512, length: 64 },
};

/** Multihash codes (multicodec table) Data Integrity names for digestMultibase: SHA-2 and SHA-3. */
const MULTIHASH: Record<number, { name: string; hash: Hash; length: number }> = {
  0x12: { name: 'sha2-256', hash: sha256, length: 32 },
  0x20: { name: 'sha2-384', hash: sha384, length: 48 },
  0x13: { name: 'sha2-512', hash: sha512, length: 64 },
  0x16: { name: 'sha3-256', hash: sha3_256, length: 32 },
  0x15: { name: 'sha3-384', hash: sha3_384, length: 48 },
  0x14: { name: 'sha3-512', hash: sha3_512, length: 64 },
};

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
/** More than this many related resources is not a credential but a workload. */
export const MAX_RELATED_RESOURCES = 64;
export { MAX_FETCHED_RELATED_RESOURCES };

interface ParsedDigest {
  hash: Hash;
  expected: Uint8Array;
  label: string;
}

/** Parses `digestSRI`: one or more whitespace-separated `alg-base64` tokens (SRI allows several; all must be well formed). */
function parseSri(value: unknown): ParsedDigest[] | string {
  if (typeof value !== 'string' || value.trim() === '')
    return 'digestSRI must be a Subresource Integrity string such as "sha384-…"';
  const out: ParsedDigest[] = [];
  for (const token of value.trim().split(/\s+/)) {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (!m) return `digestSRI ${JSON.stringify(token)} is not "sha256-", "sha384-" or "sha512-" followed by base64`;
    const alg = SRI[m[1]!]!;
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(m[2]!), (c) => c.charCodeAt(0));
    } catch {
      return `digestSRI ${JSON.stringify(token)} is not valid base64`;
    }
    if (bytes.length !== alg.length) return `digestSRI ${m[1]} needs ${alg.length} bytes, got ${bytes.length}`;
    out.push({ hash: alg.hash, expected: bytes, label: m[1]! });
  }
  return out;
}

/** Parses `digestMultibase`: `u` (base64url, no padding) or `z` (base58btc) + multihash (code, length, digest). */
function parseMultibase(value: unknown): ParsedDigest | string {
  if (typeof value !== 'string' || value.length < 2) return 'digestMultibase must be a multibase string ("u…" or "z…")';
  let bytes: Uint8Array | undefined;
  if (value[0] === 'u' && /^[A-Za-z0-9_-]+$/.test(value.slice(1))) {
    try {
      const b64 = value.slice(1).replace(/-/g, '+').replace(/_/g, '/');
      bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    } catch {
      bytes = undefined;
    }
  } else if (value[0] === 'z' && value.length <= 120) bytes = base58Decode(value.slice(1));
  if (!bytes)
    return `digestMultibase ${JSON.stringify(value.slice(0, 40))} is not base64url ("u") or base58btc ("z") multibase`;
  const alg = MULTIHASH[bytes[0]!];
  if (!alg) return `digestMultibase uses multihash code 0x${bytes[0]!.toString(16)}; expected SHA-2 or SHA-3`;
  if (bytes[1] !== alg.length || bytes.length !== alg.length + 2)
    return `digestMultibase is not a ${alg.name} multihash (${alg.length} bytes)`;
  return { hash: alg.hash, expected: bytes.slice(2), label: alg.name };
}

function entriesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * The structural rules an issuer and a verifier both enforce. Returns every problem found; nothing when the
 * credential has no `relatedResource`.
 */
export function checkRelatedResource(credential: Record<string, unknown>): Problem[] {
  if (!('relatedResource' in credential)) return [];
  const value = credential.relatedResource;
  const problems: Problem[] = [];
  const bad = (path: string, message: string, code: Problem['code'] = 'INVALID_ELEMENT') =>
    problems.push({ code, path, message });
  const list = entriesOf(value);
  if (list.length === 0) bad('$.relatedResource', 'relatedResource must list at least one resource');
  if (list.length > MAX_RELATED_RESOURCES) {
    bad(
      '$.relatedResource',
      `relatedResource lists ${list.length} resources; at most ${MAX_RELATED_RESOURCES} are accepted`,
    );
    return problems;
  }
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const p = Array.isArray(value) ? `$.relatedResource[${i}]` : '$.relatedResource';
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      bad(p, 'each related resource must be an object with an id and a digest');
      return;
    }
    const o = item as Record<string, unknown>;
    if (o.id === undefined) bad(`${p}.id`, 'a related resource needs an id', 'MISSING_ELEMENT');
    else if (typeof o.id !== 'string' || !URL_LIKE.test(o.id))
      bad(`${p}.id`, `the related resource id must be a URL, got ${JSON.stringify(o.id)}`);
    else if (seen.has(o.id)) bad(`${p}.id`, `the related resource ${o.id} is listed twice`);
    else seen.add(o.id);
    if (o.digestSRI === undefined && o.digestMultibase === undefined)
      bad(p, 'a related resource needs digestSRI or digestMultibase', 'MISSING_ELEMENT');
    if (o.digestSRI !== undefined) {
      const parsed = parseSri(o.digestSRI);
      if (typeof parsed === 'string') bad(`${p}.digestSRI`, parsed);
    }
    if (o.digestMultibase !== undefined) {
      const parsed = parseMultibase(o.digestMultibase);
      if (typeof parsed === 'string') bad(`${p}.digestMultibase`, parsed);
    }
    if (o.mediaType !== undefined && typeof o.mediaType !== 'string')
      bad(`${p}.mediaType`, 'mediaType must be a string');
  });
  return problems;
}

/** One related resource's digest comparison. */
export interface RelatedResourceResult {
  id: string;
  path: string;
  status: 'match' | 'mismatch' | 'error';
  message: string;
}

/**
 * Fetches each related resource with the caller's `fetchResource` and compares its bytes with every digest given.
 * Call only after `checkRelatedResource` found nothing. Never throws: a fetch that fails is an `error` result.
 */
export async function compareRelatedResourceDigests(
  credential: Record<string, unknown>,
  fetchResource: (url: string) => Promise<Uint8Array>,
  maxFetched = MAX_FETCHED_RELATED_RESOURCES,
): Promise<RelatedResourceResult[]> {
  const value = credential.relatedResource;
  const results: RelatedResourceResult[] = [];
  for (const [i, item] of entriesOf(value).entries()) {
    const o = item as Record<string, unknown>;
    const id = o.id as string;
    const path = Array.isArray(value) ? `$.relatedResource[${i}]` : '$.relatedResource';
    if (i >= maxFetched) {
      // Each one is a fetch of a URL the credential chose: a verifier fetches a bounded number.
      results.push({
        id,
        path,
        status: 'error',
        message: `${id} not fetched: a verification fetches at most ${maxFetched} related resources per credential`,
      });
      continue;
    }
    let bytes: Uint8Array;
    try {
      const fetched = await Promise.resolve().then(() => fetchResource(id));
      if (!(fetched instanceof Uint8Array))
        throw new MicrocredError('INVALID_INPUT', 'fetchResource must return the resource bytes (Uint8Array)');
      bytes = fetched;
    } catch (e) {
      results.push({
        id,
        path,
        status: 'error',
        message: `Could not fetch ${id}: ${(e as Error)?.message ?? String(e)}`,
      });
      continue;
    }
    const digests: ParsedDigest[] = [];
    if (o.digestSRI !== undefined) digests.push(...(parseSri(o.digestSRI) as ParsedDigest[]));
    if (o.digestMultibase !== undefined) digests.push(parseMultibase(o.digestMultibase) as ParsedDigest);
    const wrong = digests.filter((d) => !equalBytes(d.hash(bytes), d.expected)).map((d) => d.label);
    results.push(
      wrong.length
        ? {
            id,
            path,
            status: 'mismatch',
            message: `${id} has changed since it was signed (${wrong.join(', ')} digest does not match)`,
          }
        : {
            id,
            path,
            status: 'match',
            message: `${id} matches its ${digests.map((d) => d.label).join(' and ')} digest`,
          },
    );
  }
  return results;
}
