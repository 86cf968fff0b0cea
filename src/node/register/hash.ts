import { createHash } from 'node:crypto';

/** SHA-256 of the issued credential exactly as handed to the learner (file bytes or JWT text), as 64 hex digits. */
export function credentialHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The idempotency key of an issuance: one credential per roster key and achievement. A JSON array rather than a
 * joined string so that no choice of the two parts can collide with another.
 */
export function issuanceKey(input: { rosterKey: string; achievementId: string }): string {
  return JSON.stringify([input.achievementId, input.rosterKey]);
}
