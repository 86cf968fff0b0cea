import { describe, expect, it } from 'vitest';
import { exportJWK } from 'jose';
import {
  exportJwks,
  generateJwtKey,
  generateKey,
  importJwk,
  importKey,
  jwtKeyFromEd25519,
  type JwtKey,
} from '../src/keys';
import { signJwt, verifyJwt } from '../src/proof';

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:00000000-0000-4000-8000-000000000042',
  type: ['VerifiableCredential'],
  issuer: 'https://uni.example/issuer',
  validFrom: '2025-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner' },
};

describe('VC-JWT keys', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    it(`${alg}: a private JWK imports to a signing key whose public half verifies through the JWKS`, async () => {
      const generated = await generateJwtKey(alg, { kid: `k-${alg}` });
      const privateJwk = { ...(await exportJWK(generated.privateKey as CryptoKey)), kid: `k-${alg}` };
      expect(privateJwk).toHaveProperty('d');
      const imported = await importJwk(privateJwk);
      expect(imported.alg).toBe(alg);
      expect(imported.privateKey).toBeDefined();
      expect(imported.publicJwk).not.toHaveProperty('d');
      const jwt = await signJwt(credential, { key: imported });
      expect(await verifyJwt(jwt, { jwks: exportJwks([generated]) })).toMatchObject({ verified: true, algorithm: alg });
    });
  }

  it('refuses unsupported algorithms, non-objects and JWKs that do not fit their alg, with INVALID_KEY', async () => {
    await expect(generateJwtKey('HS256' as never)).rejects.toMatchObject({ code: 'INVALID_KEY' });
    for (const bad of [
      null,
      'jwk',
      [],
      { kty: 'oct', k: 'AAAA' },
      { kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA' },
      { kty: 'RSA', alg: 'ES256', n: 'AA', e: 'AQAB' },
      { kty: 'OKP', crv: 'Ed25519', x: '!!' },
    ]) {
      await expect(importJwk(bad as never), JSON.stringify(bad)).rejects.toMatchObject({ code: 'INVALID_KEY' });
    }
  });

  it('exportJwks never publishes private members, even from a hand-built key', async () => {
    const real = await generateJwtKey('ES256');
    const handBuilt: JwtKey = { ...real, kid: 'hand', publicJwk: { ...real.publicJwk, d: 'secret', k: 'secret' } };
    const jwks = exportJwks([handBuilt]);
    expect(JSON.stringify(jwks)).not.toMatch(/secret/);
    expect(jwks.keys[0]).toMatchObject({ kid: 'hand', kty: 'EC', crv: 'P-256' });
    expect(() => exportJwks('keys' as never)).toThrow(/list/);
  });

  it("a JWK that names its issuer (`iss`) must name the credential's issuer", async () => {
    const key = await generateJwtKey('ES256', { kid: 'k' });
    const jwt = await signJwt(credential, { key });
    const withIss = (iss: string) => ({ keys: exportJwks([key]).keys.map((k) => ({ ...k, iss })) });
    expect((await verifyJwt(jwt, { jwks: withIss(credential.issuer) })).verified).toBe(true);
    expect(await verifyJwt(jwt, { jwks: withIss('https://other.example') })).toMatchObject({
      verified: false,
      code: 'KEY_BINDING_MISMATCH',
    });
    const embedded = await signJwt(credential, { key, header: 'jwk' });
    expect(await verifyJwt(embedded, { jwks: withIss('https://other.example') })).toMatchObject({
      verified: false,
      code: 'KEY_BINDING_MISMATCH',
    });
    expect((await verifyJwt(embedded, { jwks: withIss(credential.issuer) })).verified).toBe(true);
  });

  it('an Ed25519 Multikey becomes an EdDSA JWT key with its verification method as kid', async () => {
    const mk = generateKey();
    const key = await jwtKeyFromEd25519(mk);
    expect(key).toMatchObject({
      alg: 'EdDSA',
      kid: mk.id,
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: mk.toPublicJwk().x },
    });
    const jwt = await signJwt(credential, { key });
    expect((await verifyJwt(jwt, { jwks: exportJwks([key]) })).verified).toBe(true);
    // Public-only Multikeys give a verify-only JWT key.
    const publicOnly = await jwtKeyFromEd25519(importKey({ publicKeyMultibase: mk.publicKeyMultibase }));
    expect(publicOnly.privateKey).toBeUndefined();
    await expect(signJwt(credential, { key: publicOnly })).rejects.toMatchObject({ code: 'PROOF_GENERATION_ERROR' });
  });
});
