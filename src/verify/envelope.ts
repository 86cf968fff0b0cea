/**
 * Enveloped credentials (VC DM 2.0 §4.13, VC-JOSE-COSE): `{ type: "EnvelopedVerifiableCredential", id:
 * "data:application/vc+jwt,<compact JWS>" }`. The envelope itself is not signed; the JWS inside is the credential
 * (./open-envelope.ts reads it out).
 */

export function isEnvelopedCredential(
  value: unknown,
  type = 'EnvelopedVerifiableCredential',
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const types = (value as { type?: unknown }).type;
  return types === type || (Array.isArray(types) && types.includes(type));
}
