import { describe, expect, it } from 'vitest';
import {
  MicrocredError,
  award,
  defineIssuer,
  didKeyDocument,
  didWebDocument,
  didWebUrl,
  exportJwks,
  generateJwtKey,
  generateKey,
  importJwk,
  importKey,
  issue,
  verify,
} from '../src';
import { createResolver, parseVerificationMethodId } from '../src/entries/proof';
import { reiProgramme } from '../examples/rei-programme';
import { readFixtureJson } from './helpers/fixtures';

describe('Ed25519 Multikeys', () => {
  it('generates did:key keys whose verification method id is controller#publicKeyMultibase', () => {
    const key = generateKey();
    expect(key.publicKeyMultibase).toMatch(/^z6Mk/);
    expect(key.controller).toBe(`did:key:${key.publicKeyMultibase}`);
    expect(key.id).toBe(`${key.controller}#${key.publicKeyMultibase}`);
    expect(key.exportSecretKeyMultibase()).toMatch(/^z3u2/);
  });

  it('round-trips secret multibase and JWK, and reads the legacy 64-byte secret form', () => {
    const key = generateKey({ controller: 'https://uni.example/issuer' });
    const again = importKey({ secretKeyMultibase: key.exportSecretKeyMultibase() }, { controller: key.controller });
    expect(again.publicKeyMultibase).toBe(key.publicKeyMultibase);
    expect(importKey({ jwk: key.toSecretJwk() }).publicKeyMultibase).toBe(key.publicKeyMultibase);
    const legacy = readFixtureJson<{ secretKeyMultibase: string; publicKeyMultibase: string }>(
      'ob3-test-vector',
      'ob3-keypair.json',
    );
    expect(importKey({ secretKeyMultibase: legacy.secretKeyMultibase }).publicKeyMultibase).toBe(
      legacy.publicKeyMultibase,
    );
  });

  it('refuses any other encoding with INVALID_KEY', () => {
    const key = generateKey();
    for (const bad of [
      { publicKeyMultibase: key.publicKeyMultibase.replace(/^z/, 'u') },
      { publicKeyMultibase: 'z' + '1'.repeat(10) },
      { secretKeyMultibase: key.publicKeyMultibase },
      { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } },
      { jwk: { ...key.toSecretJwk(), x: key.toPublicJwk().x.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } },
    ]) {
      expect(() => importKey(bad as never), JSON.stringify(bad)).toThrow(MicrocredError);
    }
    expect(() => importKey({ publicKeyMultibase: key.publicKeyMultibase }).exportSecretKeyMultibase()).toThrow(
      /no secret/,
    );
  });
});

describe('DIDs', () => {
  it('maps did:web to its https URL as the did:web method says', () => {
    expect(didWebUrl('did:web:example.edu')).toBe('https://example.edu/.well-known/did.json');
    expect(didWebUrl('did:web:example.edu:issuers:1')).toBe('https://example.edu/issuers/1/did.json');
    expect(didWebUrl('did:web:localhost%3A8443:u')).toBe('https://localhost:8443/u/did.json');
    expect(() => didWebUrl('did:web:')).toThrow(MicrocredError);
  });

  it('did:web: the document to host verifies a credential through a resolver the caller passes, with a timeout', async () => {
    const did = 'did:web:ut.example:issuers:1';
    const key = generateKey({ controller: did });
    const doc = didWebDocument(key, did);
    expect(doc.assertionMethod).toEqual([key.id]);
    const issuer = defineIssuer({ id: did, name: 'University', country: 'EE' });
    const signed = await issue(award(reiProgramme.parts[0]!, { issuer, learner: 'did:example:l', grade: 'A' }), {
      key,
    });
    const requested: string[] = [];
    const ok = await verify(signed, { resolveDocument: async (url) => (requested.push(url), doc) });
    expect(ok.verified).toBe(true);
    expect(requested).toEqual(['https://ut.example/issuers/1/did.json']);
    // Without a resolver nothing is fetched and the proof cannot be checked.
    expect((await verify(signed)).verified).toBe(false);
    // A resolver that hangs is abandoned after the timeout.
    const slow = await verify(signed, { resolveDocument: () => new Promise(() => {}), resolverTimeoutMs: 50 });
    expect(slow.checks.find((c) => c.check === 'proof')?.message).toMatch(/Timed out/);
    // A document that does not list the key as an assertion method is refused.
    const noAssertion = { ...doc, assertionMethod: [] };
    expect((await verify(signed, { resolveDocument: async () => noAssertion })).verified).toBe(false);
  });

  it('did:key documents and verification method ids decode locally', async () => {
    const key = generateKey();
    expect(didKeyDocument(key.controller).verificationMethod[0]!.publicKeyMultibase).toBe(key.publicKeyMultibase);
    expect(parseVerificationMethodId(key.id)).toMatchObject({
      method: 'did:key',
      controller: key.controller,
      publicKeyMultibase: key.publicKeyMultibase,
    });
    expect(parseVerificationMethodId(`https://example.edu/issuers/565049#${key.publicKeyMultibase}`)).toMatchObject({
      method: 'https',
      fragmentKeyMultibase: key.publicKeyMultibase,
    });
    const resolve = createResolver();
    // An https fragment key is not resolved locally unless the caller accepts the unconfirmed convention.
    await expect(resolve(`https://example.edu/issuers/565049#${key.publicKeyMultibase}`)).rejects.toMatchObject({
      code: 'RESOLVER_ERROR',
    });
    await expect(
      createResolver({ acceptUnconfirmedFragmentKeys: true })(
        `https://example.edu/issuers/565049#${key.publicKeyMultibase}`,
      ),
    ).resolves.toMatchObject({ controller: 'https://example.edu/issuers/565049', unconfirmed: true });
    await expect(resolve('https://example.edu/issuers/565049#not-a-key')).rejects.toMatchObject({
      code: 'RESOLVER_ERROR',
    });
  });
});

describe('VC-JWT keys', () => {
  it('RS256, ES256 and EdDSA keys export a JWKS without private parts and import back', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const key = await generateJwtKey(alg, { kid: `k-${alg}` });
      const jwks = exportJwks([key]);
      expect(jwks.keys[0]).toMatchObject({ kid: `k-${alg}`, alg });
      expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);
      const back = await importJwk(jwks.keys[0]!);
      expect(back.alg).toBe(alg);
      expect(back.privateKey).toBeUndefined();
    }
  });
});
