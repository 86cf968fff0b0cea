/** The issuing service's offers and bearer tokens as both databases hand them back, and their inputs, checked. */
import { MicrocredError } from '../../errors';
import type { OfferInput, OfferRecord, OfferRedemption, ServiceTokenInput, ServiceTokenRecord } from './types';
import { object, sha256Hex, text } from './validate';

export interface OfferRow {
  code_sha256: string;
  body: string;
  expires_at: string;
  created_at: string;
  wrong_tx_codes: number;
  burnt: number | boolean;
  redeemed_at: string | null;
}

export interface ServiceTokenRow {
  id: string;
  sha256: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** A definition and a roster row fit easily; a megabyte of offer body is somebody filling the database. */
const MAX_OFFER_BODY = 1024 * 1024;

function dateTime(value: unknown, path: string): string {
  const t = text(value, path);
  if (Number.isNaN(Date.parse(t))) throw new MicrocredError('INVALID_INPUT', 'must be a date-time', { path });
  return t;
}

export function offerInput(offer: OfferInput): OfferInput {
  const input = object(offer, '$');
  if (typeof input.body !== 'string' || input.body.length === 0 || input.body.length > MAX_OFFER_BODY)
    throw new MicrocredError('INVALID_INPUT', `must be text of at most ${MAX_OFFER_BODY} characters`, {
      path: '$.body',
    });
  if (input.body.includes('\u0000'))
    throw new MicrocredError('INVALID_INPUT', 'contains a NUL character', { path: '$.body' });
  return {
    codeSha256: sha256Hex(input.codeSha256, '$.codeSha256'),
    body: input.body,
    expiresAt: dateTime(input.expiresAt, '$.expiresAt'),
  };
}

export function redemptionInput(redemption: OfferRedemption): OfferRedemption {
  const input = object(redemption, '$');
  return {
    codeSha256: sha256Hex(input.codeSha256, '$.codeSha256'),
    accessTokenSha256: sha256Hex(input.accessTokenSha256, '$.accessTokenSha256'),
    tokenExpiresAt: dateTime(input.tokenExpiresAt, '$.tokenExpiresAt'),
  };
}

export function serviceTokenInput(token: ServiceTokenInput): ServiceTokenInput {
  const input = object(token, '$');
  return {
    id: text(input.id, '$.id'),
    sha256: sha256Hex(input.sha256, '$.sha256'),
    ...(input.label !== undefined && input.label !== '' ? { label: text(input.label, '$.label') } : {}),
    ...(input.revokedAt !== undefined ? { revokedAt: dateTime(input.revokedAt, '$.revokedAt') } : {}),
  };
}

/** A burn limit: a positive whole number. */
export function burnLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new MicrocredError('INVALID_INPUT', 'burnAt must be a positive whole number', { path: '$.burnAt' });
  return value;
}

export function toOffer(row: OfferRow): OfferRecord {
  return {
    codeSha256: row.code_sha256,
    body: row.body,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    wrongTxCodes: Number(row.wrong_tx_codes),
    burnt: row.burnt === true || row.burnt === 1,
    ...(row.redeemed_at !== null ? { redeemedAt: row.redeemed_at } : {}),
  };
}

export function toServiceToken(row: ServiceTokenRow): ServiceTokenRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    ...(row.label !== null ? { label: row.label } : {}),
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}
