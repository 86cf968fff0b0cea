import { MicrocredError, type Problem } from '../errors';
import { encodeBitstring, type Bitstring } from './bitstring';

/** The four purposes the spec names; any other string is allowed (spec §2.1) but has no defined meaning. */
export type StatusPurpose = 'revocation' | 'suspension' | 'refresh' | 'message' | (string & {});

/** One `statusMessage` item: `status` is the value in hex with `0x` prefix, `message` a developer string. */
export interface StatusMessage {
  status: string;
  message: string;
}

/** The `credentialStatus` object of a credential using a Bitstring Status List (spec §2.1). */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  /** Base-10 string, as the spec requires (not a number). */
  statusListIndex: string;
  statusListCredential: string;
  statusSize?: number;
  statusMessage?: StatusMessage[];
  statusReference?: string | string[];
}

/** The unsigned list credential (spec §2.2, shaped like its Example 3: VC 2.0 context only). */
export interface BitstringStatusListCredential {
  '@context': ['https://www.w3.org/ns/credentials/v2'];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string | { id: string; [key: string]: unknown };
  validFrom?: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: StatusPurpose | StatusPurpose[];
    encodedList: string;
    ttl?: number;
  };
}

/** What `statusListEntry` needs: the list's URL, the credential's index and the purpose. */
export interface StatusListEntryInput {
  /** URL of the BitstringStatusListCredential (the entry's `statusListCredential`). */
  listCredentialId: string;
  /** Index from an {@link IndexAllocator}; never pick it sequentially. */
  index: number;
  purpose: StatusPurpose;
  /** Bits per entry; when above 1, `statusMessage` must list all 2^statusSize values (spec §2.1). */
  statusSize?: number;
  statusMessage?: StatusMessage[];
  statusReference?: string | string[];
}

