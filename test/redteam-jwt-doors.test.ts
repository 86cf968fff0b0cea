/**
 * Issue 19, small doors of VC-JWT: one canonical base64url encoding for every JWS segment, and claims beside `vc`
 * that contradict the credential.
 */
import { describe, expect, it } from 'vitest';
import { generateJwtKey, generateKey, jwtKeyFromEd25519 } from '../src';
import { signJwtPayload } from '../src/entries/proof';
import { verifyJwt } from '../src/proof/jwt';

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:7d1e8c2a-0000-4000-8000-000000000019',
  type: ['VerifiableCredential'],
  issuer: 'https://issuer.example',
  validFrom: '2024-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner', name: 'A learner' },
};

/** The same bytes, written with stray low bits in the segment's last character (the decoder ignores them). */
function withStrayBits(segment: string): string {
  const unused = segment.length % 4 === 2 ? 0b1111 : segment.length % 4 === 3 ? 0b11 : 0;
  if (unused === 0) throw new Error('this segment has no unused bits');
  const last = DIGITS.indexOf(segment.charAt(segment.length - 1));
  return segment.slice(0, -1) + DIGITS.charAt((last & ~unused) | 1);
}

describe('JWS segments are canonical base64url', () => {
  it('a signature (ES256, verified by jose) with stray bits in its last character is refused; the canonical one verifies', async () => {
    const key = await generateJwtKey('ES256', { kid: 'https://issuer.example/keys/1' });
    const jwks = { keys: [key.publicJwk as Record<string, unknown>] };
    const jwt = await signJwtPayload({ vc: credential, iss: credential.issuer, jti: credential.id }, {}, { key });
    expect((await verifyJwt(jwt, { jwks })).verified).toBe(true);
    const [h, p, s] = jwt.split('.') as [string, string, string];
    expect(Buffer.from(withStrayBits(s), 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
    const stray = await verifyJwt(`${h}.${p}.${withStrayBits(s)}`, { jwks });
    expect(stray).toMatchObject({ verified: false, code: 'INVALID_INPUT' });
    expect(stray.message).toMatch(/signature is not canonical base64url/);
  });

  it('header and payload segments are held to it too', async () => {
    const key = await generateJwtKey('ES256', { kid: 'https://issuer.example/keys/1' });
    const jwks = { keys: [key.publicJwk as Record<string, unknown>] };
    const jwt = await signJwtPayload({ vc: credential, iss: credential.issuer }, {}, { key });
    const [h, p, s] = jwt.split('.') as [string, string, string];
    for (const [i, segment] of [h, p].entries()) {
      if (segment.length % 4 < 2) continue;
      const parts = [h, p, s];
      parts[i] = withStrayBits(segment);
      expect((await verifyJwt(parts.join('.'), { jwks })).verified).toBe(false);
    }
  });
});

describe('claims beside vc that contradict it', () => {
  it('refuses a credentialStatus, credentialSubject or validUntil beside vc that the credential does not carry or carries otherwise; other claims are left alone', async () => {
    const ed = generateKey();
    const vc = { ...credential, issuer: ed.controller };
    const key = await jwtKeyFromEd25519(ed);
    const jwks = { keys: [{ ...(key.publicJwk as Record<string, unknown>), kid: ed.id }] };
    const sign = (extra: Record<string, unknown>) =>
      signJwtPayload({ vc, iss: vc.issuer, ...extra }, {}, { key, header: 'kid' });
    expect((await verifyJwt(await sign({}), { jwks })).verified).toBe(true);
    expect((await verifyJwt(await sign({ 'x-trace': 'abc' }), { jwks })).verified).toBe(true);
    expect((await verifyJwt(await sign({ credentialSubject: credential.credentialSubject }), { jwks })).verified).toBe(
      true,
    );
    for (const extra of [
      { credentialStatus: { id: 'https://issuer.example/status/1#5', type: 'BitstringStatusListEntry' } },
      { credentialSubject: { id: 'did:example:someone-else' } },
      { validUntil: '2099-01-01T00:00:00Z' },
    ]) {
      const r = await verifyJwt(await sign(extra), { jwks });
      expect(r, JSON.stringify(extra)).toMatchObject({ verified: false, code: 'KEY_BINDING_MISMATCH' });
      expect(r.message).toMatch(/beside vc/);
    }
  });
});
