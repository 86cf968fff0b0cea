import { MicrocredError } from '../../errors';
import type { JwtKey } from '../../keys/jwt-keys';
import { MAX_DECOMPRESSED_BYTES, pipeThrough } from '../../status/bitstring';
import { decodeBase64url, toBase64url } from '../../shared/base64url';
import { isRecord } from '../../shared/json';
import { signJwtPayload } from '../jwt';

/**
 * Where the IETF Token Status List of a Bitstring Status List credential is served: its URL with `.jwt` appended.
 * Both lists come from the same allocations, so a credential's `statusListIndex` is its `idx` in the token list.
 */
export function tokenStatusListUri(statusListCredential: string): string {
  return `${statusListCredential}.jwt`;
}

/** Options of `signTokenStatusList`: who signs, the list's URL (`sub`), its issuer and its lifetime. */
export interface TokenStatusListOptions {
  key: JwtKey;
  /** The URL the token is served at; it is the token's `sub`, and must be the `uri` credentials name. */
  uri: string;
  /** The issuer of the credentials that point to it (`iss`). */
  issuer: string;
  /** Issued-at (`iat`); default now. */
  issuedAt?: Date;
  /** Seconds until the token expires (`exp`); default 1 day, so a stale copy is not trusted for long. */
  validForSeconds?: number;
  /** Seconds a verifier may cache it (`ttl`); default 1 hour. */
  ttlSeconds?: number;
  jwtHeader?: 'kid' | 'jwk';
  /**
   * What a set entry of the list means (default `revocation`). A revocation list is one bit per status, set =
   * INVALID (1); a suspension list two bits, set = SUSPENDED (2), which a verifier reads as reversible (draft §7.1).
   */
  statusPurpose?: 'revocation' | 'suspension';
}

/**
 * The token list of a Bitstring Status List. Entry i is the same entry in both; the order within a byte is not (a
 * bitstring counts from the most significant bit, a token list from the least). A set entry becomes `statusValue`:
 * 1 (INVALID) in a 1-bit list, or 2 (SUSPENDED) in a 2-bit list, so a suspension is not read as final.
 */
export function tokenListBytesFromBitstring(bitstring: Uint8Array, statusValue: 1 | 2 = 1): Uint8Array {
  if (statusValue === 1) {
    const out = new Uint8Array(bitstring.length);
    for (let i = 0; i < bitstring.length; i++) {
      let b = bitstring[i]!;
      let r = 0;
      for (let k = 0; k < 8; k++, b >>= 1) r = (r << 1) | (b & 1);
      out[i] = r;
    }
    return out;
  }
  const out = new Uint8Array(bitstring.length * 2);
  for (let i = 0; i < bitstring.length; i++) {
    const b = bitstring[i]!;
    if (b === 0) continue;
    for (let k = 0; k < 8; k++) {
      if (!((b >> (7 - k)) & 1)) continue;
      // Entry 8i+k occupies bits 2(8i+k) and 2(8i+k)+1 counted from the least significant; SUSPENDED sets the higher.
      const bit = 2 * (8 * i + k) + 1;
      out[bit >> 3]! |= 1 << (bit & 7);
    }
  }
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream('deflate'), MAX_DECOMPRESSED_BYTES);
}

/**
 * Signs an IETF Token Status List (`typ: statuslist+jwt`) from a Bitstring Status List's bytes, the same allocations
 * the workspace publishes as a BitstringStatusListCredential: a revocation list as 1 bit per status (1 = INVALID), a
 * suspension list as 2 bits (2 = SUSPENDED). Compressed with DEFLATE in the zlib format as the draft requires.
 */
export async function signTokenStatusList(bitstring: Uint8Array, options: TokenStatusListOptions): Promise<string> {
  if (!(bitstring instanceof Uint8Array) || bitstring.length === 0)
    throw new MicrocredError('STATUS_ERROR', "A token status list needs the list's bytes");
  if (typeof options?.uri !== 'string' || typeof options.issuer !== 'string')
    throw new MicrocredError('INVALID_INPUT', 'signTokenStatusList needs { key, uri, issuer }');
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const purpose = options.statusPurpose ?? 'revocation';
  if (purpose !== 'revocation' && purpose !== 'suspension')
    throw new MicrocredError('INVALID_INPUT', 'statusPurpose is revocation or suspension', { path: '$.statusPurpose' });
  const value = purpose === 'revocation' ? 1 : 2;
  const lst = toBase64url(await deflate(tokenListBytesFromBitstring(bitstring, value)));
  const payload = {
    iss: options.issuer,
    sub: options.uri,
    iat,
    exp: iat + (options.validForSeconds ?? 86400),
    ttl: options.ttlSeconds ?? 3600,
    status_list: { bits: value === 1 ? 1 : 2, lst },
  };
  return signJwtPayload(
    payload,
    { typ: 'statuslist+jwt' },
    { key: options.key, ...(options.jwtHeader ? { header: options.jwtHeader } : {}) },
  );
}

/**
 * The bytes and bits per status of a token list's `status_list` claim, inflated under a bound (a list never expands
 * beyond MAX_DECOMPRESSED_BYTES, detected while streaming). Throws STATUS_MALFORMED.
 */
export async function decodeTokenStatusList(statusList: unknown): Promise<{ bits: 1 | 2 | 4 | 8; bytes: Uint8Array }> {
  if (!isRecord(statusList)) throw new MicrocredError('STATUS_MALFORMED', 'The token has no status_list object');
  const bits = statusList.bits;
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8)
    throw new MicrocredError('STATUS_MALFORMED', `status_list.bits must be 1, 2, 4 or 8, got ${String(bits)}`);
  const compressed = decodeBase64url(statusList.lst);
  if (!compressed || compressed.length === 0)
    throw new MicrocredError('STATUS_MALFORMED', 'status_list.lst is not base64url');
  try {
    return { bits, bytes: await pipeThrough(compressed, new DecompressionStream('deflate'), MAX_DECOMPRESSED_BYTES) };
  } catch (e) {
    if (e instanceof MicrocredError) throw new MicrocredError('STATUS_MALFORMED', e.message, { cause: e });
    throw new MicrocredError('STATUS_MALFORMED', `status_list.lst is not zlib data: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * The status of entry `idx` in a verified token list's `status_list` claim: 0 valid, 1 invalid, 2 suspended (draft
 * §7.1). Throws STATUS_MALFORMED (an index outside the list says RANGE_ERROR, the spec's name).
 */
export async function readTokenStatus(statusList: unknown, idx: number): Promise<number> {
  const { bits, bytes } = await decodeTokenStatusList(statusList);
  if (!Number.isSafeInteger(idx) || idx < 0 || idx >= (bytes.length * 8) / bits)
    throw new MicrocredError(
      'STATUS_MALFORMED',
      `RANGE_ERROR: index ${idx} is outside the status list (${(bytes.length * 8) / bits} entries)`,
    );
  const bit = idx * bits;
  return (bytes[bit >> 3]! >> (bit & 7)) & ((1 << bits) - 1);
}