/** Builds a `BitstringStatusListEntry` for a credential's `credentialStatus`. */
export function statusListEntry(input: StatusListEntryInput): BitstringStatusListEntry {
  const problems: Problem[] = [];
  const at = (p: string): string => `$.credentialStatus.${p}`;
  if (!isAbsoluteUrl(input.listCredentialId) || input.listCredentialId.includes('#')) {
    problems.push({
      code: 'INVALID_INPUT',
      path: at('statusListCredential'),
      message: 'must be an absolute URL without a fragment',
    });
  }
  if (!Number.isSafeInteger(input.index) || input.index < 0) {
    problems.push({ code: 'INVALID_INPUT', path: at('statusListIndex'), message: 'must be a non-negative integer' });
  }
  if (typeof input.purpose !== 'string' || input.purpose.length === 0) {
    problems.push({ code: 'INVALID_INPUT', path: at('statusPurpose'), message: 'must be a non-empty string' });
  }
  const size = input.statusSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 8)) {
    problems.push({ code: 'INVALID_INPUT', path: at('statusSize'), message: 'must be an integer from 1 to 8' });
  }
  const messages = input.statusMessage;
  const needed = 2 ** (size ?? 1);
  if ((size ?? 1) > 1 && messages === undefined) {
    problems.push({
      code: 'MISSING_ELEMENT',
      path: at('statusMessage'),
      message: `is required when statusSize > 1 (${needed} items)`,
    });
  }
  if (messages !== undefined && messages.length !== needed) {
    problems.push({
      code: 'INVALID_INPUT',
      path: at('statusMessage'),
      message: `must have exactly ${needed} items for statusSize ${size ?? 1}`,
    });
  }
  messages?.forEach((m, i) => {
    if (!/^0x[0-9a-f]+$/i.test(m?.status ?? '') || typeof m.message !== 'string') {
      problems.push({
        code: 'INVALID_INPUT',
        path: `${at('statusMessage')}[${i}]`,
        message: 'needs `status` ("0x…") and `message` strings',
      });
    }
  });
  if (problems.length > 0) throw MicrocredError.fromProblems(problems, 'Invalid status list entry');

  const entry: BitstringStatusListEntry = {
    id: `${input.listCredentialId}#${input.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: input.purpose,
    statusListIndex: String(input.index),
    statusListCredential: input.listCredentialId,
  };
  if (size !== undefined) entry.statusSize = size;
  if (messages !== undefined) entry.statusMessage = messages.map((m) => ({ status: m.status, message: m.message }));
  if (input.statusReference !== undefined) entry.statusReference = input.statusReference;
  return entry;
}

/** What `statusListCredential` needs: the list's URL, issuer, purpose and bits, and its validity period. */
export interface StatusListCredentialInput {
  /** The URL the list will be published at; also its `id`. */
  id: string;
  issuer: string | { id: string; [key: string]: unknown };
  purpose: StatusPurpose | StatusPurpose[];
  bitstring: Bitstring;
  validFrom?: Date | string;
  validUntil?: Date | string;
  /** Optional refresh hint in milliseconds (spec §2.2 `ttl`). */
  ttl?: number;
}

/**
 * Builds the unsigned BitstringStatusListCredential to be signed elsewhere and published at `id`.
 * Only the VC 2.0 context is used: it defines every term here, and adding the standalone status context
 * would be redundant (spec §5.2 note). `statusSize`/`statusMessage` live on each entry, not here.
 */
export async function statusListCredential(input: StatusListCredentialInput): Promise<BitstringStatusListCredential> {
  const problems: Problem[] = [];
  if (!isAbsoluteUrl(input.id) || input.id.includes('#')) {
    problems.push({ code: 'INVALID_INPUT', path: '$.id', message: 'must be an absolute URL without a fragment' });
  }
  const issuerId = typeof input.issuer === 'string' ? input.issuer : input.issuer?.id;
  if (!isAbsoluteUrl(issuerId))
    problems.push({ code: 'INVALID_INPUT', path: '$.issuer', message: 'must be a URL (or an object with a URL id)' });
  const purposes = Array.isArray(input.purpose) ? input.purpose : [input.purpose];
  if (purposes.length === 0 || purposes.some((p) => typeof p !== 'string' || p.length === 0)) {
    problems.push({
      code: 'INVALID_INPUT',
      path: '$.credentialSubject.statusPurpose',
      message: 'must be one or more non-empty strings',
    });
  }
  const validFrom = toDateTime(input.validFrom, '$.validFrom', problems);
  const validUntil = toDateTime(input.validUntil, '$.validUntil', problems);
  if (validFrom && validUntil && Date.parse(validFrom) > Date.parse(validUntil)) {
    problems.push({ code: 'INVALID_INPUT', path: '$.validUntil', message: 'must not be before validFrom' });
  }
  if (input.ttl !== undefined && (!Number.isSafeInteger(input.ttl) || input.ttl < 0)) {
    problems.push({
      code: 'INVALID_INPUT',
      path: '$.credentialSubject.ttl',
      message: 'must be a non-negative integer (milliseconds)',
    });
  }
  if (problems.length > 0) throw MicrocredError.fromProblems(problems, 'Invalid status list credential');

  const credential: BitstringStatusListCredential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: Array.isArray(input.purpose) ? [...input.purpose] : input.purpose,
      encodedList: await encodeBitstring(input.bitstring),
    },
  };
  if (validFrom) credential.validFrom = validFrom;
  if (validUntil) credential.validUntil = validUntil;
  if (input.ttl !== undefined) credential.credentialSubject.ttl = input.ttl;
  return credential;
}

function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    // WHATWG URL parses did:, urn: and https: alike; a relative reference throws without a base.
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function toDateTime(value: Date | string | undefined, path: string, problems: Problem[]): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  // VC 2.0 requires an xsd:dateTimeStamp, i.e. a date-time *with* a time zone.
  const wellFormed = value instanceof Date || DATE_TIME_STAMP.test(value);
  if (Number.isNaN(ms) || !wellFormed) {
    problems.push({
      code: 'INVALID_INPUT',
      path,
      message: 'must be a date-time with a time zone, e.g. 2025-01-01T00:00:00Z',
    });
    return undefined;
  }
  // Normalise to second precision without milliseconds, the form the spec examples use.
  return value instanceof Date ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
}
